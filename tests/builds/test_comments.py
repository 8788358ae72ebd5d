"""Real builds of a tiny site with comments kept beside its post: threaded HTML, counts, feed, moderation."""

from __future__ import annotations

import logging

import feedparser
import lxml.html
import pytest
from mkdocs.exceptions import Abort

from tests.support import AUTHORS, build_tree, prompts_config, small_site

POST = "blog/2026/01/02/hello/index.html"
CONVERSATION = """\
comments:
  - id: wp-1
    author: Ana Lima
    url: https://ana.example/
    date: 2026-01-03T10:00:00Z
    source: import
    body: |
      Asking first *works*. <script>alert(1)</script>
  - id: wp-2
    parent: wp-1
    author: Bo
    date: 2026-01-04T10:00:00Z
    source: email
    body: Agreed, [my notes](https://bo.example/notes).
  - id: spam-1
    author: Buy now
    url: https://spam.example/
    date: 2026-01-05T10:00:00Z
    source: manual
    body: Cheap pills.
  - id: wm-9
    author: Cy
    date: 2026-01-06T10:00:00Z
    source: webmention
    link: https://mastodon.social/@cy/9
    body: Bookmarked.
reactions:
  - {id: wm-10, kind: like}
  - {id: wm-11, kind: like}
  - {id: wm-12, kind: repost}
"""
MODERATION = """\
hidden:
  - page: blog/posts/hello.md
    id: spam-1
    reason: spam
"""


def site(tmp_path, files=None, options=""):
    return small_site(tmp_path, {**AUTHORS, "mkdocs.yml": prompts_config(options),
                                 "content/blog/posts/hello.comments.yml": CONVERSATION,
                                 "content/comments-moderation.yml": MODERATION, **(files or {})})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = site(tmp_path_factory.mktemp("comments"))
    return build_tree(root)


def html(built, path=POST):
    return lxml.html.fromstring((built / path).read_text(encoding="utf-8"))


def test_the_post_shows_the_thread_inside_your_turn_above_the_channels(built):
    page = html(built)
    section = page.cssselect("section.winwin-turn")[0]
    comments = section.cssselect("section.winwin-comments")[0]
    assert comments.cssselect("h3")[0].text_content() == "3 replies"
    assert comments.cssselect(".winwin-comments__reactions")[0].text_content() == "2 likes, 1 repost on the social web"
    assert [li.get("id") for li in comments.cssselect(".winwin-comments__list > li")] == ["comment-wp-1", "comment-wm-9"]
    reply = comments.cssselect("#comment-wp-1 li")[0]
    assert reply.get("id") == "comment-wp-2" and "in reply to Ana Lima" in reply.text_content()
    # above the live reply channels
    order = [e.get("class") for e in section.iter() if e.get("class") in ("winwin-comments", "winwin-turn__channels")]
    assert order == ["winwin-comments", "winwin-turn__channels"]


def test_hidden_and_hostile_content_never_reaches_the_page(built):
    text = (built / POST).read_text(encoding="utf-8")
    assert "Cheap pills" not in text and "spam.example" not in text
    assert "alert(1)" not in text
    assert 'href="https://ana.example/" rel="nofollow ugc"' in text


def test_conversation_and_moderation_files_are_not_published(built):
    assert not list(built.rglob("*.comments.yml"))
    assert not (built / "comments-moderation.yml").exists()


def test_reply_count_in_the_blog_index_and_on_the_post(built):
    index = html(built, "blog/index.html")
    links = [a for a in index.cssselect("a") if a.text_content().strip() == "3 replies"]
    assert links and links[0].get("href").endswith("2026/01/02/hello/#comments")
    post = html(built)
    meta = [a for a in post.cssselect(".md-post__meta a, .md-sidebar a") if a.text_content().strip() == "3 replies"]
    assert meta and meta[0].get("href") == "#comments"


def test_feed_of_latest_comments_is_announced_on_pages_with_comments(built):
    head = html(built).cssselect('head link[href$="atom-comments.xml"]')
    assert len(head) == 1 and head[0].get("type") == "application/atom+xml"
    assert not html(built, "index.html").cssselect('head link[href$="atom-comments.xml"]')
    feed = feedparser.parse((built / "atom-comments.xml").read_bytes())
    assert feed.bozo == 0
    assert [e.link for e in feed.entries] == [
        "https://test.example.org/blog/2026/01/02/hello/#comment-wm-9",
        "https://test.example.org/blog/2026/01/02/hello/#comment-wp-2",
        "https://test.example.org/blog/2026/01/02/hello/#comment-wp-1"]
    assert feed.entries[0].title == "Cy on Hello"
    assert "script" not in feed.entries[2].content[0].value


def test_a_broken_conversation_stops_the_build_with_every_problem(tmp_path, caplog):
    broken = "comments:\n  - id: a\n    author: A\n    date: 2099-01-01\n    source: manual\n    body: x\n  - id: b\n"
    root = site(tmp_path, {"content/blog/posts/hello.comments.yml": broken, "content/comments-moderation.yml": ""})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_tree(root)
    message = caplog.text
    assert "content" in message and "blog/posts/hello.comments.yml: 'comments[a].date': 2099-01-01 is in the future" in message
    assert "'comments[b].author': is missing" in message and "'comments[b].body': is missing" in message


def test_a_missing_parent_is_a_warning_strict_builds_refuse(tmp_path):
    orphan = "comments:\n  - id: a\n    parent: gone\n    author: A\n    date: 2020-01-01\n    source: manual\n    body: x\n"
    root = site(tmp_path, {"content/blog/posts/hello.comments.yml": orphan, "content/comments-moderation.yml": ""})
    built = build_tree(root, strict=False)
    assert html(built).cssselect("#comment-a")
    with pytest.raises(SystemExit):
        build_tree(root, strict=True)


def test_a_site_overrides_the_comments_template_from_its_custom_dir(tmp_path):
    root = site(tmp_path, {"theme/partials/winwin/comments.html": "<p class=mine>{{ winwin_comments.heading }}</p>\n"})
    built = build_tree(root)
    assert html(built).cssselect("p.mine")[0].text_content() == "3 replies"


def test_winwin_comments_list_and_add(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main

    root = site(tmp_path)
    monkeypatch.chdir(root)
    listed = CliRunner().invoke(main, ["comments", "list"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "blog/posts/hello.md: 3 shown, 1 hidden; 2 likes, 1 repost on the social web",
        "  wp-1  2026-01-03T10:00:00Z  Ana Lima (import)",
        "    wp-2  2026-01-04T10:00:00Z  Bo (email)  in reply to Ana Lima",
        "  wm-9  2026-01-06T10:00:00Z  Cy (webmention)",
        "  hidden  spam-1  2026-01-05T10:00:00Z  Buy now (manual): spam",
    ]
    added = CliRunner().invoke(main, ["comments", "add", "content/blog/posts/hello.md", "--name", "Dee",
                                      "--reply-to", "wm-9"], input="Thanks, *tried it*.\n")
    assert added.exit_code == 0, added.output
    assert added.output.startswith("blog/posts/hello.comments.yml: added email-")
    again = CliRunner().invoke(main, ["comments", "add", "blog/posts/hello.md", "--name", "Dee",
                                      "--reply-to", "wm-9"], input="Thanks, *tried it*.\n")
    assert "already has this reply" in again.output
    assert (root / "content/blog/posts/hello.comments.yml").read_text().count("tried it") == 1
    wrong = CliRunner().invoke(main, ["comments", "add", "blog/posts/hello.md", "--name", "Dee", "--reply-to", "nope"],
                               input="x")
    assert wrong.exit_code == 1 and "'--reply-to': 'nope' is not a comment on this page" in wrong.output
    html = (build_tree(root) / POST).read_text()
    assert "4 replies" in html and "<em>tried it</em>" in html


def test_an_edited_conversation_or_template_shows_in_the_next_build(tmp_path):
    root = site(tmp_path)
    assert "Ana Lima" in (build_tree(root) / POST).read_text()
    conversation = root / "content/blog/posts/hello.comments.yml"
    conversation.write_text(conversation.read_text().replace("Ana Lima", "Ana Souza"))
    html = (build_tree(root) / POST).read_text()
    assert "Ana Souza" in html and "Ana Lima" not in html
    (root / "theme/partials/winwin").mkdir(parents=True, exist_ok=True)
    (root / "theme/partials/winwin/comments.html").write_text("<p class=mine>{{ winwin_comments.count }}</p>\n")
    assert "<p class=mine>3</p>" in (build_tree(root) / POST).read_text()  # the new template, not the kept HTML


def test_winwin_check_reports_comment_problems_like_the_build(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main

    broken = "comments:\n  - id: a\n    author: A\n    date: 2099-01-01\n    source: manual\n    body: x\n"
    root = site(tmp_path, {"content/blog/posts/hello.comments.yml": broken, "content/comments-moderation.yml": ""})
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert ("error: blog/posts/hello.comments.yml: 'comments[a].date': 2099-01-01 is in the future. "
            "Fix: write the date it was posted (UTC), e.g. 2011-03-04T10:20:30Z") in result.output


def test_the_moderation_file_can_be_renamed_and_is_not_published(tmp_path):
    root = site(tmp_path, {"content/comments-moderation.yml": "", "content/moderation/hidden.yml": MODERATION},
                options="      comments_moderation: moderation/hidden.yml\n")
    built = build_tree(root)
    assert "Cheap pills" not in (built / POST).read_text()
    assert not (built / "moderation/hidden.yml").exists()


def test_a_post_closed_with_comments_false_shows_no_comments_count_or_feed_entry(tmp_path):
    from tests.support import HELLO_POST

    closed = HELLO_POST.replace("description: A first post.\n", "description: A first post.\ncomments: false\n")
    built = build_tree(site(tmp_path, {"content/blog/posts/hello.md": closed}))
    page = (built / POST).read_text(encoding="utf-8")
    assert "Asking first" not in page and "3 replies" not in page
    assert "3 replies" not in (built / "blog/index.html").read_text(encoding="utf-8")
    assert not (built / "atom-comments.xml").exists()
