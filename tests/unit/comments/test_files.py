"""Writing and reading back the format: stable, atomic, untouched when unchanged."""

from __future__ import annotations

import datetime as dt
import os

from mkdocs_winwin.comments.files import dump, read_all, write
from mkdocs_winwin.comments.load import parse_conversation
from mkdocs_winwin.comments.model import Comment, Conversation, Reaction
from mkdocs_winwin.comments.store import store

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def sample() -> Conversation:
    return Conversation("blog/posts/p.md", (
        Comment("wp-2", "Ana: \"quoted\" #1", dt.datetime(2011, 3, 4, 10, 20, 30, tzinfo=dt.timezone.utc), "import",
                "Two paragraphs.\n\n- and a list: yes\n", parent="wp-1", url="https://ana.example/",
                link="https://mastodon.social/@ana/1"),
        Comment("wp-1", "Bo", dt.datetime(2011, 3, 3, tzinfo=dt.timezone.utc), "import", "yes", date_only=True),
    ), (Reaction("wm-1", "like", "Cy", "https://cy.example/"),))


def test_dump_reads_back_to_the_same_model_in_date_order():
    text = dump(sample())
    assert text.index("id: wp-1") < text.index("id: wp-2")
    assert "date: 2011-03-04T10:20:30Z\n" in text and "date: 2011-03-03\n" in text
    assert "body: |\n    Two paragraphs.\n\n    - and a list: yes\n" in text
    back, problems = parse_conversation(text, "p.comments.yml", "blog/posts/p.md", NOW)
    assert problems == []
    assert {c.id: c for c in back.comments}["wp-2"] == sample().by_id()["wp-2"]
    assert back.by_id()["wp-1"].body == "yes\n"  # a body always ends its block with a newline
    assert back.reactions == sample().reactions


def test_write_leaves_an_unchanged_file_alone_and_leaves_no_temp_files(tmp_path):
    assert write(tmp_path, sample()) is True
    path = tmp_path / "blog/posts/p.comments.yml"
    os.utime(path, (1, 1))
    assert write(tmp_path, sample()) is False
    assert path.stat().st_mtime == 1
    assert [p.name for p in path.parent.iterdir()] == ["p.comments.yml"]
    assert path.stat().st_mode & 0o777 == 0o644  # not the temporary file's 0600


def test_store_merges_and_refuses_a_broken_file(tmp_path):
    (tmp_path / "blog/posts").mkdir(parents=True)
    (tmp_path / "blog/posts/p.md").write_text("# P\n")
    (tmp_path / "blog/posts/q.md").write_text("# Q\n")
    (tmp_path / "blog/posts/q.comments.yml").write_text("comments:\n  - id: x\n    author: A\n")
    new = Comment("isso-1", "Ana", dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), "isso", "Hi")
    result = store(tmp_path, {"blog/posts/p.md": [new], "blog/posts/q.md": [new]}, now=NOW)
    assert result.written == ("blog/posts/p.comments.yml",)
    assert result.changes.added == 1
    assert [p.path for p in result.refused] == ["blog/posts/q.comments.yml"]
    assert "fix the file, then pull again" in str(result.refused[0])
    assert (tmp_path / "blog/posts/q.comments.yml").read_text() == "comments:\n  - id: x\n    author: A\n"
    again = store(tmp_path, {"blog/posts/p.md": [new]}, now=NOW)
    assert again.written == () and again.changes.unchanged == 1
    # A key winwin does not know is only a warning for the build, but a rewrite would drop it.
    typo = "comments:\n  - id: x\n    author: A\n    date: 2020-01-01\n    source: manual\n    body: b\n    mood: happy\n"
    (tmp_path / "blog/posts/p.comments.yml").write_text(typo)
    kept = store(tmp_path, {"blog/posts/p.md": [new]}, now=NOW)
    assert kept.written == () and "mood" in str(kept.refused[0])
    assert (tmp_path / "blog/posts/p.comments.yml").read_text() == typo


def test_read_all_reports_every_file_and_orphans(tmp_path):
    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "a.comments.yml").write_text("comments:\n  - id: 1\n")
    (tmp_path / "gone.comments.yml").write_text("comments: []\n")
    (tmp_path / "comments-moderation.yml").write_text("hidden:\n  - id: zz\n    reason: spam\n")
    loaded = read_all(tmp_path, now=NOW)
    where = sorted({p.path for p in loaded.problems})
    assert where == ["a.comments.yml", "comments-moderation.yml", "gone.comments.yml"]
    assert any("has no page beside it" in str(p) for p in loaded.warnings)


def test_build_cache_reuses_unchanged_files_and_views_and_survives_damage(tmp_path, monkeypatch):
    from mkdocs_winwin.comments import files as files_module
    from mkdocs_winwin.comments.files import BuildCache
    from mkdocs_winwin.comments.render import page_view, render

    (tmp_path / "a.md").write_text("# A\n")
    (tmp_path / "a.comments.yml").write_text(dump(Conversation("a.md", sample().comments)))
    path = tmp_path / ".cache" / "comments.pickle"
    first = read_all(tmp_path, now=NOW, cache=path)
    assert path.is_file() and first.problems == ()

    def not_again(*args, **kwargs):
        raise AssertionError("read again")

    monkeypatch.setattr(files_module, "parse_conversation", not_again)
    assert read_all(tmp_path, now=NOW, cache=path).conversations == first.conversations
    # Fragments are kept by the conversation they show and the template's digest.
    cache = BuildCache(path)
    conversation = read_all(tmp_path, now=NOW, cache=cache).conversations["a.md"]
    html = cache.html(conversation, False, "t1", lambda: str(render(page_view(conversation))))
    cache.save()
    assert "comment-wp-2" in html
    assert BuildCache(path).html(conversation, False, "t1", not_again) == html
    assert BuildCache(path).html(conversation, False, "t2", lambda: "other") == "other"
    monkeypatch.undo()
    # A changed file is read again.
    (tmp_path / "a.comments.yml").write_text("comments:\n  - id: x\n")
    assert {p.key for p in read_all(tmp_path, now=NOW, cache=path).errors} >= {"comments[x].author"}
    # A result with a comment in the future is not kept: tomorrow it may be valid.
    (tmp_path / "a.comments.yml").write_text(
        "comments:\n  - id: x\n    author: A\n    date: 2026-06-02\n    source: manual\n    body: b\n")
    assert read_all(tmp_path, now=NOW, cache=path).errors
    assert not read_all(tmp_path, now=NOW.replace(day=3), cache=path).errors
    path.write_bytes(b"not a pickle")
    assert not read_all(tmp_path, now=NOW.replace(day=3), cache=path).errors  # damage is ignored
