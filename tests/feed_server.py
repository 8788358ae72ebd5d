"""Servers on loopback addresses for the tests that fetch: a threaded
pytest-httpserver, and a raw TCP server for answers HTTP servers cannot give
(a header byte every few seconds).

Threaded, so a handler that hangs (the timeout case) does not hold up the
other sources fetched beside it.
"""

from __future__ import annotations

import contextlib
import socket
import threading

from pytest_httpserver import HTTPServer


@contextlib.contextmanager
def feed_server(host: str = "127.0.0.1"):
    server = HTTPServer(host=host, port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@contextlib.contextmanager
def raw_server(send, host: str = "127.0.0.1"):
    """A TCP server on `host` that answers every connection with `send(connection, stop)`."""
    stop = threading.Event()
    listener = socket.create_server((host, 0))
    listener.settimeout(0.2)

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    def answer(conn):
        with conn:
            with contextlib.suppress(OSError):
                conn.recv(65536)  # the request
                send(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{listener.getsockname()[1]}/feed"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def header_drip(conn, stop):
    """The status line, then one header byte every half second: each read is quick, the headers never end."""
    conn.sendall(b"HTTP/1.1 200 OK\r\n")
    for byte in b"X-Slow: " + b"a" * 10_000:
        if stop.wait(0.5):
            return
        conn.sendall(bytes([byte]))
