"""One feed download over HTTP: a hard deadline, bounded redirects, no detour to private addresses.

- **Deadline.** httpx's read timeout restarts with every byte, so a server
  dripping one header byte every few seconds would never time out. Each
  request here carries a deadline (`timeout` seconds from the first byte
  sent), and the socket layer itself enforces it: every connect, read and
  write gets at most the time left (see `_DeadlineStream`), so the status
  line, the headers and the body together end within `timeout`, redirects
  included.
- **Addresses.** A redirect may not lead to a loopback, private, link-local
  or otherwise non-public address unless it is the source's own host and
  port. The check runs where the socket connects (after DNS), so a host name
  that resolves to 127.0.0.1 is caught too.
- **Proxies.** A request through a proxy from HTTP(S)_PROXY goes through
  httpx's own proxy transport: the proxy resolves names, out of the address
  check's reach, and the deadline is then httpx's per-read timeout.
- **Redirects** are followed by hand, at most `max_redirects`, each one's body
  dropped unread; every hop was permanent -> the source has moved.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

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


# --- the socket layer: deadline and address policy ------------------------------

class _Limits(threading.local):
    """What the current thread's request may do: until when, and which private addresses."""

    deadline: float | None = None
    received = False  # any byte of an answer read yet: a slow answer, not none at all
    private_ok: frozenset[tuple[str, int]] = frozenset()


_limits = _Limits()


def _public(ip: str) -> bool:
    address = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to; httpcore.ConnectError when it resolves to none."""
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"{host} does not resolve ({exc})") from exc


def _left(timeout: float | None) -> float | None:
    if _limits.deadline is None:
        return timeout
    left = _limits.deadline - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._stream.read(max_bytes, _left(timeout))
        _limits.received = _limits.received or bool(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _left(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _left(timeout)))

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


def _check(host: str, port: int) -> list[str]:
    """The addresses of `host`, if the current request may go there; httpcore.ConnectError if not."""
    addresses = _addresses(host, port)
    for ip in addresses:
        if not _public(ip) and (ip, port) not in _limits.private_ok:
            shown = host if host == ip else f"{host} = {ip}"
            raise httpcore.ConnectError(f"refused: {shown}, port {port}")
    return addresses


class _GuardedBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = _check(host, port)
        # Connect to the addresses just checked, not to a second DNS answer.
        error: Exception = httpcore.ConnectError(f"{host} has no address")  # getaddrinfo gives at least one
        for ip in addresses:
            try:
                return _DeadlineStream(super().connect_tcp(ip, port, _left(timeout), local_address, socket_options))
            except httpcore.ConnectError as exc:
                error = exc
        raise error


def transport(limits: httpx.Limits) -> httpx.HTTPTransport:
    """httpx's transport over our guarded, deadline-keeping socket layer."""
    base = httpx.HTTPTransport(limits=limits)
    # httpx takes no network backend; its pool is rebuilt with the same settings and ours.
    base._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections, keepalive_expiry=limits.keepalive_expiry,
        network_backend=_GuardedBackend(),
    )
    return base


def client(settings: FetchSettings) -> httpx.Client:
    """The fetch's client: every request over the guarded transport, but for one through a proxy.

    Mounted for "all://" rather than passed as `transport`, so that httpx
    still mounts its proxy transports for HTTP(S)_PROXY from the environment
    (the more specific patterns win): behind a proxy, the proxy resolves names
    and keeps its own timeouts; the body cap and the redirect limit still hold.
    """
    limits = httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency)
    return httpx.Client(headers={"User-Agent": settings.user_agent}, mounts={"all://": transport(limits)},
                        timeout=httpx.Timeout(settings.timeout), limits=limits)


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme.lower() == "https" else 80)


def _private_origin(url: str) -> frozenset[tuple[str, int]]:
    """The source's own non-public addresses (with its port): the only ones it may be fetched from."""
    host, port = _origin(url)
    try:
        found = _addresses(host, port)
    except httpcore.ConnectError:  # the connection will say so
        return frozenset()
    return frozenset((ip, port) for ip in found if not _public(ip))


def without_credentials(url: str) -> str:
    """`url` without any user:password@ part, for anything printed."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()


# --- one download -------------------------------------------------------------

def download(http: httpx.Client, url: str, previous: SourceState | None, settings: FetchSettings,
             timeout: float, max_bytes: int) -> Download:
    """GET `url` within `timeout` seconds in all; SourceError for anything that gives no usable answer."""
    _limits.deadline = time.monotonic() + timeout
    _limits.received = False
    _limits.private_ok = _private_origin(url)
    try:
        return _get(http, url, previous, settings, timeout, max_bytes)
    except httpx.HTTPError as exc:
        overdue = _limits.received and time.monotonic() >= _limits.deadline
        if isinstance(exc, httpx.ConnectError) and "refused: " in str(exc):
            raise failure(url, "redirected to a non-public address other than the source's own "
                               f"({str(exc).split('refused: ', 1)[1]})",
                          "nothing to do: winwin only follows a feed to public addresses, or to the source's own "
                          "host; if the feed really moved there, put its URL in mkdocs.yml") from exc
        raise network_problem(exc, url, timeout, overdue) from exc
    finally:
        _limits.deadline = None
        _limits.private_ok = frozenset()


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
                    try:
                        _check(*_origin(target))
                    except httpcore.ConnectError as exc:
                        raise httpx.ConnectError(str(exc)) from exc
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
