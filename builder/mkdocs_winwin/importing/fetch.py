"""Bounded HTTP downloads for the importer: an export URL, images, avatars.

Every download has a hard deadline for the whole transfer, headers and
redirects included (net.py's, as for feeds), a byte cap counted as bytes
arrive, at most five redirects, only http(s) at every hop, and no redirect to
another non-public address. `allow` decides which hosts may be contacted at all (the tests
allow only 127.0.0.1).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .. import net

MAX_REDIRECTS = 5
USER_AGENT = "winwin-import (+https://pypi.org/project/mkdocs-winwin/)"


class FetchFailed(Exception):
    """One download failed; the message says why, in a few words.

    `silent` is true when the host did not answer at all (timeout, no
    connection): the caller may stop asking it.
    """

    def __init__(self, message: str, silent: bool = False) -> None:
        super().__init__(message)
        self.silent = silent


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    content_type: str
    data: bytes


def any_host(host: str) -> bool:
    return True


class Fetcher:
    """One HTTP client for a whole import (connection reuse), bounded per download."""

    def __init__(self, timeout: float = 10.0, allow: Callable[[str], bool] = any_host) -> None:
        self.timeout, self.allow = timeout, allow
        self.client = net.guarded_client(4, follow_redirects=False, headers={"User-Agent": USER_AGENT},
                                         timeout=httpx.Timeout(timeout))

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, max_bytes: int) -> Fetched:
        with net.bounded(url, self.timeout):
            return self._get(url, max_bytes)

    def _get(self, url: str, max_bytes: int) -> Fetched:
        deadline = time.monotonic() + self.timeout
        first = url
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise FetchFailed(f"not an http(s) address: {url[:200]}")
            if not self.allow(parts.hostname):
                raise FetchFailed(f"the host {parts.hostname} is not allowed")
            if url != first:
                try:
                    net.check_redirect(url)
                except httpx.ConnectError as exc:
                    raise FetchFailed(f"redirected to a non-public address ({net.refused(exc)})") from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise FetchFailed(f"no complete answer within {self.timeout:g} s", silent=True)
            try:
                with self.client.stream("GET", url, timeout=httpx.Timeout(left)) as response:
                    if response.is_redirect and "location" in response.headers:
                        url = urljoin(url, response.headers["location"])
                        continue
                    if response.status_code != 200:
                        raise FetchFailed(f"the server answered HTTP {response.status_code}")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchFailed(f"larger than {max_bytes // 1024} KiB")
                    chunks, size = [], 0
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchFailed(f"larger than {max_bytes // 1024} KiB")
                        if time.monotonic() > deadline:
                            raise FetchFailed(f"no complete answer within {self.timeout:g} s", silent=True)
                        chunks.append(chunk)
                    return Fetched(str(response.url), response.headers.get("content-type", ""), b"".join(chunks))
            except httpx.TimeoutException:
                raise FetchFailed(f"no complete answer within {self.timeout:g} s", silent=True) from None
            except httpx.HTTPError as exc:
                if net.refused(exc):
                    raise FetchFailed(f"redirected to a non-public address ({net.refused(exc)})") from None
                raise FetchFailed(f"could not connect ({type(exc).__name__})", silent=True) from None
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")
