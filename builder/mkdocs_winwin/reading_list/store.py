"""The article store: per-source fetch state and every article ever seen.

SQLite from the standard library, one file under `.cache/winwin/`. Each source's
result is written in one transaction, in WAL mode, so a crash mid-fetch leaves
either the previous state or the new one, never half of each. Articles are keyed
by (source id, guid) and are never deleted when a feed drops old items.

Why not `reader`'s retriever (reader 3.26, checked): it hands
`response.raw` with `decode_content=True` straight to feedparser, so there is
no cap on the body, neither on the wire nor after gzip decompression (a gzip
bomb is read in full); redirects follow requests' default of 30, not 5; a 410
or a 301 is not told apart from other responses; and its own SQLite schema
would sit beside ours. It does honour Retry-After. The limits of issue 4 are
easier to prove on our small httpx fetcher (reading_list.fetch) feeding this store.

Readers (the build) only call `open_store(cache_dir)`, `articles()` and
`sources_state()`; a missing store reads as empty and is not created.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .articles import Article

STORE_FILE = "store.sqlite"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    name TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    status INTEGER,
    error TEXT,
    retry_after TEXT,
    gone INTEGER NOT NULL DEFAULT 0,
    new_url TEXT,
    last_ok TEXT,
    last_fetch TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    source_id TEXT NOT NULL,
    guid TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    published TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (source_id, guid)
);
"""


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclass(frozen=True)
class SourceState:
    """What the last fetch of one source left behind.

    `etag` and `last_modified` are the response headers exactly as received,
    sent back as If-None-Match / If-Modified-Since. `status` is the last HTTP
    status (None for a local file or a network failure), `error` the last
    problem in words (None when the last fetch was good).
    """

    source_id: str
    url: str
    name: str
    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None
    error: str | None = None
    retry_after: dt.datetime | None = None  # skip the source until then (429/503)
    gone: bool = False  # the server answered 410 Gone
    new_url: str | None = None  # a 301 pointed here: the owner should update mkdocs.yml
    last_ok: dt.datetime | None = None  # last fetch that gave a usable feed (or a 304)
    last_fetch: dt.datetime | None = None


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.timezone.utc).isoformat() if value else None


def _when(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


class Store:
    """The SQLite store at `path`. Reads of a missing file are empty; the first write creates it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._db is None:
            if not self.path.exists():
                if not create:
                    return None
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE).
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                for statement in _SCHEMA.split(";"):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            self._db = db
        return self._db

    # --- reading -----------------------------------------------------------

    def articles(self, source_ids: Iterable[str] | None = None) -> list[Article]:
        """Every stored article (of `source_ids` when given), newest first, undated last."""
        db = self._connect(create=False)
        if db is None:
            return []
        query = """
            SELECT a.source_id, s.name, a.url, a.title, a.summary, a.published, a.guid, a.first_seen
            FROM articles a JOIN sources s ON s.id = a.source_id
        """
        params: list[str] = []
        if source_ids is not None:
            ids = list(source_ids)
            if not ids:
                return []
            query += f" WHERE a.source_id IN ({','.join('?' * len(ids))})"
            params = ids
        query += " ORDER BY a.published IS NULL, a.published DESC, a.first_seen DESC, a.source_id, a.guid"
        return [
            Article(source_id=sid, source_name=name, url=url, title=title, summary=summary,
                    published=_when(published), guid=guid, first_seen=_when(first_seen))
            for sid, name, url, title, summary, published, guid, first_seen in db.execute(query, params)
        ]

    def sources_state(self) -> dict[str, SourceState]:
        """The fetch state of every source ever fetched, by source id."""
        db = self._connect(create=False)
        if db is None:
            return {}
        rows = db.execute(
            "SELECT id, url, name, etag, last_modified, status, error, retry_after, gone, new_url,"
            " last_ok, last_fetch FROM sources ORDER BY id"
        )
        return {
            row[0]: SourceState(
                source_id=row[0], url=row[1], name=row[2], etag=row[3], last_modified=row[4],
                status=row[5], error=row[6], retry_after=_when(row[7]), gone=bool(row[8]),
                new_url=row[9], last_ok=_when(row[10]), last_fetch=_when(row[11]),
            )
            for row in rows
        }

    def state(self, source_id: str) -> SourceState | None:
        return self.sources_state().get(source_id)

    # --- writing -----------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or (on any error or a crash) none of it."""
        db = self._connect(create=True)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def save(self, state: SourceState, articles: Iterable[Article] = ()) -> int:
        """Record one source's fetch: its state and any articles, in one transaction.

        New articles are added; known ones (same source and guid) get the feed's
        current url, title, summary and date but keep their `first_seen`.
        Articles the feed no longer lists are kept. Returns how many were new.
        """
        rows = [
            (a.source_id, a.guid, a.url, a.title, a.summary, _iso(a.published), _iso(a.first_seen))
            for a in articles
        ]
        with self._transaction() as db:
            db.execute(
                """INSERT INTO sources (id, url, name, etag, last_modified, status, error, retry_after,
                                        gone, new_url, last_ok, last_fetch)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(id) DO UPDATE SET
                     url=excluded.url, name=excluded.name, etag=excluded.etag,
                     last_modified=excluded.last_modified, status=excluded.status,
                     error=excluded.error, retry_after=excluded.retry_after, gone=excluded.gone,
                     new_url=excluded.new_url, last_ok=excluded.last_ok,
                     last_fetch=excluded.last_fetch""",
                (state.source_id, state.url, state.name, state.etag, state.last_modified, state.status,
                 state.error, _iso(state.retry_after), int(state.gone), state.new_url,
                 _iso(state.last_ok), _iso(state.last_fetch)),
            )
            known = {g for (g,) in db.execute(
                "SELECT guid FROM articles WHERE source_id = ?", (state.source_id,))}
            db.executemany(
                """INSERT INTO articles (source_id, guid, url, title, summary, published, first_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(source_id, guid) DO UPDATE SET
                     url=excluded.url, title=excluded.title, summary=excluded.summary,
                     published=excluded.published""",
                rows,
            )
        return len({row[1] for row in rows} - known)

    def move_source(self, old_id: str, new_id: str) -> None:
        """Give `old_id`'s articles to `new_id` (a feed that moved); its state goes, in one transaction."""
        with self._transaction() as db:
            db.execute("UPDATE OR IGNORE articles SET source_id = ? WHERE source_id = ?", (new_id, old_id))
            db.execute("DELETE FROM articles WHERE source_id = ?", (old_id,))
            db.execute("UPDATE OR IGNORE sources SET id = ?, etag = NULL, last_modified = NULL, new_url = NULL"
                       " WHERE id = ?", (new_id, old_id))
            db.execute("DELETE FROM sources WHERE id = ?", (old_id,))


def open_store(cache_dir: str | Path) -> Store:
    """The store in `cache_dir`; cheap, and reads as empty when none exists yet."""
    return Store(Path(cache_dir) / STORE_FILE)
