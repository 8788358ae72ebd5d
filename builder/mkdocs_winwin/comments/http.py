"""One bounded GET for the comment sources: a hard deadline, a size cap, public addresses.

The deadline (status line, headers and body together) and the address
policy (no redirect to another non-public address) are net.py's, as for the
reading list's feeds. Every failure is a `SourceError` naming the URL, what happened and what to
do; nothing is written by a pull whose source failed. The body is asked for
uncompressed (Accept-Encoding: identity) and counted as it streams, so a
50 MB answer stops at the cap instead of filling memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

from .. import net
from ..errors import SourceError


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds: to connect, between two reads, and for the whole answer
    max_bytes: int = 5 * 1024 * 1024
    user_agent: str = "winwin-comments"


def new_client(limits: Limits) -> httpx.Client:
    """The client for one pull (connections reused across its pages), over net.py's guarded transport."""
    return net.guarded_client(1, timeout=limits.timeout, follow_redirects=True, max_redirects=3)


def get_json(url: str, limits: Limits = Limits(), client: httpx.Client | None = None,
             missing_ok: bool = False) -> Any:
    """The JSON at `url`; None for a 404 when `missing_ok` (Isso's answer for a page without a thread)."""
    own = client is None
    client = client or new_client(limits)
    try:
        request = None
        headers = {"Accept": "application/json", "Accept-Encoding": "identity", "User-Agent": limits.user_agent}
        with net.bounded(url, limits.timeout) as request, client.stream("GET", url, headers=headers) as response:
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code != 200:
                raise SourceError(url, f"answered HTTP {response.status_code}",
                                  "check the address; if the server is down, pull again later")
            parts, size = [], 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > limits.max_bytes:
                    raise SourceError(url, f"sent more than {limits.max_bytes:,} bytes",
                                      "check the address points at the comment API, not a file or a page")
                parts.append(chunk)
    except httpx.TimeoutException:
        if request is not None and request.overdue():  # an answer had started: slow, not silent
            raise SourceError(url, f"took longer than {limits.timeout:g} s to answer",
                              "try again later, or raise --timeout") from None
        raise SourceError(url, f"did not answer within {limits.timeout:g} s",
                          "check the server is running, or raise --timeout") from None
    except httpx.HTTPError as exc:
        if net.refused(exc):
            raise SourceError(url, f"redirected to a non-public address ({net.refused(exc)})",
                              "use the address the comments really live at") from None
        raise SourceError(url, f"could not be reached ({exc.__class__.__name__}: {exc})",
                          "check the address and that the server is running") from None
    finally:
        if own:
            client.close()
    try:
        return json.loads(b"".join(parts))
    except (UnicodeDecodeError, ValueError) as exc:
        raise SourceError(url, f"did not answer JSON ({exc})",
                          "check the address points at the comment API") from None
