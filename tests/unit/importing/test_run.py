"""The whole import without a build: safe to run again, all-or-nothing, private data kept out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import mkdocs_winwin.importing.run as run
from mkdocs_winwin.importing.run import Options, import_blog

from tests.support import IMPORT_FIXTURES as FIXTURES


def options(docs: Path, **more) -> Options:
    more.setdefault("allow_host", lambda host: host == "127.0.0.1")
    return Options(docs_dir=docs, timeout=1.0, **more)


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def wxr(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_newer_export_adds_only_what_is_new(tmp_path):
    docs = tmp_path / "docs"
    base = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    import_blog(str(wxr(tmp_path, "old.xml", base)), options(docs, images=False))
    # The author edits an imported post; then a newer export has one more post and one more comment.
    post = docs / "blog/posts/second-post.md"
    post.write_text(post.read_text("utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    before = snapshot(docs)
    newer = base.replace("</channel>", """<item><title>Brand new</title><link>https://old.example/new/</link>
      <dc:creator>ana</dc:creator><content:encoded><![CDATA[<p>New.</p>]]></content:encoded>
      <wp:post_id>99</wp:post_id><wp:post_date_gmt>2012-01-01 10:00:00</wp:post_date_gmt>
      <wp:post_name>brand-new</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
      </channel>""").replace("<wp:comment_id>47</wp:comment_id>", "<wp:comment_id>48</wp:comment_id>").replace(
        "<![CDATA[pingback]]>", "<![CDATA[]]>")
    report = import_blog(str(wxr(tmp_path, "new.xml", newer)), options(docs, images=False))
    after = snapshot(docs)
    assert report.written == ["blog/posts/brand-new.md"]
    assert report.updated == ["blog/posts/everything-markup.comments.yml"]
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed == {"blog/posts/brand-new.md", "blog/posts/everything-markup.comments.yml"}
    assert "Edited by hand." in post.read_text("utf-8")
    comments = yaml.safe_load((docs / "blog/posts/everything-markup.comments.yml").read_text("utf-8"))["comments"]
    assert [c["id"] for c in comments] == ["wp-41", "wp-42", "wp-43", "wp-46", "wp-48"]


def test_a_failure_halfway_leaves_the_docs_folder_as_it_was(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "blog/.authors.yml").write_text("authors: {}\n", encoding="utf-8")
    before = snapshot(docs)
    calls = []

    def failing(html, image=None, link=None):
        calls.append(html)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return "text\n"

    monkeypatch.setattr(run, "to_markdown", failing)
    source = (FIXTURES / "blogger-classic.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    with pytest.raises(RuntimeError):
        import_blog(str(wxr(tmp_path, "b.xml", source)), options(docs, images=False))
    assert snapshot(docs) == before
    assert not list(tmp_path.glob(".winwin-import-*"))


def test_no_commenter_email_or_ip_even_with_keep_emails(tmp_path):
    docs = tmp_path / "docs"
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    import_blog(str(wxr(tmp_path, "w.xml", source)), options(docs, images=False, keep_emails=True))
    text = "".join(p.read_text("utf-8") for p in docs.rglob("*") if p.suffix in (".md", ".yml"))
    for private in ("ana@example.org", "bruno@example.org", "spam@spam.example", "203.0.113."):
        assert private not in text
    # The blog author's own address, asked for with --keep-emails.
    assert "email: owner@example.org" in (docs / "blog/.authors.yml").read_text("utf-8")


def test_authors_are_added_to_an_existing_file_as_written(tmp_path):
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    mine = "# our authors\nauthors:\n  ann:\n    name: Ann\n    description: Me\n    avatar: ann.png  # keep\n"
    (docs / "blog/.authors.yml").write_text(mine, encoding="utf-8")
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    import_blog(str(wxr(tmp_path, "w.xml", source)), options(docs, images=False))
    text = (docs / "blog/.authors.yml").read_text("utf-8")
    assert text.startswith(mine)
    authors = yaml.safe_load(text)["authors"]
    assert authors["ana-autora"] == {"name": "Ana Autora", "description": "Wrote on Old Coffee Blog",
                                     "avatar": "../assets/imported/avatars/ana-autora.svg"}
    assert (docs / "assets/imported/avatars/ana-autora.svg").read_text("utf-8").startswith("<svg")


def test_author_option_credits_every_post(tmp_path):
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "blog/.authors.yml").write_text("authors:\n  ann:\n    name: Ann\n", encoding="utf-8")
    source = (FIXTURES / "feed-rss.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    report = import_blog(str(wxr(tmp_path, "f.xml", source)), options(docs, images=False, author="ann"))
    assert report.is_feed
    assert "authors: [ann]" in (docs / "blog/posts/second-post.md").read_text("utf-8")
    with pytest.raises(Exception, match="has no author 'bob'"):
        import_blog(str(wxr(tmp_path, "f.xml", source)), options(tmp_path / "d2", images=False, author="bob"))


def test_since_and_dry_run(tmp_path):
    docs = tmp_path / "docs"
    source = (FIXTURES / "blogger-takeout.atom").read_text("utf-8")
    report = import_blog(str(wxr(tmp_path, "t.atom", source)),
                         options(docs, dry_run=True, since=dt.date(2011, 3, 5)))
    assert not docs.exists() or snapshot(docs) == {}
    assert report.skipped_older == 2  # the page of January and the post of 4 March
    assert "blog/posts/second-post.md" in report.written
    assert "Nothing was written" in report.render()


def test_export_from_a_url(tmp_path, old_blog):
    old_blog.expect_request("/export.xml").respond_with_data(
        (FIXTURES / "feed.json").read_text("utf-8").replace("{{BASE}}", "https://old.example"),
        content_type="application/json")
    docs = tmp_path / "docs"
    report = import_blog(f"http://127.0.0.1:{old_blog.port}/export.xml", options(docs, images=False))
    assert report.kind_label == "JSON Feed" and report.posts == 2
    assert "The second post, short." in (docs / "blog/posts/second-post.md").read_text("utf-8")


def test_site_relative_links_between_posts_are_rewritten_and_titles_are_one_line(tmp_path):
    docs = tmp_path / "docs"
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example").replace(
        'href="https://old.example/2011/03/second-post.html"', 'href="/2011/03/second-post.html"').replace(
        "<title>Second post</title>", "<title>Second\n   post</title>")
    import_blog(str(wxr(tmp_path, "w.xml", source)), options(docs, images=False))
    assert "[my other post](second-post.md)" in (docs / "blog/posts/everything-markup.md").read_text("utf-8")
    assert "title: Second post\n" in (docs / "blog/posts/second-post.md").read_text("utf-8")


@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_every_wxr_1_x(tmp_path, version):
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example").replace(
        "http://wordpress.org/export/1.2/", f"http://wordpress.org/export/{version}/")
    report = import_blog(str(wxr(tmp_path, "w.xml", source)), options(tmp_path / "docs", images=False))
    assert (report.kind_label, report.posts, report.pages, report.comments_kept) == \
        ("WordPress export (WXR)", 3, 1, 4)


def test_a_post_no_label_maps_to_a_theme_is_listed(tmp_path):
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    report = import_blog(str(wxr(tmp_path, "w.xml", source)), options(
        tmp_path / "docs", images=False, label_themes={"Café com Leite": "first"}, require_themes=True))
    missing = [str(p) for p in report.problems if "has no guide theme" in str(p)]
    fix = ("has no guide theme: none of its labels is given one with --label-theme. "
           "Fix: add 'themes:' to the post, or import again with --label-theme or --theme")
    assert missing == [f"Second post: {fix}", f"Draft in progress: {fix}"]  # drafts are checked too


def test_an_old_address_that_cannot_redirect_is_listed(tmp_path):
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example").replace(
        "https://old.example/2011/03/second-post.html", "https://old.example/2011/03/second%20post.html")
    report = import_blog(str(wxr(tmp_path, "w.xml", source)), options(tmp_path / "docs", images=False))
    assert any(str(p).startswith("Second post: its old address https://old.example/2011/03/second%20post.html "
                                 "cannot get a redirect") for p in report.problems)


def test_a_title_without_latin_letters_gets_a_stable_file_name(tmp_path):
    feed = ('{"version": "https://jsonfeed.org/version/1.1", "title": "B", "items": ['
            '{"id": "tag:b,1", "title": "東京の旅", "content_text": "本文", "date_published": "2020-01-01T00:00:00Z"}]}')
    first = import_blog(str(wxr(tmp_path, "a.json", feed)), options(tmp_path / "docs", images=False))
    again = import_blog(str(wxr(tmp_path, "a.json", feed)), options(tmp_path / "docs", images=False))
    assert first.written[-1].startswith("blog/posts/post-") and again.written == []


def test_no_images_says_what_stays_remote(tmp_path):
    source = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    report = import_blog(str(wxr(tmp_path, "w.xml", source)), options(tmp_path / "docs", images=False))
    assert "Images: not fetched (--no-images); 4 of the old blog stay remote." in report.render()


def test_a_takeout_zip(tmp_path):
    import zipfile

    archive = tmp_path / "takeout-20260101.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("Takeout/Blogger/Blogs/Old Coffee Blog/feed.atom", (FIXTURES / "blogger-takeout.atom").read_text())
        out.writestr("Takeout/Blogger/Blogs/Old Coffee Blog/theme-classic.html", "<html></html>")
        out.writestr("__MACOSX/Takeout/._feed.atom", b"junk")
    report = import_blog(str(archive), options(tmp_path / "docs", images=False))
    assert report.kind_label == "Blogger export (Google Takeout feed.atom)" and report.posts == 3
    assert not list(Path(__import__("tempfile").gettempdir()).glob("winwin-import-*.export"))


def test_a_zip_with_no_export_or_too_many(tmp_path):
    import zipfile

    from mkdocs_winwin.errors import SourceError

    empty, two = tmp_path / "empty.zip", tmp_path / "two.zip"
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("photo.jpg", b"x")
    with zipfile.ZipFile(two, "w") as out:
        out.writestr("a/feed.atom", "<feed/>")
        out.writestr("b/feed.atom", "<feed/>")
    with pytest.raises(SourceError, match="is a zip archive with 0 exports in it"):
        import_blog(str(empty), options(tmp_path / "docs"))
    with pytest.raises(SourceError, match=r"with 2 exports in it \(a/feed.atom, b/feed.atom\)"):
        import_blog(str(two), options(tmp_path / "docs"))


def test_a_zip_bomb_is_cut_at_the_size_limit(tmp_path):
    import zipfile

    from mkdocs_winwin.errors import SourceError

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("feed.atom", b"<feed>" + b" " * (3 * 1024 * 1024))
    with pytest.raises(SourceError, match="more than the 1 MB an import reads"):
        import_blog(str(bomb), options(tmp_path / "docs", max_mb=1))


@pytest.mark.parametrize("existing", ["authors: {}\n", "site: x\nauthors:\n  ann:\n    name: Ann\nother: 1\n",
                                      "authors:\n  ann: {name: Ann}"])
def test_authors_are_merged_into_any_authors_file_without_losing_a_key(tmp_path, existing):
    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "blog/.authors.yml").write_text(existing, encoding="utf-8")
    before = yaml.safe_load(existing)
    source = (FIXTURES / "feed.json").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    import_blog(str(wxr(tmp_path, "f.json", source)), options(docs, images=False))
    after = yaml.safe_load((docs / "blog/.authors.yml").read_text("utf-8"))
    assert {k: v for k, v in after.items() if k != "authors"} == {k: v for k, v in before.items() if k != "authors"}
    assert after["authors"] == {**(before["authors"] or {}), "ana-autora": {
        "name": "Ana Autora", "description": "Wrote on Old Coffee Blog",
        "avatar": "../assets/imported/avatars/ana-autora.svg"}}


def test_a_broken_authors_file_stops_the_import_and_leaves_nothing(tmp_path):
    from mkdocs_winwin.errors import ContentError

    docs = tmp_path / "docs"
    (docs / "blog").mkdir(parents=True)
    (docs / "blog/.authors.yml").write_text("- just\n- a list\n", encoding="utf-8")
    before = snapshot(docs)
    source = (FIXTURES / "feed.json").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    with pytest.raises(ContentError, match="is not a mapping with 'authors:'"):
        import_blog(str(wxr(tmp_path, "f.json", source)), options(docs, images=False))
    assert snapshot(docs) == before and not list(tmp_path.glob(".winwin-import-*"))


def test_a_post_exported_twice_keeps_one_redirect_and_a_second_run_adds_nothing(tmp_path):
    base = (FIXTURES / "wordpress.xml").read_text("utf-8").replace("{{BASE}}", "https://old.example")
    start = base.index("<item>", base.index("<item>") + 1)  # the second post, whole
    second = base[start: base.index("</item>", start) + len("</item>")]
    twice = base.replace(second, second + "\n" + second.replace("<wp:post_id>11<", "<wp:post_id>111<"))
    docs = tmp_path / "docs"
    report = import_blog(str(wxr(tmp_path, "w.xml", twice)), options(docs, images=False))
    assert (docs / "blog/posts/second-post-2.md").is_file()
    assert "aliases" not in (docs / "blog/posts/second-post-2.md").read_text("utf-8")
    assert any("has the same old address as an earlier entry (/2011/03/second-post.html)" in str(p)
               for p in report.problems)
    again = import_blog(str(wxr(tmp_path, "w.xml", twice)), options(docs, images=False))
    assert again.written == [] and again.updated == []


def test_takeout_paths_become_full_old_addresses_with_old_host(tmp_path):
    source = (FIXTURES / "blogger-takeout.atom").read_text("utf-8")
    report = import_blog(str(wxr(tmp_path, "t.atom", source)),
                         options(tmp_path / "docs", images=False, old_hosts=frozenset({"coffee.blogspot.com"})))
    assert ("https://coffee.blogspot.com/p/about.html", "/pages/about/") in report.urls
