"""The pure decision of a fetch: skip a source or not, and what a download means for it.

No I/O here: the inputs are the source, its stored state, the download (or
the problem that ended it) and the time; the output is a FetchResult with the
state and articles to store and what to tell the owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from ..errors import SourceError
from .articles import Article
from .http import Download
from .limits import MAX_ENTRIES
from .parse import parse_feed
from .sources import Source
from .status import retry_after, status_problem
from .store import SourceState

NOT_A_FEED = "check that the URL is the feed itself (RSS, Atom or JSON Feed), not its web page"


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


def starting_state(source: Source, previous: SourceState | None, now: dt.datetime) -> SourceState:
    """The state a fetch starts from: the stored one, forgotten where the source's URL changed."""
    base = previous or SourceState(source_id=source.id, url=source.url, name=source.name)
    base = replace(base, url=source.url, name=source.name, last_fetch=now)
    if previous and previous.url != source.url:
        base = replace(base, etag=None, last_modified=None, gone=False, retry_after=None, new_url=None)
    return base


def skip(source: Source, base: SourceState, now: dt.datetime) -> FetchResult | None:
    """A result without asking the server (it said 410, or asked us to wait), else None."""
    if base.gone:
        return FetchResult(source, base, "skipped", problem="the server said 410 Gone on an earlier fetch",
                           advice="remove this source from mkdocs.yml (its stored articles stay)")
    if base.retry_after and base.retry_after > now:
        return FetchResult(source, base, "skipped",
                           problem=f"the server asked to wait until {base.retry_after:%Y-%m-%d %H:%M} UTC",
                           advice="nothing to do: it is fetched again after that")
    return None


def failed(source: Source, base: SourceState, problem: SourceError) -> FetchResult:
    state = replace(base, status=getattr(problem, "status", None), error=problem.message)
    return FetchResult(source, state, "failed", problem=problem.message, advice=problem.fix)


def interpret(source: Source, base: SourceState, download: Download, now: dt.datetime,
              max_entries: int = MAX_ENTRIES) -> FetchResult:
    """What a finished download means: the articles and state to store, or the problem in words."""
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
        problem = status_problem(source.url, status, download.headers, now)
        state = replace(state, gone=status == 410,
                        retry_after=retry_after(download.headers.get("retry-after"), now)
                        if status in (429, 503) else None)
    else:
        headers = {**download.headers, "content-location": download.url}
        parsed = parse_feed(download.body, url=download.url, headers=headers, source_id=source.id,
                            source_name=source.name, now=now, max_entries=max_entries)
        warnings += parsed.warnings
        if parsed.error:
            problem = SourceError(source.url, parsed.error, parsed.fix or NOT_A_FEED)
    if problem:
        return FetchResult(source, replace(state, error=problem.message), "failed", problem=problem.message,
                           advice=problem.fix, warnings=tuple(warnings), **extra)
    state = replace(state, error=None, last_ok=now, retry_after=None, gone=False)
    if parsed.well_formed:
        state = replace(state, etag=headers.get("etag"), last_modified=headers.get("last-modified"))
    else:  # a broken download must not be kept by a 304 next time
        state = replace(state, etag=None, last_modified=None)
    return FetchResult(source, state, "updated", articles=tuple(parsed.articles), warnings=tuple(warnings),
                       **extra)
