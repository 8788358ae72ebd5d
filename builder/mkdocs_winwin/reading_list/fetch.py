"""Fetching sources into the store (`winwin feeds fetch`): the thread pool and the order of work.

The parts, each in its own module:

- `limits`: the fetch settings, checked once;
- `http`: one download with a hard deadline (headers and body), bounded
  redirects, no detour to non-public addresses;
- `body`: the bounded body and its decompression;
- `status`: what an HTTP status or a network error means, in words;
- `local`: local-file sources (read by the build directly, not stored);
- `decide`: the pure decision (skip, interpret a download);
- `report`: the text printed at the end.

Sources are fetched by a thread pool of `concurrency` workers; only the
calling thread parses and writes to the store, each source whole in one
transaction (the sources that land within a second share one). A
failing source never stops the others and never loses its stored articles: it
is reported with its URL, what happened and what to do.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace

import httpx

from ..errors import SourceError
from . import http
from .decide import FetchResult, failed, interpret, skip, starting_state
from .limits import DEFAULT_MAX_BYTES, FetchSettings, fetch_settings, user_agent
from .local import read_local
from .report import format_report
from .sources import Source
from .store import SourceState, Store, utcnow

SAVE_BATCH = 32
SAVE_EVERY = 1.0
"""Sources saved per transaction at most, and seconds at most between saves: a kill loses no more."""

__all__ = ["DEFAULT_MAX_BYTES", "FetchResult", "FetchSettings", "fetch_all", "fetch_settings", "fetch_source",
           "format_report", "local_result", "refresh_local", "user_agent"]


@dataclass(frozen=True)
class _ParseStep:
    """A body downloaded and waiting to be parsed (CPU work, kept off the download threads)."""

    source: Source
    base: SourceState
    download: http.Download
    now: dt.datetime
    max_entries: int

    @property
    def size(self) -> int:
        return len(self.download.body)

    def __call__(self) -> FetchResult:
        return interpret(self.source, self.base, self.download, self.now, self.max_entries)


def download_source(client: httpx.Client | None, source: Source, previous: SourceState | None,
                    settings: FetchSettings, now: dt.datetime | None = None) -> FetchResult | _ParseStep:
    """The network half of a fetch: a finished result (skipped, failed), or the parse step left to run."""
    now = now or utcnow()
    base = starting_state(source, previous, now)
    skipped = skip(source, base, now)
    if skipped:
        return skipped
    timeout = source.timeout or settings.timeout
    max_bytes = source.max_bytes or settings.max_bytes
    try:
        if source.is_local:
            download = read_local(source.url, source.path, max_bytes, source.project)
        else:
            download = http.download(client, source.url, previous, settings, timeout, max_bytes)
    except SourceError as problem:
        return failed(source, base, problem)
    return _ParseStep(source, base, download, now, settings.max_entries)


def fetch_source(client: httpx.Client | None, source: Source, previous: SourceState | None,
                 settings: FetchSettings, now: dt.datetime | None = None) -> FetchResult:
    """Fetch and parse one source; never raises for anything the source or network does."""
    step = download_source(client, source, previous, settings, now)
    return step() if isinstance(step, _ParseStep) else step


def local_result(source: Source, settings: FetchSettings | None = None,
                 now: dt.datetime | None = None) -> FetchResult:
    """A local-file source read and parsed, without any store (the build's way).

    Its articles count as first seen when the file last changed, so a rebuild
    of an unchanged file gives the same list.
    """
    settings = settings or FetchSettings()
    try:
        changed = dt.datetime.fromtimestamp(source.path.stat().st_mtime, dt.timezone.utc)
    except OSError:
        changed = None
    return fetch_source(None, source, None, settings, now or changed or utcnow())


# --- many sources ------------------------------------------------------------

class _Backlog:
    """Bytes downloaded but not yet parsed, bounded: downloads cannot outrun parsing without limit."""

    def __init__(self, limit: int):
        self.limit, self.size = limit, 0
        self.changed = threading.Condition()

    def add(self, size: int) -> None:
        # Whenever size > 0 a finished download is waiting for the parser, which
        # will call done(): waiting here cannot deadlock.
        with self.changed:
            self.changed.wait_for(lambda: self.size == 0 or self.size + size <= self.limit)
            self.size += size

    def done(self, size: int) -> None:
        with self.changed:
            self.size -= size
            self.changed.notify_all()


def fetch_all(sources: Iterable[Source], store: Store, settings: FetchSettings,
              progress: Callable[[FetchResult], None] | None = None) -> list[FetchResult]:
    """Fetch every source, saving each into `store` as it lands.

    `settings.concurrency` threads download; the calling thread parses and
    writes. Parsing is CPU work, so a download thread never waits for it: the
    next download (perhaps of a feed that hangs until its timeout) starts at once.
    """
    sources = list(sources)
    states = _adopt_moved(sources, store)
    backlog = _Backlog(4 * settings.max_bytes)

    def download(source: Source) -> FetchResult | _ParseStep:
        step = download_source(client, source, states.get(source.id), settings)
        if isinstance(step, _ParseStep):
            backlog.add(step.size)
        return step

    results: list[FetchResult] = []
    pending: list[FetchResult] = []

    def save() -> None:
        counts = store.save_many([(r.state, r.articles) for r in pending])
        for result, new in zip(pending, counts):
            results.append(replace(result, new_articles=new))
            if progress:
                progress(results[-1])
        pending.clear()

    with http.client(settings) as client, \
            ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="winwin-fetch") as pool:
        # Sources that failed last time first: a feed that hangs then starts its
        # timeout at once instead of after the queue, so it delays nothing.
        queue = sorted(sources, key=lambda s: not (states.get(s.id) and states[s.id].error))
        saved = time.monotonic()
        for future in as_completed([pool.submit(download, s) for s in queue]):
            result = step = future.result()
            if isinstance(step, _ParseStep):
                try:
                    result = step()
                finally:
                    backlog.done(step.size)
            pending.append(result)
            # One commit per batch, not per source: each commit waits for the disk.
            if len(pending) >= SAVE_BATCH or time.monotonic() - saved >= SAVE_EVERY:
                save()
                saved = time.monotonic()
        if pending:
            save()
    order = {s.id: i for i, s in enumerate(sources)}
    return sorted(results, key=lambda r: order[r.source.id])


def _adopt_moved(sources: list[Source], store: Store) -> dict[str, SourceState]:
    """Once the owner puts a moved feed's new URL in mkdocs.yml, its articles follow it."""
    states = store.sources_state()
    moved = {state.new_url: state.source_id for state in states.values() if state.new_url}
    adopted = False
    for source in sources:
        old_id = moved.get(source.url)
        if source.id not in states and old_id and old_id != source.id:
            store.move_source(old_id, source.id)
            adopted = True
    return store.sources_state() if adopted else states


def refresh_local(sources: Iterable[Source], store: Store, settings: FetchSettings | None = None) -> list[FetchResult]:
    """Read the local-file sources into `store` (the build no longer does: see local_result)."""
    settings = settings or FetchSettings()
    states = store.sources_state()
    results = []
    for source in sources:
        if source.is_local:
            result = fetch_source(None, source, states.get(source.id), settings)
            results.append(replace(result, new_articles=store.save(result.state, result.articles)))
    return results
