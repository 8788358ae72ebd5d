"""Threading, moderation, merging and the e-mail source, on models built in the test."""

from __future__ import annotations

import datetime as dt

from mkdocs_winwin.comments.add import email_comment
from mkdocs_winwin.comments.load import parse_conversation, parse_moderation
from mkdocs_winwin.comments.merge import Changes, merge
from mkdocs_winwin.comments.model import Comment, Conversation, HideRule, Reaction, comments_file, page_of
from mkdocs_winwin.comments.moderate import moderate, unused_rules
from mkdocs_winwin.comments.thread import thread, walk

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def c(ident, parent="", day=1, author=None, body="Text.", source="manual"):
    return Comment(ident, author or ident.upper(), dt.datetime(2020, 1, day, tzinfo=dt.timezone.utc), source, body, parent)


def test_file_names_follow_the_page():
    assert comments_file("blog/posts/my-post.md") == "blog/posts/my-post.comments.yml"
    assert page_of("blog/posts/my-post.comments.yml") == "blog/posts/my-post.md"


def test_replies_sit_under_their_parent_oldest_first_and_name_whom_they_answer():
    nodes = thread([c("b", day=2), c("a", day=1), c("r2", "a", day=5), c("r1", "a", day=3), c("rr", "r1", day=4)])
    assert [(n.comment.id, n.depth) for n in walk(nodes)] == [("a", 0), ("r1", 1), ("rr", 2), ("r2", 1), ("b", 0)]
    rr = next(n for n in walk(nodes) if n.comment.id == "rr")
    assert rr.in_reply_to.author == "R1"


def test_deep_replies_line_up_at_the_last_level_and_all_show_once():
    chain = [c("n0", day=1)] + [c(f"n{i}", f"n{i - 1}", day=1 + i) for i in range(1, 30)]
    nodes = list(walk(thread(chain, max_depth=4)))
    assert [n.comment.id for n in nodes] == [f"n{i}" for i in range(30)]
    assert max(n.depth for n in nodes) == 4
    assert nodes[-1].in_reply_to.id == "n28"


def test_a_very_long_chain_does_not_recurse_to_death():
    chain = [c("n0")] + [c(f"n{i}", f"n{i - 1}") for i in range(1, 5000)]
    assert len(list(walk(thread(chain)))) == 5000


def test_moderation_hides_by_id_on_one_page_or_all_and_keeps_replies():
    conv = Conversation("p.md", (c("a"), c("b", "a"), c("spam")), (Reaction("wm-1", "like"), Reaction("wm-2", "like")))
    rules = (HideRule("a", "rude", "p.md"), HideRule("spam", "spam"), HideRule("wm-2", "bot"), HideRule("b", "x", "other.md"))
    shown, hidden = moderate(conv, rules)
    assert [x.id for x in shown.comments] == ["b"]
    assert [r.id for r in shown.reactions] == ["wm-1"]
    assert [(h.comment.id, h.reason) for h in hidden] == [("a", "rude"), ("spam", "spam")]
    # b's parent is hidden: b shows top-level
    assert [n.depth for n in walk(thread(shown.comments))] == [0]


def test_a_rule_that_hides_nothing_is_a_warning():
    rules, problems = parse_moderation("hidden:\n  - id: wp-9\n    reason: spam\n  - id: a\n    page: p.md\n    reason: x\n", "m.yml")
    assert problems == []
    found = unused_rules(rules, {"p.md": Conversation("p.md", (c("a"),))}, "m.yml")
    assert [str(p) for p in found] == [
        "m.yml: 'hidden[1].id': 'wp-9' matches no comment on any page. Fix: check the id and page against `winwin comments list`"]
    assert found[0].warning


def test_moderation_file_problems_name_entry_and_key():
    _, problems = parse_moderation("hidden:\n  - id: 'bad id'\n  - page: x.txt\n    id: a\n    reason: r\n", "m.yml")
    assert [p.key for p in problems] == ["hidden[1].id", "hidden[1].reason", "hidden[2].page"]


def test_merge_adds_updates_and_keeps():
    old = Conversation("p.md", (c("a"), c("b")), (Reaction("wm-1", "like"),))
    new, changes = merge(old, [c("a"), c("b", body="Edited."), c("n")], [Reaction("wm-1", "like"), Reaction("wm-2", "repost")])
    assert changes == Changes(added=2, updated=1, unchanged=2)
    assert [x.id for x in new.comments] == ["a", "b", "n"] and new.by_id()["b"].body == "Edited.\n"
    again, changes = merge(new, [c("a"), c("b", body="Edited."), c("n")])
    assert again == new and not changes.changed


def test_email_reply_gets_a_stable_id_and_must_answer_a_real_comment():
    conv = Conversation("blog/posts/p.md", (c("a"),))
    one, problems = email_comment(conv, name="Dee", body="Thanks, tried it.", now=NOW, reply_to="a")
    two, _ = email_comment(conv, name="Dee", body="Thanks, tried it.", now=NOW + dt.timedelta(days=1))
    assert problems == [] and one.id == two.id and one.id.startswith("email-") and one.source == "email"
    assert one.parent == "a"
    none, problems = email_comment(conv, name="Dee", body="x", now=NOW, reply_to="zz")
    assert none is None
    assert [str(p) for p in problems] == [
        "blog/posts/p.comments.yml: '--reply-to': 'zz' is not a comment on this page. Fix: use one of: a"]
    bad, problems = email_comment(conv, name="", body="x", now=NOW, url="ftp://x")
    assert bad is None
    assert {p.key.rsplit(".", 1)[1] for p in problems} == {"author", "url"}


def test_a_megabyte_body_is_refused_and_the_rest_kept():
    text = ("comments:\n  - id: big\n    author: A\n    date: 2020-01-01\n    source: manual\n    body: " + "y" * 1_000_000
            + "\n  - id: ok\n    author: B\n    date: 2020-01-01\n    source: manual\n    body: fine\n")
    conv, problems = parse_conversation(text, "f.comments.yml", "f.md", NOW)
    assert [x.id for x in conv.comments] == ["ok"]
    assert [str(p) for p in problems] == [
        "f.comments.yml: 'comments[big].body': has 1,000,000 characters, more than 20,000. "
        "Fix: shorten it, or hide the comment in the moderation file"]
