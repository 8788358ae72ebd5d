"""What an HTTP status or a network error means for a source, in words, with what to do.

Every problem is a `SourceError(url, what happened, what to do)` carrying the
HTTP status when there was one (`failure()`); the report prints its parts.
"""

from __future__ import annotations

import datetime as dt
import email.utils

import httpx

from ..errors import SourceError

MAX_RETRY_AFTER = dt.timedelta(days=7)


def failure(where: str, message: str, fix: str, status: int | None = None) -> SourceError:
    """A SourceError for one source's fetch, with the HTTP status it ended on (None: no answer)."""
    problem = SourceError(where, message, fix)
    problem.status = status
    return problem


def retry_after(value: str | None, now: dt.datetime) -> dt.datetime | None:
    """When a 429/503's Retry-After lets us ask again (capped at a week); None when absent or unreadable."""
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


def status_problem(url: str, status: int, headers: dict[str, str], now: dt.datetime) -> SourceError:
    if status == 404:
        return failure(url, "404 Not Found",
                       "check the URL in a browser; the feed may have moved: fix it in mkdocs.yml", 404)
    if status == 410:
        return failure(url, "410 Gone: the feed was removed for good",
                       "remove this source from mkdocs.yml (its stored articles stay)", 410)
    if status in (429, 503):
        until = retry_after(headers.get("retry-after"), now)
        wait = f"it is skipped until {until:%Y-%m-%d %H:%M:%S} UTC, as the server asked" if until else "try later"
        what = "429 Too Many Requests" if status == 429 else "503 Service Unavailable"
        return failure(url, what, f"nothing to do: {wait}", status)
    if status in (401, 403):
        return failure(url, f"{status}: the server refuses access", "check the URL; winwin only reads public feeds",
                       status)
    if status >= 500:
        return failure(url, f"{status}: a server error", "nothing to do if it is rare; the last good articles stay",
                       status)
    return failure(url, f"unexpected HTTP status {status}", "check the URL in a browser", status)


def network_problem(exc: httpx.HTTPError, url: str, timeout: float, overdue: bool = False) -> SourceError:
    """`overdue`: the request's whole deadline passed (a server sending too slowly), not one read."""
    try:  # after a redirect, say where the request went
        where = f" at {exc.request.url}" if str(exc.request.url) != url else ""
    except RuntimeError:  # no request attached
        where = ""
    if overdue:
        return failure(url, f"the download took longer than {timeout:g} s{where} (timeout: the headers and the body count together)",
                       "nothing to do if it is rare; raise this source's timeout if it is always this slow")
    if isinstance(exc, httpx.TimeoutException):
        return failure(url, f"no answer within {timeout:g} s{where} ({type(exc).__name__})",
                       "nothing to do if it is rare; raise this source's timeout if it is always slow")
    if isinstance(exc, httpx.ConnectError):
        return failure(url, f"could not connect{where} ({exc})", "check the host name and your network")
    return failure(url, f"{type(exc).__name__}{where}: {exc}", "try again later; if it persists, check the URL")
