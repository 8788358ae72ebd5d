"""Fetching sources into the store: `winwin feeds fetch`, and local files at build time.

Every request is bounded: connect and read timeouts plus a deadline for the
whole download, at most `max_redirects` redirects, and a cap on the body that
is counted while streaming and again after gzip/deflate decompression (we
decompress ourselves, a bounded slice at a time, so a gzip bomb never grows
past the cap in memory). Conditional GET sends back the ETag and
Last-Modified exactly as received. Sources are fetched by a thread pool of
`concurrency` workers; only the calling thread writes to the store, one
transaction per source. A failing source never stops the others and never
loses its stored articles: it is reported with its URL, what happened and
what to do.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin, urlsplit

import httpx

from .articles import Article
from .parse import parse_feed
from .sources import Source
from .store import SourceState, Store, utcnow

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
MAX_RETRY_AFTER = dt.timedelta(days=7)


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 10.0  # seconds: connect, each read, and the whole download
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    concurrency: int = 32
    user_agent: str = "winwin"


def user_agent(site_name: str, site_url: str | None) -> str:
    """`winwin/<version> (+<site url>; <site name>)`: who is asking, and where to find them."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        tool = f"winwin/{version('winwin')}"
    except PackageNotFoundError:
        tool = "winwin"
    contact = "; ".join(part for part in (f"+{site_url}" if site_url else "", site_name) if part)
    return f"{tool} ({contact})" if contact else tool


class ConfigProblem(ValueError):
    """A fetch setting in mkdocs.yml out of its range."""


def fetch_settings(config, site_name: str, site_url: str | None) -> FetchSettings:
    """FetchSettings from the reading-list plugin's settings; the error names the key and the fix."""
    checks = [
        ("fetch_timeout", config.fetch_timeout > 0, "a number of seconds above 0"),
        ("fetch_max_bytes", config.fetch_max_bytes >= 1024, "a number of bytes, 1024 or more"),
        ("fetch_max_redirects", 0 <= config.fetch_max_redirects <= 5, "a whole number from 0 to 5"),
        ("fetch_concurrency", 1 <= config.fetch_concurrency <= 256, "a whole number from 1 to 256"),
    ]
    for key, ok, wanted in checks:
        if not ok:
            raise ConfigProblem(f"'{key}' is {config[key]!r}. Fix: make it {wanted}.")
    return FetchSettings(
        timeout=float(config.fetch_timeout), max_bytes=config.fetch_max_bytes,
        max_redirects=config.fetch_max_redirects, concurrency=config.fetch_concurrency,
        user_agent=config.fetch_user_agent or user_agent(site_name, site_url),
    )


class FetchProblem(Exception):
    """A download that gave no usable feed; `advice` tells the owner what to do."""

    def __init__(self, message: str, advice: str, status: int | None = None):
        super().__init__(message)
        self.advice = advice
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    """One source's outcome: the state and articles to store, and what to tell the owner."""

    source: Source
    state: SourceState
    outcome: str  # "updated", "not-modified", "skipped" or "failed"
    articles: tuple[Article, ...] = ()
    problem: str | None = None  # what happened, for the report
    advice: str | None = None  # what to do about it
    warnings: tuple[str, ...] = ()
    bytes_received: int = 0  # on the wire (before decompression)
    new_articles: int = 0

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"


# --- the body, bounded -------------------------------------------------------

class _Body:
    """Collects a response body, counting wire bytes and decoded bytes against one cap."""

    def __init__(self, encoding: str, cap: int):
        self.cap = cap
        self.wire = 0
        self.parts: list[bytes] = []
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self.decoder = None
        elif encoding in ("gzip", "x-gzip"):
            self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.decoder = zlib.decompressobj()
        else:
            raise FetchProblem(f"the server sent Content-Encoding '{encoding}', which winwin does not read",
                               "ask the site to serve the feed plain or gzip-compressed")

    def _too_big(self) -> FetchProblem:
        return FetchProblem(
            f"the feed is larger than {self.cap:,} bytes" + (" once decompressed" if self.decoder else ""),
            "raise this source's max_bytes if the feed is genuine, or remove it",
        )

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise self._too_big()
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        self.wire += len(chunk)
        if self.wire > self.cap:
            raise self._too_big()
        if self.decoder is None:
            self._keep(chunk)
            return
        try:
            data = chunk
            while data:
                # At most cap+1 bytes out per call: a bomb stops at the cap, not in memory.
                out = self.decoder.decompress(data, self.cap - self.size + 1)
                self._keep(out)
                data = self.decoder.unconsumed_tail
        except zlib.error as exc:
            raise FetchProblem(f"the compressed body is corrupt ({exc})",
                               "try again later; if it persists, tell the site") from exc

    def bytes(self) -> bytes:
        return b"".join(self.parts)


# --- one source ---------------------------------------------------------------

def _retry_after(value: str | None, now: dt.datetime) -> dt.datetime | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        until = now + dt.timedelta(seconds=int(value))
    else:
        try:
            until = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if until.tzinfo is None:
            until = until.replace(tzinfo=dt.timezone.utc)
    return min(until, now + MAX_RETRY_AFTER)


@dataclass
class _Download:
    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]
    body: bytes = b""
    wire_bytes: int = 0
    moved_to: str | None = None  # every hop was permanent: the source now lives here
    notes: list[str] = field(default_factory=list)


def _download(client: httpx.Client, url: str, previous: SourceState | None, settings: FetchSettings,
              timeout: float, max_bytes: int) -> _Download:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/feed+json, "
                         "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
               "Accept-Encoding": "gzip, deflate"}
    if previous and previous.url == url and previous.last_ok:
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
    deadline = time.monotonic() + timeout
    visited = [url]
    permanent = True
    notes: list[str] = []
    for _ in range(settings.max_redirects + 1):
        # Each hop gets only what is left of the timeout, so redirects cannot stretch it.
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchProblem(f"the download took longer than {timeout:g} s (after {len(visited) - 1} redirects)",
                               "use the URL the redirects end at in mkdocs.yml", None)
        with client.stream("GET", visited[-1], headers=headers, follow_redirects=False,
                           timeout=httpx.Timeout(left)) as response:
            if response.status_code in REDIRECTS and response.headers.get("location"):
                # The redirect's own body is never read: closing the response drops it.
                target = urljoin(visited[-1], response.headers["location"])
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchProblem(f"redirected to {target!r}, which is not http(s)",
                                       "check the URL in a browser and fix it in mkdocs.yml", response.status_code)
                if target in visited:
                    raise FetchProblem(f"a redirect loop ({' -> '.join(visited + [target])})",
                                       "tell the site; remove the source if it stays broken", response.status_code)
                if urlsplit(target).netloc != urlsplit(visited[-1]).netloc:
                    notes.append(f"redirected from {visited[-1]} to another host: {target}")
                permanent = permanent and response.status_code in PERMANENT
                visited.append(target)
                continue
            download = _Download(url=visited[-1], status=response.status_code,
                                 headers={k.lower(): v for k, v in response.headers.items()}, notes=notes,
                                 moved_to=visited[-1] if permanent and len(visited) > 1 else None)
            if response.status_code == 200:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchProblem(f"the feed is {int(declared):,} bytes, over the {max_bytes:,}-byte cap",
                                       "raise this source's max_bytes if the feed is genuine, or remove it", 200)
                body = _Body(response.headers.get("content-encoding", ""), max_bytes)
                for chunk in response.iter_raw():
                    body.feed(chunk)
                    if time.monotonic() > deadline:  # each read was quick, but the whole is too slow
                        raise FetchProblem(f"the download took longer than {timeout:g} s",
                                           "raise this source's timeout if it is always this slow", 200)
                download.body, download.wire_bytes = body.bytes(), body.wire
            return download
    raise FetchProblem(f"more than {settings.max_redirects} redirects ({' -> '.join(visited)})",
                       "use the URL the redirects end at in mkdocs.yml, or tell the site", None)


def _status_problem(status: int, headers: dict[str, str], now: dt.datetime) -> FetchProblem:
    if status == 404:
        return FetchProblem("404 Not Found",
                            "check the URL in a browser; the feed may have moved: fix it in mkdocs.yml", 404)
    if status == 410:
        return FetchProblem("410 Gone: the feed was removed for good",
                            "remove this source from mkdocs.yml (its stored articles stay)", 410)
    if status in (429, 503):
        until = _retry_after(headers.get("retry-after"), now)
        wait = f"it is skipped until {until:%Y-%m-%d %H:%M:%S} UTC, as the server asked" if until else "try later"
        what = "429 Too Many Requests" if status == 429 else "503 Service Unavailable"
        return FetchProblem(what, f"nothing to do: {wait}", status)
    if status in (401, 403):
        return FetchProblem(f"{status}: the server refuses access", "check the URL; winwin only reads public feeds",
                            status)
    if status >= 500:
        return FetchProblem(f"{status}: a server error", "nothing to do if it is rare; the last good articles stay",
                            status)
    return FetchProblem(f"unexpected HTTP status {status}", "check the URL in a browser", status)


def _network_problem(exc: httpx.HTTPError, url: str, timeout: float) -> FetchProblem:
    try:  # after a redirect, say where the request went
        where = f" at {exc.request.url}" if str(exc.request.url) != url else ""
    except RuntimeError:  # no request attached
        where = ""
    if isinstance(exc, httpx.TimeoutException):
        return FetchProblem(f"no answer within {timeout:g} s{where} ({type(exc).__name__})",
                            "nothing to do if it is rare; raise this source's timeout if it is always slow")
    if isinstance(exc, httpx.ConnectError):
        return FetchProblem(f"could not connect{where} ({exc})", "check the host name and your network")
    return FetchProblem(f"{type(exc).__name__}{where}: {exc}", "try again later; if it persists, check the URL")


@dataclass(frozen=True)
class _ParseStep:
    """A body downloaded and waiting to be parsed (CPU work, kept off the download threads)."""

    source: Source
    base: SourceState
    download: _Download
    now: dt.datetime

    @property
    def size(self) -> int:
        return len(self.download.body)

    def __call__(self) -> FetchResult:
        return _interpret(self.source, self.base, self.download, self.now)


def download_source(client: httpx.Client | None, source: Source, previous: SourceState | None,
                    settings: FetchSettings, now: dt.datetime | None = None) -> FetchResult | _ParseStep:
    """The network half of a fetch: a finished result (skipped, failed), or the parse step left to run."""
    now = now or utcnow()
    base = previous or SourceState(source_id=source.id, url=source.url, name=source.name)
    base = replace(base, url=source.url, name=source.name, last_fetch=now)
    if previous and previous.url != source.url:
        base = replace(base, etag=None, last_modified=None, gone=False, retry_after=None, new_url=None)
    if base.gone:
        return FetchResult(source, base, "skipped", problem="the server said 410 Gone on an earlier fetch",
                           advice="remove this source from mkdocs.yml (its stored articles stay)")
    if base.retry_after and base.retry_after > now:
        return FetchResult(source, base, "skipped",
                           problem=f"the server asked to wait until {base.retry_after:%Y-%m-%d %H:%M} UTC",
                           advice="nothing to do: it is fetched again after that")
    timeout = source.timeout or settings.timeout
    max_bytes = source.max_bytes or settings.max_bytes
    try:
        if source.is_local:
            download = _read_local(source, max_bytes)
        else:
            try:
                download = _download(client, source.url, previous, settings, timeout, max_bytes)
            except httpx.HTTPError as exc:
                raise _network_problem(exc, source.url, timeout) from exc
    except FetchProblem as problem:
        state = replace(base, status=problem.status, error=str(problem))
        return FetchResult(source, state, "failed", problem=str(problem), advice=problem.advice)
    return _ParseStep(source, base, download, now)


def fetch_source(client: httpx.Client | None, source: Source, previous: SourceState | None,
                 settings: FetchSettings, now: dt.datetime | None = None) -> FetchResult:
    """Fetch and parse one source; never raises for anything the source or network does."""
    step = download_source(client, source, previous, settings, now)
    return step() if isinstance(step, _ParseStep) else step


def _read_local(source: Source, max_bytes: int) -> _Download:
    try:
        size = source.path.stat().st_size
        if size > max_bytes:
            raise FetchProblem(f"the file is {size:,} bytes, over the {max_bytes:,}-byte cap",
                               "raise this source's max_bytes, or trim the file")
        data = source.path.read_bytes()
    except OSError as exc:
        raise FetchProblem(f"cannot read {source.path} ({exc.strerror or exc})",
                           "fix the path in mkdocs.yml (it is relative to mkdocs.yml)") from exc
    suffix = source.path.suffix.lower()
    kind = {".json": "application/feed+json"}.get(suffix, "application/xml")
    return _Download(url=source.url, status=200, headers={"content-type": kind}, body=data)


def _interpret(source: Source, base: SourceState, download: _Download, now: dt.datetime) -> FetchResult:
    status = download.status
    state = replace(base, status=None if source.is_local else status, new_url=download.moved_to)
    warnings = list(download.notes)
    if download.moved_to:
        warnings.append(f"moved permanently to {download.moved_to}: put that URL in mkdocs.yml")
    extra = {"bytes_received": download.wire_bytes}
    if status == 304:
        state = replace(state, error=None, last_ok=now, retry_after=None)
        return FetchResult(source, state, "not-modified", warnings=tuple(warnings), **extra)
    problem = None
    if status != 200:
        problem = _status_problem(status, download.headers, now)
        state = replace(state, gone=status == 410,
                        retry_after=_retry_after(download.headers.get("retry-after"), now)
                        if status in (429, 503) else None)
    else:
        headers = {**download.headers, "content-location": download.url}
        parsed = parse_feed(download.body, url=download.url, headers=headers, source_id=source.id,
                            source_name=source.name, now=now)
        warnings += parsed.warnings
        if parsed.error:
            problem = FetchProblem(parsed.error, "check that the URL is the feed itself "
                                                 "(RSS, Atom or JSON Feed), not its web page", status)
    if problem:
        return FetchResult(source, replace(state, error=str(problem)), "failed", problem=str(problem),
                           advice=problem.advice, warnings=tuple(warnings), **extra)
    state = replace(state, error=None, last_ok=now, retry_after=None, gone=False)
    if parsed.well_formed:
        state = replace(state, etag=headers.get("etag"), last_modified=headers.get("last-modified"))
    else:  # a broken download must not be kept by a 304 next time
        state = replace(state, etag=None, last_modified=None)
    return FetchResult(source, state, "updated", articles=tuple(parsed.articles), warnings=tuple(warnings),
                       **extra)


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
    limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
    with httpx.Client(headers={"User-Agent": settings.user_agent}, limits=limits,
                      timeout=httpx.Timeout(settings.timeout)) as client, \
            ThreadPoolExecutor(max_workers=settings.concurrency, thread_name_prefix="winwin-fetch") as pool:
        # Sources that failed last time first: a feed that hangs then starts its
        # timeout at once instead of after the queue, so it delays nothing.
        queue = sorted(sources, key=lambda s: not (states.get(s.id) and states[s.id].error))
        for future in as_completed([pool.submit(download, s) for s in queue]):
            result = step = future.result()
            if isinstance(step, _ParseStep):
                try:
                    result = step()
                finally:
                    backlog.done(step.size)
            result = replace(result, new_articles=store.save(result.state, result.articles))
            results.append(result)
            if progress:
                progress(result)
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
    """Read the local-file sources into the store (offline, cheap: the build calls it)."""
    settings = settings or FetchSettings()
    states = store.sources_state()
    results = []
    for source in sources:
        if source.is_local:
            result = fetch_source(None, source, states.get(source.id), settings)
            results.append(replace(result, new_articles=store.save(result.state, result.articles)))
    return results


def format_report(results: list[FetchResult]) -> str:
    """The end-of-fetch report: one block per source that failed or needs attention."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome] = counts.get(r.outcome, 0) + 1
    new = sum(r.new_articles for r in results)
    lines = [
        f"{len(results)} sources: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
        + f"; {new} new articles."
    ]
    for r in results:
        if r.problem or r.warnings:
            label = {"failed": "FAILED", "skipped": "skipped"}.get(r.outcome, "warning")
            lines.append(f"\n{label}: {r.source.name} <{r.source.url}>")
            if r.problem:
                lines.append(f"  what happened: {r.problem}")
            for warning in r.warnings:
                lines.append(f"  note: {warning}")
            if r.advice:
                lines.append(f"  what to do: {r.advice}")
    return "\n".join(lines)
