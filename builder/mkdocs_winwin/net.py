"""Every HTTP request winwin makes, bounded: a hard deadline, and no detour to private addresses.

Used by the three things that reach out (the reading list's fetch, the comment
pulls, the importer's downloads), so each has the same guarantees:

- **Deadline.** httpx's read timeout restarts with every byte, so a server
  dripping one header byte every few seconds would never time out. Inside
  `bounded(url, timeout)`, the socket layer itself enforces a deadline: every
  connect, read and write of the thread gets at most the time left, so the
  status line, the headers and the body together end within `timeout`,
  redirects included.
- **Addresses.** A connection may not go to a loopback, private, link-local or
  otherwise non-public address unless it is the request's own host and port
  (a local Isso, a feed on the intranet you named yourself). The check runs
  where the socket connects (after DNS), so a host name that resolves to
  127.0.0.1 is caught too; `check_redirect` checks a redirect's target before
  a pooled connection could skip it.
- **Proxies.** A request through a proxy from HTTP(S)_PROXY goes through
  httpx's own proxy transport: the proxy resolves names, out of the address
  check's reach, and the deadline is then httpx's per-read timeout.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpcore
import httpx

REFUSED = "refused: "


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
            raise httpcore.ConnectError(f"{REFUSED}{shown}, port {port}")
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


def guarded_client(connections: int = 4, **options) -> httpx.Client:
    """An httpx client whose every request goes over the guarded transport, but for one through a proxy.

    Mounted for "all://" rather than passed as `transport`, so that httpx
    still mounts its proxy transports for HTTP(S)_PROXY from the environment
    (the more specific patterns win).
    """
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.Client(mounts={"all://": transport(limits)}, limits=limits, **options)


def _origin(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme.lower() == "https" else 80)


def _private_origin(url: str) -> frozenset[tuple[str, int]]:
    """The request's own non-public addresses (with its port): the only ones it may reach."""
    host, port = _origin(url)
    try:
        found = _addresses(host, port)
    except httpcore.ConnectError:  # the connection will say so
        return frozenset()
    return frozenset((ip, port) for ip in found if not _public(ip))


class Request:
    """The bounds of the request in progress (see `bounded`)."""

    def __init__(self, deadline: float):
        self.deadline = deadline

    def overdue(self) -> bool:
        """True when an answer had started and the deadline has passed: slow, not silent."""
        return _limits.received and time.monotonic() >= self.deadline


@contextlib.contextmanager
def bounded(url: str, timeout: float) -> Iterator[Request]:
    """Within the block, this thread's requests end `timeout` s from now, and reach no
    non-public address but `url`'s own host and port."""
    request = Request(time.monotonic() + timeout)
    _limits.deadline, _limits.received, _limits.private_ok = request.deadline, False, _private_origin(url)
    try:
        yield request
    finally:
        _limits.deadline, _limits.private_ok = None, frozenset()


def check_redirect(target: str) -> None:
    """httpx.ConnectError when the current request may not follow a redirect to `target`.

    Checked before the redirect is followed too: a pooled connection to that
    origin would skip the check at connect time.
    """
    try:
        _check(*_origin(target))
    except httpcore.ConnectError as exc:
        raise httpx.ConnectError(str(exc)) from exc


def refused(exc: BaseException) -> str:
    """What the address policy refused, when that is why `exc` happened ('' otherwise)."""
    text = str(exc)
    return text.split(REFUSED, 1)[1] if isinstance(exc, httpx.ConnectError) and REFUSED in text else ""


def without_credentials(url: str) -> str:
    """`url` without any user:password@ part, for anything printed."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]).geturl()
