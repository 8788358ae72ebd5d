"""The article store: state round-trips, articles survive the feed dropping them,
a missing store reads as empty, and a crash mid-write never corrupts it."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from mkdocs_winwin.reading_list.articles import Article
from mkdocs_winwin.reading_list.store import SourceState, Store, open_store

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def article(guid: str, source_id: str = "s1", day: int | None = 1, title: str | None = None) -> Article:
    return Article(
        source_id=source_id, source_name="ignored", url=f"https://example.org/{guid}",
        title=title or f"Title {guid}", summary=f"Summary {guid}",
        published=T0.replace(day=day) if day else None, guid=guid, first_seen=T0,
    )


def test_missing_store_reads_empty_and_is_not_created(tmp_path):
    store = open_store(tmp_path / "cache")
    assert store.articles() == []
    assert store.sources_state() == {}
    assert not (tmp_path / "cache").exists()


def test_state_round_trips_exactly(tmp_path):
    state = SourceState(
        source_id="s1", url="https://example.org/feed", name="Example",
        etag='W/"abc"', last_modified="Wed, 21 Oct 2015 07:28:00 GMT", status=200, error=None,
        retry_after=T0 + dt.timedelta(hours=1), gone=False, new_url="https://new.example.org/feed",
        last_ok=T0, last_fetch=T0,
    )
    with open_store(tmp_path) as store:
        store.save(state)
    assert Store(tmp_path / "store.sqlite").sources_state() == {"s1": state}


def test_articles_survive_the_feed_dropping_them_and_keep_first_seen(tmp_path):
    state = SourceState(source_id="s1", url="https://example.org/feed", name="Example")
    with open_store(tmp_path) as store:
        assert store.save(state, [article("a"), article("b", day=2)]) == 2
        later = T0 + dt.timedelta(days=5)
        renamed = Article(**{**article("a", title="New title").__dict__, "first_seen": later})
        assert store.save(SourceState(**{**state.__dict__, "name": "Renamed"}), [renamed]) == 0
        stored = {a.guid: a for a in store.articles()}
    assert set(stored) == {"a", "b"}
    assert stored["a"].title == "New title"
    assert stored["a"].first_seen == T0  # first seen, not last seen
    assert stored["b"].source_name == "Renamed"  # the name comes from the source's current state


def test_articles_newest_first_undated_last_and_filter_by_source(tmp_path):
    with open_store(tmp_path) as store:
        store.save(SourceState("s1", "https://a.example/f", "A"), [article("old", day=1), article("nodate", day=None)])
        store.save(SourceState("s2", "https://b.example/f", "B"), [article("new", source_id="s2", day=9)])
        assert [a.guid for a in store.articles()] == ["new", "old", "nodate"]
        assert [a.guid for a in store.articles(["s2"])] == ["new"]
        assert store.articles([]) == []


def test_crash_mid_write_leaves_the_previous_state(tmp_path):
    """A process killed inside Store.save (after its rows went in, before the commit) loses only that write."""
    with open_store(tmp_path) as store:
        store.save(SourceState("s1", "https://a.example/f", "A", etag='"v1"'), [article("kept")])
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from mkdocs_winwin.reading_list.store import SourceState, Store
        from tests.unit.test_store import article

        class Dying:  # the store's connection, killed right after the articles are written
            def __init__(self, db):
                self.db = db
            def __getattr__(self, name):
                return getattr(self.db, name)
            def executemany(self, *args):
                self.db.executemany(*args)
                os._exit(9)  # no commit, no close: like a kill -9 mid-fetch

        class DyingStore(Store):
            def _connect(self, create):
                return Dying(super()._connect(create))

        DyingStore({str(tmp_path / "store.sqlite")!r}).save(
            SourceState("s1", "https://a.example/f", "A", etag="half"),
            [article(str(i)) for i in range(5000)])
    """)
    assert subprocess.run([sys.executable, "-c", script]).returncode == 9
    with open_store(tmp_path) as store:
        assert [a.guid for a in store.articles()] == ["kept"]
        assert store.state("s1").etag == '"v1"'
    check = sqlite3.connect(tmp_path / "store.sqlite").execute("PRAGMA integrity_check").fetchone()
    assert check == ("ok",)
