"""The three clients that reach out (the reading list's fetch, the comment pulls,
the importer's downloads) share net.py's bounds: a deadline that a header
dripping one byte at a time cannot stretch, and no redirect to another
non-public address. Servers on 127.0.0.1 only; each would go on for 60 s, far
past the generous bound asserted, so a pass means the deadline cut it.
"""

from __future__ import annotations

import time

import pytest

from mkdocs_winwin.comments.http import Limits, get_json
from mkdocs_winwin.errors import SourceError
from mkdocs_winwin.importing.fetch import FetchFailed, Fetcher
from mkdocs_winwin.reading_list import http
from mkdocs_winwin.reading_list.limits import FetchSettings
from tests.feed_server import feed_server, header_drip, raw_server

TIMEOUT = 1.0
BOUND = TIMEOUT * 3 + 5


def comments_get(url: str) -> str:
    try:
        get_json(url, Limits(timeout=TIMEOUT))
    except SourceError as exc:
        return str(exc)
    raise AssertionError("no error")


def importer_get(url: str) -> str:
    with Fetcher(timeout=TIMEOUT) as fetcher:
        try:
            fetcher.get(url, 1_000_000)
        except FetchFailed as exc:
            return str(exc)
    raise AssertionError("no error")


def feed_get(url: str) -> str:
    settings = FetchSettings(timeout=TIMEOUT, concurrency=1, user_agent="winwin/test")
    with http.client(settings) as client:
        try:
            http.download(client, url, None, settings, TIMEOUT, 1_000_000)
        except SourceError as exc:
            return str(exc)
    raise AssertionError("no error")


CLIENTS = {"comments": comments_get, "importer": importer_get, "feeds": feed_get}


@pytest.mark.parametrize("name", CLIENTS)
def test_a_dripping_header_is_cut_at_the_deadline(name):
    with raw_server(header_drip) as url:
        started = time.monotonic()
        message = CLIENTS[name](url)
        assert time.monotonic() - started < BOUND, message
    assert "1 s" in message


@pytest.mark.parametrize("name", CLIENTS)
def test_no_redirect_to_another_loopback_address(name):
    with feed_server() as target, feed_server() as origin:
        target.expect_request("/x").respond_with_data("{}", content_type="application/json")
        origin.expect_request("/start").respond_with_data(
            "", status=302, headers={"Location": target.url_for("/x")})
        message = CLIENTS[name](origin.url_for("/start"))
        assert target.log == []  # never contacted
    assert "non-public address" in message
