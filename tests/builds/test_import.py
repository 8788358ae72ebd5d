"""`winwin import` into a fresh site, then a real `--strict` build: the Markdown, the HTML, the redirects.

Each export format of tests/unit/importing/fixtures is imported into a new
plain Material blog (no guide) in tmp_path; images come from a loopback
server (one works, one 404s, one hangs, one is an HTML page).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from mkdocs_winwin.cli.main import main
from mkdocs_winwin.comments.load import parse_conversation
from tests.support import HELLO_POST, MINIMAL_CONFIG, build_tree, plain_blog, run_import, small_site, write_tree

# Every commenter's (and the blog owner's) address and IP in the fixtures.
PRIVATE = ("ana@example.org", "bruno@example.org", "spam@spam.example", "orphan@example.org", "wait@example.org",
           "owner@example.org", "203.0.113.")

FORMATS = ["wordpress.xml", "blogger-classic.xml", "blogger-takeout.atom", "feed-rss.xml", "feed-atom.xml",
           "feed.json"]
HAS_COMMENTS = {"wordpress.xml", "blogger-classic.xml", "blogger-takeout.atom"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Nothing off 127.0.0.1, whatever an export links to; a 1 s timeout for the hanging image."""
    import mkdocs_winwin.importing.run as run

    original = run.Options.__init__

    def init(self, *a, **k):
        k.setdefault("allow_host", lambda host: host == "127.0.0.1")
        k["timeout"] = 1.0
        original(self, *a, **k)

    monkeypatch.setattr(run.Options, "__init__", init)


def all_text(root: Path) -> str:
    return "\n".join(p.read_text("utf-8", "replace") for p in root.rglob("*")
                     if p.is_file() and p.suffix in (".md", ".yml", ".html", ".xml", ".json", ".svg", ".txt"))


@pytest.mark.parametrize("name", FORMATS)
def test_import_then_strict_build(tmp_path, export_file, name):
    root = plain_blog(tmp_path / "site")
    output = run_import(root, export_file(name))
    docs = root / "content"
    post = (docs / "blog/posts/everything-markup.md").read_text("utf-8")
    # Markup survives, active content does not.
    for expected in ("## Section heading", "**bold**", "*italic*", "[a link](https://example.org/ref)",
                     "- first item", "1. step one", "> A quoted line.", "```python", "`x = 1`",
                     "| Name | Value |", "[Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)",
                     "tags: [Café com Leite, Dicas de Viagem]"):
        assert expected in post, expected
    for gone in ("<script", "javascript:", "onclick", "style=", "<iframe", "<span"):
        assert gone not in post, gone
    # The working image is local, the others keep their remote address and are listed.
    photo = re.search(r"!\[A photo\]\((\.\./\.\./assets/imported/everything-markup/[^)]+\.png)\)", post)
    assert photo, post
    assert (docs / "blog/posts" / photo.group(1)).resolve().is_file()
    for failed, why in (("missing.png", "HTTP 404"), ("slow.png", "no complete answer within 1 s"),
                        ("page.png", "served as text/html")):
        assert f"{export_file.base}/img/{failed}" in post
        assert f"{export_file.base}/img/{failed}: " in output and why in output.split(f"/img/{failed}: ")[1].split("\n")[0]
    assert "Images fetched: 1; left remote: 3." in output
    if name.startswith("feed"):
        assert "a feed holds only the blog's last items" in output

    site = build_tree(root, strict=True)
    page = lxml_html.fromstring((site / "blog/2011/03/04/everything-markup/index.html").read_bytes())
    article = page.cssselect("article")[0]
    assert article.cssselect("h2#section-heading")
    assert article.cssselect("table th")
    assert article.cssselect("pre code")
    assert article.cssselect("blockquote")
    assert not page.xpath("//script[contains(., 'owned')]")
    assert [img.get("src") for img in article.cssselect("img") if "photo" in img.get("src")][0].startswith("../")
    # The old address redirects to the new one, without JavaScript.
    old = site / "2011/03/everything-markup.html" if name != "wordpress.xml" else \
        site / "2011/03/everything-markup/index.html"
    redirect = lxml_html.fromstring(old.read_bytes())
    refresh = redirect.xpath("//meta[@http-equiv='refresh']/@content")[0]
    target = refresh.split("url=", 1)[1]
    assert (old.parent / target / "index.html").resolve() == \
        (site / "blog/2011/03/04/everything-markup/index.html").resolve()
    assert redirect.xpath("//link[@rel='canonical']/@href") == \
        ["https://test.example.org/blog/2011/03/04/everything-markup/"]
    assert redirect.xpath("//a/@href") == [target]
    # Nobody's e-mail address or IP, anywhere in the repository files or the site.
    text = all_text(root)
    for private in PRIVATE:
        assert private not in text, private


@pytest.mark.parametrize("name", sorted(HAS_COMMENTS))
def test_comments_keep_their_threads(tmp_path, export_file, name):
    root = plain_blog(tmp_path / "site")
    output = run_import(root, export_file(name))
    rel = "blog/posts/everything-markup.comments.yml"
    text = (root / "content" / rel).read_text("utf-8")
    conversation, problems = parse_conversation(text, rel, "blog/posts/everything-markup.md",
                                                dt.datetime.now(dt.timezone.utc))
    assert problems == []
    prefix = "wp" if name == "wordpress.xml" else "blogger"
    parents = {c.id: c.parent for c in conversation.comments}
    # Two levels of replies stay as they were; the one whose parent is gone becomes top-level.
    assert parents == {f"{prefix}-41": "", f"{prefix}-42": f"{prefix}-41", f"{prefix}-43": f"{prefix}-42",
                       f"{prefix}-46": ""}
    assert all(c.source == "import" for c in conversation.comments)
    assert "Buy now" not in text
    assert "Comments kept: 4; left out:" in output
    assert "kept as a top-level comment" in output


def test_draft_and_page(tmp_path, export_file):
    root = plain_blog(tmp_path / "site")
    run_import(root, export_file("wordpress.xml"))
    docs = root / "content"
    assert "draft: true" in (docs / "blog/posts/draft-in-progress.md").read_text("utf-8")
    about = (docs / "pages/about.md").read_text("utf-8")
    assert "aliases:\n- /about/" in about and "date:" not in about
    assert not (docs / "blog/posts/trashed.md").exists()
    site = build_tree(root, strict=True)
    assert not list(site.rglob("draft-in-progress*"))
    assert (site / "pages/about/index.html").is_file()
    assert "pages/about/" in (site / "about/index.html").read_text("utf-8")
    # An internal link of the old blog now points at the imported post.
    assert "[my other post](second-post.md)" in (docs / "blog/posts/everything-markup.md").read_text("utf-8")


def test_second_import_changes_nothing(tmp_path, export_file):
    root = plain_blog(tmp_path / "site")
    source = export_file("blogger-classic.xml")
    run_import(root, source)
    before = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    output = run_import(root, source)
    after = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    assert before == after
    assert "Wrote 0 new files." in output
    assert "already imported and left as they are: 4" in output


def test_dry_run_writes_nothing(tmp_path, export_file):
    root = plain_blog(tmp_path / "site")
    before = sorted(p for p in root.rglob("*"))
    output = run_import(root, export_file("wordpress.xml"), "--dry-run")
    assert sorted(p for p in root.rglob("*")) == before
    assert "Nothing was written." in output
    assert "+ blog/posts/everything-markup.md" in output
    assert not list(tmp_path.glob("**/.winwin-import-*"))


def test_guide_site_gets_themes(tmp_path, export_file):
    root = small_site(tmp_path / "site")
    run_import(root, export_file("wordpress.xml"), "--label-theme", "Café com Leite=first", "--theme", "second")
    post = (root / "content/blog/posts/everything-markup.md").read_text("utf-8")
    assert "themes: [first, second]" in post
    build_tree(root, strict=True)


@pytest.mark.parametrize("name", sorted(HAS_COMMENTS))
def test_imported_comments_show_threaded_in_the_built_page(tmp_path, export_file, name):
    from tests.support import prompts_config

    root = plain_blog(tmp_path / "site")
    (root / "mkdocs.yml").write_text(prompts_config(), encoding="utf-8")
    run_import(root, export_file(name))
    site = build_tree(root, strict=True)
    page = lxml_html.fromstring((site / "blog/2011/03/04/everything-markup/index.html").read_bytes())
    prefix = "wp" if name == "wordpress.xml" else "blogger"
    top = page.cssselect("ol.winwin-comments__list > li.winwin-comment")
    assert [li.get("id") for li in top] == [f"comment-{prefix}-41", f"comment-{prefix}-46"]
    reply = top[0].cssselect(f"ol.winwin-comments__replies > li#comment-{prefix}-42")[0]
    assert reply.cssselect(f"ol.winwin-comments__replies > li#comment-{prefix}-43")
    assert "I agree with Ana." in reply.text_content()
    assert "Buy now" not in page.text_content()
    text = all_text(root)
    for private in PRIVATE:
        assert private not in text, private


def test_imported_site_passes_winwin_check_and_winwin_build_strict(tmp_path, export_file):
    root = plain_blog(tmp_path / "site")
    run_import(root, export_file("blogger-classic.xml"))
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["build", "--strict", "-f", str(root / "mkdocs.yml"),
                                       "-d", str(tmp_path / "out")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out/2011/03/everything-markup.html").is_file()


def test_aliases_written_by_hand(tmp_path):
    """Any page may carry aliases; one equal to its own address is no redirect, a bad one fails --strict."""
    from mkdocs.exceptions import Abort

    post = HELLO_WITH_ALIASES
    root = small_site(tmp_path / "ok", {"content/blog/posts/hello.md": post,
                                        "content/about.md": "---\ntitle: About\naliases: [/p/about.html]\n---\n# About\n"})
    site = build_tree(root, strict=True)
    assert "url=../../blog/2026/01/02/hello/" in (site / "2026/01/hello.html").read_text("utf-8")
    assert "url=../about/" in (site / "p/about.html").read_text("utf-8")
    bad = small_site(tmp_path / "bad", {"content/about.md": "---\ntitle: About\naliases: [/../x.html]\n---\n# A\n"})
    with pytest.raises(Abort):
        build_tree(bad, strict=True)


HELLO_WITH_ALIASES = HELLO_POST.replace(
    "description: A first post.\n",
    "description: A first post.\naliases: [/2026/01/hello.html, /blog/2026/01/02/hello/]\n")
