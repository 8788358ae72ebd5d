"""A damaged, locked or read-only store heals or says so; a commit survives a kill.

Each kind of damage: the build (read-only) reads it as empty with a note and
writes nothing; the next writer (the fetch) moves it aside with a message,
starts a new store and can name the articles the damaged copy still shows
that no feed brings back.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mkdocs_winwin.errors import StoreError
from mkdocs_winwin.reading_list.articles import Article
from mkdocs_winwin.reading_list.store import SourceState, open_store

REPO = Path(__file__).resolve().parents[2]
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def article(guid: str, source_id: str = "s1") -> Article:
    return Article(source_id=source_id, source_name="ignored", url=f"https://example.org/{guid}",
                   title=f"Title {guid}", summary="", published=T0, guid=guid, first_seen=T0)


def filled(folder: Path, count: int = 200) -> Path:
    """A store with two sources: s1 with `count` articles, s2 with one."""
    with open_store(folder) as store:
        store.save(SourceState("s1", "https://a.example/f", "A"), [article(f"a{i}") for i in range(count)])
        store.save(SourceState("s2", "https://b.example/f", "B"), [article("b0", "s2")])
    return folder / "store.sqlite"


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zero(path: Path) -> None:
    path.write_bytes(b"")


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()
    (path / "x").write_text("x")


def drop_table(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE sources")
    db.close()


DAMAGE = {"zero-bytes": zero, "half-truncated": truncate_half, "random-bytes": random_bytes,
          "folder-in-its-place": folder_instead, "dropped-table": drop_table}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_read_only_reader_reads_a_damaged_store_as_empty_says_so_and_writes_nothing(tmp_path, damage):
    path = filled(tmp_path)
    DAMAGE[damage](path)
    before = listing(tmp_path)
    with open_store(tmp_path, read_only=True) as store:
        assert store.articles() == [] and store.sources_state() == {}
        [note] = store.notes
    assert note.startswith(f"the article store {path} is damaged (") and "run 'winwin feeds fetch'" in note
    assert listing(tmp_path) == before


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_the_writer_moves_a_damaged_store_aside_and_starts_a_new_one(tmp_path, damage):
    path = filled(tmp_path)
    DAMAGE[damage](path)
    with open_store(tmp_path) as store:
        # The fetch brings back s2's article and ten of s1's; the feed dropped the rest.
        store.save(SourceState("s1", "https://a.example/f", "A"), [article(f"a{i}") for i in range(10)])
        store.save(SourceState("s2", "https://b.example/f", "B"), [article("b0", "s2")])
        assert store.damage is not None and store.damage.moved_to.name.startswith("store.sqlite.damaged-")
        [note] = store.notes
        lost = store.damage.lost(store)
        assert len(store.articles()) == 11
    assert note.startswith("the article store was damaged (") and f"moved to {store.damage.moved_to}" in note
    assert store.damage.moved_to.exists()  # kept, never deleted
    if damage == "dropped-table":  # the articles table is whole: every dropped article is named
        assert sorted(a.guid for a in lost) == sorted(f"a{i}" for i in range(10, 200))
    assert {a.guid for a in lost} <= {f"a{i}" for i in range(10, 200)}
    with open_store(tmp_path, read_only=True) as again:
        assert len(again.articles()) == 11 and again.notes == []


def test_a_bad_date_in_a_row_is_left_out_by_the_reader_and_mended_by_the_writer(tmp_path):
    path = filled(tmp_path, count=3)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE articles SET first_seen = 'yesterday-ish' WHERE guid = 'a0'")
        db.execute("UPDATE articles SET published = '2026-02-30T00:00:00' WHERE guid = 'a1'")
    db.close()
    with open_store(tmp_path, read_only=True) as store:
        found = {a.guid: a for a in store.articles()}
        assert set(found) == {"a1", "a2", "b0"} and found["a1"].published is None
        assert "1 stored articles were left out: their date in the store is unreadable" in store.notes[0]
    with open_store(tmp_path) as store:
        store.save(SourceState("s3", "https://c.example/f", "C"))
        assert store.notes == ["2 stored articles had an unreadable date; it was cleared (published) "
                               "or set to today (first seen)"]
        assert {a.guid for a in store.articles()} == {"a0", "a1", "a2", "b0"}


def _hold_lock(path: Path) -> subprocess.Popen:
    """A child process holding an exclusive lock on the store until its stdin closes."""
    script = textwrap.dedent(f"""
        import sqlite3, sys
        db = sqlite3.connect({str(path)!r}, isolation_level=None)
        db.execute("BEGIN EXCLUSIVE")
        print("locked", flush=True)
        sys.stdin.read()
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "locked"
    return child


@pytest.mark.parametrize("read_only", [True, False], ids=["build", "fetch"])
def test_a_locked_store_is_waited_for_within_a_bound_then_named(tmp_path, read_only):
    path = filled(tmp_path, count=1)
    child = _hold_lock(path)
    try:
        with open_store(tmp_path, read_only=read_only, lock_wait=0.3) as store, pytest.raises(StoreError) as info:
            if read_only:
                store.articles()
            else:
                store.save(SourceState("s9", "https://z.example/f", "Z"))
    finally:
        child.stdin.close()
        child.wait(timeout=60)
    assert str(info.value) == (f"{path}: is locked by another process and stayed locked for 0.3 s. Fix: wait for "
                               "the other 'winwin feeds fetch' or build to finish, then run this again")
    with open_store(tmp_path, read_only=read_only) as store:  # the lock gone, it works again
        assert len(store.articles()) == 2


def test_a_committed_article_survives_a_kill_and_the_loss_of_any_wal_or_journal_file(tmp_path):
    filled(tmp_path, count=1)
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from mkdocs_winwin.reading_list.store import SourceState, open_store
        from tests.unit.test_store_damage import article

        store = open_store({str(tmp_path)!r})
        store.save(SourceState("s1", "https://a.example/f", "A"), [article("committed")])
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint
    """)
    env = {**os.environ, "PYTHONPATH": str(REPO / "builder")}
    assert subprocess.run([sys.executable, "-c", script], env=env).returncode == -signal.SIGKILL
    for suffix in ("-wal", "-shm", "-journal"):
        (tmp_path / f"store.sqlite{suffix}").unlink(missing_ok=True)
    with open_store(tmp_path, read_only=True) as store:
        assert "committed" in {a.guid for a in store.articles()}


def test_the_build_reads_a_store_in_a_read_only_folder_and_never_writes(tmp_path):
    filled(tmp_path, count=2)
    before = listing(tmp_path)
    os.chmod(tmp_path, 0o555)
    try:
        with open_store(tmp_path, read_only=True) as store:
            assert len(store.articles()) == 3
            with pytest.raises(StoreError, match="was opened read-only"):
                store.save(SourceState("s9", "https://z.example/f", "Z"))
    finally:
        os.chmod(tmp_path, 0o755)
    assert listing(tmp_path) == before


def test_an_older_wal_store_is_read_and_turned_into_one_file_by_the_writer(tmp_path):
    path = filled(tmp_path, count=1)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
    db.close()
    with open_store(tmp_path, read_only=True) as store:
        assert len(store.articles()) == 2
    with open_store(tmp_path) as store:
        store.save(SourceState("s3", "https://c.example/f", "C"))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() != ("wal",)  # rollback modes are per connection
    db.close()


def test_a_full_disk_is_named_and_the_store_keeps_what_it_had(tmp_path):
    filled(tmp_path, count=5)
    with open_store(tmp_path) as store:
        store.articles()  # connects
        # SQLite's own page cap gives the error a full disk gives (SQLITE_FULL).
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count={pages}")
        with pytest.raises(StoreError, match=r"cannot be written: the disk is full; it keeps what it had\. Fix: "):
            store.save(SourceState("s3", "https://c.example/f", "C"),
                       [Article(**{**article(f"c{i}", "s3").__dict__, "summary": "x" * 2000}) for i in range(200)])
    with open_store(tmp_path, read_only=True) as store:
        assert len(store.articles()) == 6


def test_feeds_fetch_rebuilds_a_damaged_store_and_names_what_no_feed_brings_back(tmp_path):
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main
    from tests.feed_server import feed_server

    def feed(guids):
        items = "".join(f"<item><title>Article {g}</title><link>https://x.example/{g}</link><guid>{g}</guid></item>"
                        for g in guids)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    with feed_server() as server:
        url = server.url_for("/feed.xml")
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: Heal\ndocs_dir: content\nplugins:\n  - winwin-reading-list:\n      sources:\n"
            f"        - url: {url}\n          name: Feed\n")
        server.expect_ordered_request("/feed.xml").respond_with_data(feed(["old", "kept"]))
        server.expect_ordered_request("/feed.xml").respond_with_data(feed(["kept", "new"]))
        runner = CliRunner()
        assert runner.invoke(main, ["feeds", "fetch", "-f", str(tmp_path / "mkdocs.yml")]).exit_code == 0
        drop_table(tmp_path / ".cache" / "winwin" / "store.sqlite")
        result = runner.invoke(main, ["feeds", "fetch", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    assert "store: the article store was damaged (the table 'sources' is missing); it was moved to" in result.stderr
    assert "1 articles of the damaged store are in no feed any more and were not rebuilt" in result.stderr
    assert "  lost: Article old <https://x.example/old>" in result.stderr
    with open_store(tmp_path / ".cache" / "winwin", read_only=True) as store:
        assert sorted(a.title for a in store.articles()) == ["Article kept", "Article new"]
