"""One feed download over HTTP: conditional GET, bounded redirects, a body cap.

The deadline and the address policy are net.py's (shared with the comment
pulls and the importer). Redirects are followed by hand, at most
`max_redirects`, each one's body dropped unread; every hop was permanent ->
the source has moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from .. import net
from ..net import without_credentials

from .body import Body
from .limits import FetchSettings
from .status import failure, network_problem
from .store import SourceState

REDIRECTS = (301, 302, 303, 307, 308)
PERMANENT = (301, 308)
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
          "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")


@dataclass
class Download:
    url: str  # the final URL, after redirects
    status: int
    headers: dict[str, str]
    body: bytes = b""
    wire_bytes: int = 0
    moved_to: str | None = None  # every hop was permanent: the source now lives here
    notes: list[str] = field(default_factory=list)


# --- one download -------------------------------------------------------------

def client(settings: FetchSettings) -> httpx.Client:
    """The fetch's client: every request over the guarded transport (see net.guarded_client)."""
    return net.guarded_client(settings.concurrency, headers={"User-Agent": settings.user_agent},
                              timeout=httpx.Timeout(settings.timeout))


def download(http: httpx.Client, url: str, previous: SourceState | None, settings: FetchSettings,
             timeout: float, max_bytes: int) -> Download:
    """GET `url` within `timeout` seconds in all; SourceError for anything that gives no usable answer."""
    with net.bounded(url, timeout) as request:
        try:
            return _get(http, url, previous, settings, timeout, max_bytes)
        except httpx.HTTPError as exc:
            refused = net.refused(exc)
            if refused:
                raise failure(url, f"redirected to a non-public address other than the source's own ({refused})",
                              "nothing to do: winwin only follows a feed to public addresses, or to the source's "
                              "own host; if the feed really moved there, put its URL in mkdocs.yml") from exc
            raise network_problem(exc, url, timeout, request.overdue()) from exc


def _get(http: httpx.Client, url: str, previous: SourceState | None, settings: FetchSettings,
         timeout: float, max_bytes: int) -> Download:
    headers = {"Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if previous and previous.url == url and previous.last_ok:
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
    visited = [url]
    permanent = True
    notes: list[str] = []
    for _ in range(settings.max_redirects + 1):
        with http.stream("GET", visited[-1], headers=headers, follow_redirects=False) as response:
            if response.status_code in REDIRECTS and response.headers.get("location"):
                # The redirect's own body is never read: closing the response drops it.
                target = urljoin(visited[-1], response.headers["location"])
                shown = without_credentials(target)
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise failure(url, f"redirected to {shown!r}, which is not http(s)",
                                  "check the URL in a browser and fix it in mkdocs.yml", response.status_code)
                if target in visited:
                    raise failure(url, f"a redirect loop ({' -> '.join(map(without_credentials, visited + [target]))})",
                                  "tell the site; remove the source if it stays broken", response.status_code)
                if urlsplit(target).netloc != urlsplit(visited[-1]).netloc:
                    notes.append(f"redirected from {without_credentials(visited[-1])} to another host: {shown}")
                if urlsplit(target).netloc != urlsplit(visited[-1]).netloc:
                    # Checked here too: a pooled connection to that origin would skip connect_tcp.
                    net.check_redirect(target)
                permanent = permanent and response.status_code in PERMANENT
                visited.append(target)
                continue
            found = Download(url=visited[-1], status=response.status_code,
                             headers={k.lower(): v for k, v in response.headers.items()}, notes=notes,
                             moved_to=visited[-1] if permanent and len(visited) > 1 else None)
            if response.status_code == 200:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise failure(url, f"the feed is {int(declared):,} bytes, over the {max_bytes:,}-byte cap",
                                  "raise this source's max_bytes if the feed is genuine, or remove it", 200)
                body = Body(url, response.headers.get("content-encoding", ""), max_bytes)
                for chunk in response.iter_raw():
                    body.feed(chunk)
                found.body, found.wire_bytes = body.bytes(), body.wire
            return found
    raise failure(url, f"more than {settings.max_redirects} redirects ({' -> '.join(map(without_credentials, visited))})",
                  "use the URL the redirects end at in mkdocs.yml, or tell the site", None)
