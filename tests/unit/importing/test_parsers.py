"""Each parser alone: the export's file in, the model out (no writing, no network)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_winwin.importing.run import parse

from tests.support import IMPORT_FIXTURES as FIXTURES

KINDS = {"wordpress.xml": "wordpress", "blogger-classic.xml": "blogger-classic",
         "blogger-takeout.atom": "blogger-takeout", "feed-rss.xml": "rss", "feed-atom.xml": "atom",
         "feed.json": "json-feed"}


def export_of(tmp_path: Path, name: str):
    path = tmp_path / name
    path.write_text((FIXTURES / name).read_text("utf-8").replace("{{BASE}}", "https://old.example"), "utf-8")
    return parse(path, name, KINDS[name])


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_post_with_every_markup(tmp_path, name):
    export = export_of(tmp_path, name)
    post = next(p for p in export.posts if p.title == "Everything markup")
    assert post.kind == "post" and not post.draft
    assert post.labels == ("Café com Leite", "Dicas de Viagem")
    assert post.date.isoformat() == "2011-03-04T10:20:30+00:00"
    assert "<h2>Section heading</h2>" in post.html
    assert export.title == "Old Coffee Blog"


@pytest.mark.parametrize("name", ["wordpress.xml", "blogger-classic.xml", "blogger-takeout.atom"])
def test_exports_have_drafts_pages_threads_and_leave_out_spam(tmp_path, name):
    export = export_of(tmp_path, name)
    by_title = {p.title: p for p in export.posts}
    assert by_title["Draft in progress"].draft
    assert by_title["About me"].kind == "page"
    assert "Trashed post" not in by_title
    comments = {c.id.split("-")[1]: c for c in by_title["Everything markup"].comments}
    assert {k: c.parent.split("-")[-1] if c.parent else "" for k, c in comments.items()} == \
        {"41": "", "42": "41", "43": "42", "46": ""}
    assert comments["42"].author == "Bruno Costa" and comments["42"].url == "https://bruno.example/"
    reasons = sorted(item.reason for item in export.left_out if item.what == "comment")
    assert reasons == {"wordpress.xml": ["pingback", "spam", "unapproved"], "blogger-classic.xml": ["deleted"],
                       "blogger-takeout.atom": ["spam"]}[name]
    assert any("kept as a top-level comment" in str(p) for p in export.problems)


def test_old_addresses(tmp_path):
    assert [p.old_url for p in export_of(tmp_path, "wordpress.xml").posts] == [
        "https://old.example/2011/03/everything-markup/", "https://old.example/2011/03/second-post.html",
        "", "https://old.example/about/"]  # the draft's '/?p=12' is no permalink
    assert [p.old_url for p in export_of(tmp_path, "blogger-takeout.atom").posts] == [
        "/2011/03/everything-markup.html", "/2011/03/second-post.html", "", "/p/about.html"]


def test_authors(tmp_path):
    (author,) = export_of(tmp_path, "wordpress.xml").authors
    assert (author.key, author.name, author.email) == ("ana", "Ana Autora", "owner@example.org")
    (author,) = export_of(tmp_path, "blogger-classic.xml").authors
    assert author.email == ""  # Blogger's noreply@blogger.com is nobody's address
    assert author.avatar_url == "https://old.example/img/avatar.png"


def test_feeds_are_marked_partial(tmp_path):
    assert all(export_of(tmp_path, name).is_feed for name in ("feed-rss.xml", "feed-atom.xml", "feed.json"))
    assert not export_of(tmp_path, "wordpress.xml").is_feed


def test_a_platform_feed_counts_its_image_cdn_as_the_blogs_own(tmp_path):
    path = tmp_path / "medium.xml"
    path.write_text((FIXTURES / "feed-rss.xml").read_text("utf-8").replace("{{BASE}}", "https://medium.com/@ana"),
                    "utf-8")
    export = parse(path, "medium.xml", "rss")
    assert {"medium.com", "miro.medium.com", "cdn-images-1.medium.com"} <= export.image_hosts
