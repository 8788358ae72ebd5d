"""The rendered fragment: threaded, counted, dated, anchored, marked up, and safe."""

from __future__ import annotations

import datetime as dt

import lxml.html

from mkdocs_winwin.comments.load import parse_conversation
from mkdocs_winwin.comments.render import page_view, reactions_label, render, replies_label

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
FILE = """\
comments:
  - id: wp-41
    author: Bo <b>Bold</b>
    url: javascript:alert(1)
    date: 2011-03-03
    source: import
    body: Never shown, its url is not http.
  - id: wp-40
    author: Bo
    date: 2011-03-03
    source: import
    body: "First <script>alert(1)</script> pointer."
  - id: wp-42
    parent: wp-40
    author: Ana Lima
    url: https://ana.example/
    date: 2011-03-04T10:20:30Z
    source: import
    body: |
      Great *pointer*! See [my notes](https://ana.example/notes).
  - id: wm-7
    parent: wp-42
    author: Cy
    date: 2011-03-05T00:00:00Z
    source: webmention
    link: https://mastodon.social/@cy/7
    body: Agreed.
  - id: isso-3
    author: Dee
    date: 2011-03-06T00:00:00Z
    source: isso
    body: From the live widget.
reactions:
  - {id: wm-1, kind: like}
  - {id: wm-2, kind: like}
  - {id: wm-3, kind: repost}
"""


def fragment(live_isso=False):
    conv, _ = parse_conversation(FILE, "p.comments.yml", "p.md", NOW)
    return conv, lxml.html.fragment_fromstring(str(render(page_view(conv, live_isso=live_isso))))


def test_labels():
    assert [replies_label(n) for n in (1, 3, 1200)] == ["1 reply", "3 replies", "1,200 replies"]
    assert reactions_label(12, 3) == "12 likes, 3 reposts on the social web"
    assert reactions_label(1, 0) == "1 like on the social web"
    assert reactions_label(0, 0) == ""


def test_heading_counts_and_reactions_show():
    _, root = fragment()
    assert root.get("id") == "comments"
    assert root.cssselect("h3")[0].text_content() == "4 replies"
    assert root.cssselect(".winwin-comments__reactions")[0].text_content() == "2 likes, 1 repost on the social web"


def test_threaded_oldest_first_with_in_reply_to():
    _, root = fragment()
    top = root.cssselect(".winwin-comments__list > li")
    assert [li.get("id") for li in top] == ["comment-wp-40", "comment-isso-3"]
    nested = top[0].cssselect("li li")
    assert [li.get("id") for li in nested] == ["comment-wp-42", "comment-wm-7"]
    reply = nested[1].cssselect(".winwin-comment__reply-to a")[0]
    assert reply.text_content() == "Ana Lima" and reply.get("href") == "#comment-wp-42"


def test_each_comment_has_permalink_time_and_microdata():
    _, root = fragment()
    for li in root.cssselect("li.winwin-comment"):
        assert li.get("itemtype") == "https://schema.org/Comment"
        link = li.cssselect(":scope > article .winwin-comment__permalink")[0]
        assert link.get("href") == "#" + li.get("id")
        assert link.cssselect("time[itemprop=dateCreated]")[0].get("datetime")
        assert li.cssselect(":scope > article [itemprop=text]")
    replies = root.cssselect("li li")
    assert all(li.get("itemprop") == "comment" for li in replies)
    assert root.cssselect("#comment-wp-42 time")[0].get("datetime") == "2011-03-04T10:20:30Z"
    assert root.cssselect("#comment-wp-42 time")[0].text == "4 March 2011"
    assert root.cssselect("#comment-wp-40 time")[0].get("datetime") == "2011-03-03"


def test_author_linked_only_by_http_with_nofollow_ugc_and_nothing_active():
    _, root = fragment()
    author = root.cssselect("#comment-wp-42 .winwin-comment__author a")[0]
    assert author.get("href") == "https://ana.example/" and author.get("rel") == "nofollow ugc"
    assert not root.cssselect("#comment-wp-40 > article .winwin-comment__author a")
    html = lxml.html.tostring(root, encoding="unicode")
    assert "<script" not in html and "javascript:" not in html and "<b>" not in html
    via = root.cssselect("#comment-wm-7 .winwin-comment__via a")[0]
    assert via.text_content() == "mastodon.social" and via.get("rel") == "nofollow ugc"


def test_isso_copies_are_marked_and_the_hiding_script_only_comes_with_the_widget():
    _, root = fragment(live_isso=False)
    assert root.cssselect("#comment-isso-3")[0].get("data-winwin-isso-id") == "3"
    assert not root.cssselect("#comment-wp-40")[0].get("data-winwin-isso-id")
    assert not root.cssselect("script")
    _, root = fragment(live_isso=True)
    assert "isso-thread" in root.cssselect("script")[0].text


def test_nothing_to_show_renders_nothing():
    conv, _ = parse_conversation("comments: []\n", "p.comments.yml", "p.md", NOW)
    assert page_view(conv) is None and render(None) == ""
