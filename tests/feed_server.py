"""A threaded pytest-httpserver on a loopback address, for the fetch tests.

Threaded, so a handler that hangs (the timeout case) does not hold up the
other sources fetched beside it.
"""

from __future__ import annotations

import contextlib

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
