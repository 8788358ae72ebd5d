"""Isso and JF2 answers turned into comments, on answers written in the test."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest

from mkdocs_winwin.comments import isso, webmentions
from mkdocs_winwin.comments.feed import PageInfo, comments_feed
from mkdocs_winwin.comments.model import Comment, Conversation
from mkdocs_winwin.errors import SourceError

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
PAGES = {"/blog/2026/01/02/hello/": "blog/posts/hello.md", "/guide/give-first/": "guide/give-first.md"}


def isso_item(ident, parent=None, mode=1, **extra):
    return {"id": ident, "parent": parent, "mode": mode, "author": "Ana", "website": None,
            "text": f"Comment {ident}", "created": 1767225600.5 + ident, "replies": [], **extra}


def test_isso_keeps_approved_comments_with_their_replies():
    reply = isso_item(2, parent=1, website="https://ana.example/")
    data = {"replies": [
        {**isso_item(1), "replies": [reply, isso_item(3, parent=1, mode=2)]},
        isso_item(4, mode=4, author=None, text=""),  # deleted, kept by Isso for its replies
        isso_item(5, author="  ", website="javascript:alert(1)"),
    ]}
    comments, problems = isso.thread_comments(data, "http://127.0.0.1:1/?uri=/x/", NOW)
    assert problems == []
    assert [(c.id, c.parent, c.author, c.url) for c in comments] == [
        ("isso-1", "", "Ana", ""), ("isso-2", "isso-1", "Ana", "https://ana.example/"), ("isso-5", "", "Anonymous", "")]
    assert comments[0].date == dt.datetime(2026, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc)
    assert comments[0].source == "isso" and comments[0].body == "Comment 1\n"


def test_isso_answer_that_is_not_a_thread_names_the_url():
    with pytest.raises(SourceError, match=r"^http://127\.0\.0\.1:1/\?uri=/x/: did not answer an Isso thread"):
        isso.thread_comments(["not", "a", "thread"], "http://127.0.0.1:1/?uri=/x/", NOW)


def test_isso_asks_each_page_by_its_path_and_skips_404():
    asked = []

    def get(url):
        asked.append(url)
        if "give-first" in url:
            return None  # no thread for this page
        return {"replies": [isso_item(1)]}

    out, _ = isso.pull("http://127.0.0.1:9/", PAGES, get, NOW)
    assert list(out) == ["blog/posts/hello.md"]
    assert asked == ["http://127.0.0.1:9/?uri=%2Fblog%2F2026%2F01%2F02%2Fhello%2F&plain=1",
                     "http://127.0.0.1:9/?uri=%2Fguide%2Fgive-first%2F&plain=1"]


def jf2(*children):
    return {"type": "feed", "name": "Webmentions", "children": list(children)}


def mention(ident, prop, target="https://site.example/blog/2026/01/02/hello/", **extra):
    return {"type": "entry", "wm-id": ident, "wm-property": prop, "wm-target": target,
            "wm-source": f"https://brid.gy/comment/mastodon/@ana/{ident}", "url": f"https://mastodon.social/@ana/{ident}",
            "author": {"type": "card", "name": "Ana", "url": "https://mastodon.social/@ana"},
            "published": "2026-01-03T10:00:00+00:00", "wm-received": "2026-01-03T10:05:00Z",
            "content": {"text": "Nice pointer", "html": "<p>Nice <b>pointer</b></p>"}, **extra}


def test_jf2_replies_become_comments_and_likes_reactions():
    data = jf2(mention(1, "in-reply-to"), mention(2, "like-of"), mention(3, "repost-of"), mention(4, "mention-of"),
               mention(5, "in-reply-to", target="https://site.example/guide/give-first/index.html?x=1#y"),
               mention(6, "like-of", target="https://other.example/nope/"))
    found = webmentions.parse(data, "http://127.0.0.1:1/jf2", PAGES, NOW)
    reply = found.comments["blog/posts/hello.md"][0]
    assert (reply.id, reply.source, reply.link, reply.url, reply.body) == (
        "wm-1", "webmention", "https://mastodon.social/@ana/1", "https://mastodon.social/@ana", "Nice pointer\n")
    assert reply.date == dt.datetime(2026, 1, 3, 10, tzinfo=dt.timezone.utc)
    assert [(r.id, r.kind) for r in found.reactions["blog/posts/hello.md"]] == [("wm-2", "like"), ("wm-3", "repost")]
    assert [c.id for c in found.comments["guide/give-first.md"]] == ["wm-5"]
    assert found.left_out == {"mention-of": 1}
    assert [(p.key, p.warning) for p in found.problems] == [("children[wm-6].wm-target", True)]


def test_jf2_bad_entries_are_reported_and_the_rest_kept():
    data = jf2(mention(1, "in-reply-to", content={"text": "x" * 30_000}),
               mention(2, "in-reply-to", published="yesterday", **{"wm-received": None}),
               mention(3, "in-reply-to", author={"name": "<script>", "url": "javascript:alert(1)"}),
               "junk")
    found = webmentions.parse(data, "http://127.0.0.1:1/jf2", PAGES, NOW)
    assert [c.id for c in found.comments["blog/posts/hello.md"]] == ["wm-3"]
    assert found.comments["blog/posts/hello.md"][0].url == ""
    assert sorted(p.key for p in found.problems) == ["children[4]", "comments[wm-1].body", "comments[wm-2].date"]
    assert all(p.path == "http://127.0.0.1:1/jf2" for p in found.problems)


def test_jf2_without_children_is_a_clear_error():
    with pytest.raises(SourceError, match="no 'children' list"):
        webmentions.parse({"error": "forbidden"}, "http://127.0.0.1:1/jf2", PAGES, NOW)


def test_feed_lists_newest_comments_with_safe_content_and_links_to_anchors():
    def c(i, body="Hi"):
        return Comment(f"m-{i}", f"Author {i}", dt.datetime(2026, 1, i, tzinfo=dt.timezone.utc), "manual", body)
    convs = [Conversation("a.md", (c(1), c(3, "<script>alert(1)</script>**bold** [x](javascript:y)"))),
             Conversation("b.md", (c(2),)), Conversation("draft.md", (c(4),))]
    pages = {"a.md": PageInfo("Post A", "https://s.example/a/"), "b.md": PageInfo("Post B", "https://s.example/b/")}
    xml = comments_feed(convs, pages, site_name="S", site_url="https://s.example/", limit=2)
    feed = feedparser.parse(xml)
    assert feed.bozo == 0
    assert [e.link for e in feed.entries] == ["https://s.example/a/#comment-m-3", "https://s.example/b/#comment-m-2"]
    assert feed.entries[0].title == "Author 3 on Post A"
    content = feed.entries[0].content[0].value
    assert "<strong>bold</strong>" in content and "script" not in content.replace("&lt;script&gt;", "")
    assert "javascript" not in content
    assert feed.feed.links[0].href == "https://s.example/atom-comments.xml"


def test_jf2_pages_are_followed_until_short_or_repeated():
    from urllib.parse import parse_qs, urlsplit

    entries = [mention(i, "like-of") for i in range(250)]
    asked = []

    def paged(url):
        asked.append(url)
        q = parse_qs(urlsplit(url).query)
        n, size = int(q["page"][0]), int(q["per-page"][0])
        assert q["token"] == ["t"]
        return jf2(*entries[n * size:(n + 1) * size])

    data = webmentions.fetch_all("http://127.0.0.1:1/api/mentions.jf2?token=t", paged)
    assert [c["wm-id"] for c in data["children"]] == list(range(250))
    assert len(asked) == 3  # 100 + 100 + 50: the short page ends it

    asked.clear()
    same = webmentions.fetch_all("http://127.0.0.1:1/jf2?per-page=2", lambda url: asked.append(url) or jf2(*entries[:2]))
    assert [c["wm-id"] for c in same["children"]] == [0, 1] and len(asked) == 2  # page 1 brought nothing new

    asked.clear()
    webmentions.fetch_all("http://127.0.0.1:1/jf2?page=3", lambda url: asked.append(url) or jf2())
    assert asked == ["http://127.0.0.1:1/jf2?page=3"]  # a page the user named is read as it is
