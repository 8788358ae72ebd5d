"""The article store: per-source fetch state and every article ever seen.

SQLite from the standard library, one file under `.cache/winwin/`. Each source's
result is written in one transaction, so a crash mid-fetch leaves either the
previous state or the new one, never half of each. Articles are keyed by
(source id, guid) and are never deleted when a feed drops old items.

Durability: a rollback journal (journal_mode=TRUNCATE: the journal file is
emptied, not deleted, after each commit, which saves a directory sync) with
synchronous=FULL. A committed transaction is then in the database file itself
when COMMIT returns: no WAL file holds it until a checkpoint, so a process
killed right after a commit, its `-wal` file deleted or lost, loses nothing. A
store is also readable from a read-only folder (a WAL store needs its `-shm`
file created). A commit costs fsyncs, so the fetch saves the sources that
land together in one transaction (`save_many`), each still whole or absent.

Damage heals or is said: a store that is not a SQLite database (random bytes,
truncated to 0 bytes or half, a folder in its place), fails SQLite's
quick_check or lacks a table is moved aside by the next writer
(`store.sqlite.damaged-<time>`, kept, never deleted) with a message, and a new
one is filled by the fetch; the articles that the damaged copy still shows
and no feed lists any more are named as lost (see `Damage`). A row with an
unreadable date is read without it and mended by the next writer. A store
locked by another process is waited for `lock_wait` seconds, then a
StoreError says who to wait for.

Why not `reader`'s retriever (reader 3.26, checked): it hands
`response.raw` with `decode_content=True` straight to feedparser, so there is
no cap on the body, neither on the wire nor after gzip decompression (a gzip
bomb is read in full); redirects follow requests' default of 30, not 5; a 410
or a 301 is not told apart from other responses; and its own SQLite schema
would sit beside ours. It does honour Retry-After. The limits of issue 4 are
easier to prove on our small httpx fetcher (reading_list.fetch) feeding this store.

Readers (the build) open it with `open_store(cache_dir, read_only=True)` and
only call `articles()` and `sources_state()`: a missing store reads as empty
and is not created, a damaged one reads as empty with a note, nothing is
ever written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError
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


def _when(text: object) -> dt.datetime | None:
    """A stored date; None when missing or unreadable (a damaged row must not stop a build)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Lost:
    """An article the damaged store held: its source, guid, title and link."""

    source_id: str
    guid: str
    title: str
    url: str


@dataclass
class Damage:
    """A damaged store the writer moved aside: why, where it went, and what it still shows."""

    reason: str
    moved_to: Path | None
    readable: list[Lost] = field(default_factory=list)  # articles still readable in the damaged copy

    def lost(self, store: "Store") -> list[Lost]:
        """The damaged copy's articles that the rebuilt store does not have (no feed lists them now)."""
        have = {(a.source_id, a.guid) for a in store.articles()}
        return [a for a in self.readable if (a.source_id, a.guid) not in have]


LOCK_WAIT = 10.0
"""Seconds to wait for a store locked by another process before saying so."""

_TABLES = {
    "sources": {"id", "url", "name", "etag", "last_modified", "status", "error", "retry_after", "gone",
                "new_url", "last_ok", "last_fetch"},
    "articles": {"source_id", "guid", "url", "title", "summary", "published", "first_seen"},
}


def _problem(db: sqlite3.Connection) -> str | None:
    """What is wrong with an open store, in words; None when it is sound."""
    check = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
    if check != ["ok"]:
        return "SQLite's check failed (" + "; ".join(check)[:200] + ")"
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version < SCHEMA_VERSION:
        return None  # a new store: the schema is created next
    for table, columns in _TABLES.items():
        found = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if not found:
            return f"the table '{table}' is missing"
        if not columns <= found:
            return f"the table '{table}' lacks the columns {sorted(columns - found)}"
    return None


class Store:
    """The SQLite store at `path`. Reads of a missing file are empty; the first write creates it.

    `read_only`: never create, write, mend or move anything (the build). Notes
    for the user (damage found, rows mended) gather in `notes`; a store moved
    aside is described by `damage`.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, lock_wait: float = LOCK_WAIT):
        self.path = Path(path)
        self.read_only = read_only
        self.lock_wait = lock_wait
        self.notes: list[str] = []
        self.damage: Damage | None = None
        self._db: sqlite3.Connection | None = None
        self._unusable = False  # damaged, and this read-only store may not move it

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- opening -------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite's errors as StoreErrors that say what happened and what to do."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    str(self.path), f"is locked by another process and stayed locked for {self.lock_wait:g} s",
                    "wait for the other 'winwin feeds fetch' or build to finish, then run this again",
                ) from None
            if "full" in str(exc):
                raise StoreError(str(self.path), "cannot be written: the disk is full; it keeps what it had",
                                 f"free some space on the disk of {self.path.parent}, then fetch again") from None
            if "readonly" in str(exc).replace(" ", "") or "read-only" in str(exc):
                raise StoreError(str(self.path), f"cannot be written ({exc})",
                                 f"make {self.path.parent} writable for this user") from None
            raise StoreError(str(self.path), f"cannot be used ({exc})",
                             "run 'winwin feeds fetch' to check and rebuild it") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(str(self.path), f"is damaged ({exc})",
                             "run 'winwin feeds fetch': it moves the damaged store aside and rebuilds it") from None
        except OSError as exc:  # creating or moving the file: a read-only folder, a full disk
            raise StoreError(str(self.path), f"cannot be written ({exc.strerror or exc})",
                             f"make {self.path.parent} writable for this user, with space to spare") from None

    def _open(self, mode: str) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path.absolute()))}?mode={mode}"
        # isolation_level=None: we open transactions ourselves (BEGIN IMMEDIATE).
        return sqlite3.connect(uri, uri=True, isolation_level=None, timeout=self.lock_wait)

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        if self._db is not None or self._unusable:
            return self._db
        if not os.path.lexists(self.path):
            if not create or self.read_only:
                return None
            self._create()
        with self._errors():
            problem, db = self._inspect()
            if problem and self.read_only:
                self._unusable = True
                self.notes.append(
                    f"the article store {self.path} is damaged ({problem}): the reading list is built without "
                    "its articles. Fix: run 'winwin feeds fetch', which moves it aside and rebuilds it")
                return None
            if problem:
                self._move_aside(problem)
                self._create()
                db = self._open("rw")
            if not self.read_only:
                db.execute("PRAGMA journal_mode=TRUNCATE")  # also turns an older WAL store into one file
                db.execute("PRAGMA synchronous=FULL")
                self._mend(db)
        self._db = db
        return db

    def _inspect(self) -> tuple[str | None, sqlite3.Connection | None]:
        """(what is wrong with the file, or None; an open connection when it is sound)."""
        if self.path.is_dir():
            return "a folder stands where the store file should be", None
        if self.path.stat().st_size == 0:
            return "the file is empty (0 bytes): it was truncated", None  # we never leave an empty store
        db = None
        try:
            db = self._open("ro" if self.read_only else "rw")
            problem = _problem(db)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise
            if db is None and self.read_only:  # an older WAL store in a read-only folder
                with contextlib.suppress(sqlite3.Error):
                    db = sqlite3.connect(f"file:{quote(str(self.path.absolute()))}?immutable=1", uri=True,
                                         isolation_level=None)
                    return _problem(db), db
            problem = str(exc)
        except sqlite3.DatabaseError as exc:
            problem = f"{exc}"
        if problem:
            if db is not None:
                db.close()
            return problem, None
        return None, db

    def _create(self) -> None:
        """A new store with its schema, put in place in one rename: never an empty or half-made file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.new")
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        db = sqlite3.connect(temp, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                db.execute(statement)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            db.execute("COMMIT")
        finally:
            db.close()
        os.replace(temp, self.path)

    def _move_aside(self, problem: str) -> None:
        stamp = utcnow().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        n = 1
        while os.path.lexists(aside):
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{n}")
            n += 1
        os.rename(self.path, aside)
        for suffix in ("-journal", "-wal", "-shm"):  # they belong to the damaged file
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                os.rename(side, aside.with_name(aside.name + suffix))
        self.damage = Damage(problem, aside, _readable(aside))
        self.notes.append(
            f"the article store was damaged ({problem}); it was moved to {aside} and a new one is being filled "
            f"from the feeds ({len(self.damage.readable)} articles were still readable in the damaged copy)")

    def _mend(self, db: sqlite3.Connection) -> None:
        """Rows whose dates cannot be read get none (published) or today's (first seen), with a note."""
        rows = db.execute("SELECT rowid, published, first_seen FROM articles").fetchall()
        bad = [(rowid, p, f) for rowid, p, f in rows if (p and not _when(p)) or not _when(f)]
        if not bad:
            return
        now = _iso(utcnow())
        db.execute("BEGIN IMMEDIATE")
        for rowid, published, first_seen in bad:
            db.execute("UPDATE articles SET published = ?, first_seen = ? WHERE rowid = ?",
                       (published if _when(published) else None, first_seen if _when(first_seen) else now, rowid))
        db.execute("COMMIT")
        self.notes.append(f"{len(bad)} stored articles had an unreadable date; it was cleared "
                          "(published) or set to today (first seen)")

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
        found, undated = [], 0
        with self._errors():
            for sid, name, url, title, summary, published, guid, first_seen in db.execute(query, params):
                seen = _when(first_seen)
                if seen is None:  # a damaged row in a store this reader may not mend
                    undated += 1
                    continue
                found.append(Article(source_id=sid, source_name=name, url=url, title=title, summary=summary,
                                     published=_when(published), guid=guid, first_seen=seen))
        if undated:
            self.notes.append(f"{undated} stored articles were left out: their date in the store is unreadable. "
                              "Fix: run 'winwin feeds fetch', which mends them")
        return found

    def sources_state(self) -> dict[str, SourceState]:
        """The fetch state of every source ever fetched, by source id."""
        db = self._connect(create=False)
        if db is None:
            return {}
        with self._errors():
            rows = db.execute(
                "SELECT id, url, name, etag, last_modified, status, error, retry_after, gone, new_url,"
                " last_ok, last_fetch FROM sources ORDER BY id"
            ).fetchall()
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
        if self.read_only:
            raise StoreError(str(self.path), "was opened read-only and cannot be written",
                             "write through open_store(cache_dir) (the fetch), never from the build")
        with self._errors():
            db = self._connect(create=True)
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already (disk full)
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def save(self, state: SourceState, articles: Iterable[Article] = ()) -> int:
        """Record one source's fetch: its state and any articles, in one transaction.

        New articles are added; known ones (same source and guid) get the feed's
        current url, title, summary and date but keep their `first_seen`.
        Articles the feed no longer lists are kept. Returns how many were new.
        """
        return self.save_many([(state, articles)])[0]

    def save_many(self, fetched: Iterable[tuple[SourceState, Iterable[Article]]]) -> list[int]:
        """Several sources' fetches in one transaction (as `save` does each); how many new articles each brought.

        One commit costs an fsync or two (10-20 ms on a virtual disk): the fetch
        saves the sources that land together in one transaction, still each
        one whole or not at all.
        """
        with self._transaction() as db:
            return [self._write(db, state, articles) for state, articles in fetched]

    @staticmethod
    def _write(db: sqlite3.Connection, state: SourceState, articles: Iterable[Article]) -> int:
        rows = [
            (a.source_id, a.guid, a.url, a.title, a.summary, _iso(a.published), _iso(a.first_seen))
            for a in articles
        ]
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
        known = {g for (g,) in db.execute("SELECT guid FROM articles WHERE source_id = ?", (state.source_id,))}
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


def open_store(cache_dir: str | Path, *, read_only: bool = False, lock_wait: float = LOCK_WAIT) -> Store:
    """The store in `cache_dir`; cheap, and reads as empty when none exists yet (or, read-only, is damaged)."""
    return Store(Path(cache_dir) / STORE_FILE, read_only=read_only, lock_wait=lock_wait)


def _readable(path: Path) -> list[Lost]:
    """The articles a damaged store file still shows, as far as SQLite can read them."""
    if not path.is_file():
        return []
    found: list[Lost] = []
    try:
        db = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=0)
    except sqlite3.Error:
        return []
    try:
        cursor = db.execute("SELECT source_id, guid, title, url FROM articles")
        while True:
            row = cursor.fetchone()  # row by row: a malformed page ends the salvage, not the fetch
            if row is None:
                break
            found.append(Lost(*(str(v) for v in row)))
    except sqlite3.Error:
        pass
    finally:
        db.close()
    return found
