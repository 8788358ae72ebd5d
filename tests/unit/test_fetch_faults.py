"""The fault matrix: each fault hits one source on a real HTTP server on
127.0.0.1 after it has served a good feed once. Each time: the fetch completes
in bounded time, a healthy source beside it is unaffected, the problem is
reported with the source's URL, and the last good articles are kept.

Bounded time, tested so that only a real hang fails: a server that stalls
holds on for HANG seconds (or until the test ends), a fetch that keeps its
deadline is done within TIMEOUT plus a little, and the bound between the
two (BOUND) is generous enough for a loaded 2-core machine."""

from __future__ import annotations

import datetime as dt
import gzip
import socket
import threading
import time
import tracemalloc
import types
import zlib

import pytest
from werkzeug import Response

from mkdocs_winwin.reading_list.fetch import FetchSettings, fetch_all, fetch_source, format_report
from mkdocs_winwin.reading_list.sources import Source, source_id
from mkdocs_winwin.reading_list.store import open_store
from tests.feed_server import feed_server

TIMEOUT = 0.5
HANG = 30  # how long a stalling server holds on, unless the test ends first
BOUND = 15  # seconds: a fetch over this did not keep its deadline
RELEASE = threading.Event()  # set when a test ends: stalling handlers let go
SETTINGS = FetchSettings(timeout=TIMEOUT, concurrency=4, user_agent="winwin/test")
MB = 1024 * 1024


def rss(*items: str, title: str = "Feed") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f'<link>https://feed.example/</link>{"".join(items)}</channel></rss>').encode()


def item(guid: str, link: str | None = "auto", date: str | None = "Mon, 02 Mar 2026 09:30:00 GMT",
         title: str | None = None) -> str:
    link = f"https://feed.example/{guid}" if link == "auto" else link
    return (f"<item><title>{title or guid}</title><guid isPermaLink='false'>{guid}</guid>"
            + (f"<link>{link}</link>" if link else "") + (f"<pubDate>{date}</pubDate>" if date else "") + "</item>")


GOOD = rss(item("good-1"), item("good-2"))


def _stream(chunk: bytes, count: int, **headers) -> Response:
    """A body sent in pieces without Content-Length, so only counting while reading can stop it."""
    return Response((chunk for _ in range(count)), status=200, headers=headers, direct_passthrough=True)


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = b"\0" * MB
    return b"".join([packer.compress(zeros) for _ in range(size // MB)] + [packer.flush()])


def _stalling(piece: bytes, every: float):
    """`piece` every `every` seconds until the test ends (or HANG seconds)."""
    for _ in range(int(HANG / every)):
        if RELEASE.wait(every):
            return
        yield piece


def _hang(request):
    RELEASE.wait(HANG)
    return Response(GOOD, content_type="application/rss+xml")


def _drip(request):
    """A byte every tenth of a second: each read is quick, the whole never ends in time."""
    def body():
        yield GOOD[:40]
        yield from _stalling(b" ", 0.1)
    return Response(body(), content_type="application/rss+xml", direct_passthrough=True)


def _closed_port() -> int:
    with socket.socket() as sock:  # bound then closed: nothing listens there
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# case id -> (how the faulty URL answers the second time, outcome, text in the report).
# The answer is made from `f`: f.other is a second server on 127.0.0.2 (another
# non-public host, which a redirect may not lead to), f.bomb the gzip bomb's bytes.
CASES = {
    "timeout": (lambda f: _hang, "failed", f"no answer within {TIMEOUT:g} s"),
    "slow-drip": (lambda f: _drip, "failed", f"the download took longer than {TIMEOUT:g} s"),
    "404": (lambda f: Response("missing", status=404), "failed", "404 Not Found"),
    "410": (lambda f: Response("gone", status=410), "failed", "410 Gone"),
    "500": (lambda f: Response("boom", status=500), "failed", "500: a server error"),
    "429-retry-after": (lambda f: Response("", status=429, headers={"Retry-After": "120"}),
                        "failed", "429 Too Many Requests"),
    "503-retry-after-date": (lambda f: Response("", status=503, headers={
        "Retry-After": (dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)).strftime(
            "%a, %d %b %Y %H:%M:%S GMT")}), "failed", "503 Service Unavailable"),
    "redirect-loop": (lambda f: Response("", status=302, headers={"Location": "/loop-b"}),
                      "failed", "a redirect loop"),
    "redirect-to-another-private-host": (
        lambda f: Response("", status=302, headers={"Location": f.other.url_for("/elsewhere")}),
        "failed", "redirected to a non-public address other than the source's own (127.0.0.2, port"),
    "redirect-with-endless-body": (lambda f: Response(
        _stalling(b"x" * 1024, 0.05), status=301, direct_passthrough=True, headers={"Location": "/moved"}),
        "updated", "moved permanently to http://127.0.0.1:"),
    "html-page": (lambda f: Response(
        '<!doctype html><html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" '
        'href="/the-real-feed.xml"></head><body><p>Hello</p></body></html>', content_type="text/html"),
        "failed", "a web page, not a feed; it names a feed at http://127.0.0.1:"),
    "truncated-xml": (lambda f: Response(rss(item("new-1"), item("new-2"))[:-60], content_type="application/xml"),
                      "updated", "not well-formed XML"),
    "wrong-declared-encoding": (lambda f: Response(
        rss(item("new-1", title="Café")).decode().encode("latin-1"), content_type="application/xml"),
        "updated", "document declared as utf-8, but parsed as windows-1252"),
    "50mb-body": (lambda f: _stream(b"<" * MB, 50, **{"Content-Type": "application/xml"}),
                  "failed", "larger than 10,485,760 bytes"),
    "50mb-declared": (lambda f: Response(b" " * (50 * MB), content_type="application/xml"),
                      "failed", "52,428,800 bytes, over the 10,485,760-byte cap"),
    "gzip-bomb": (lambda f: _stream(f.bomb, 1, **{"Content-Encoding": "gzip", "Content-Type": "application/xml"}),
                  "failed", "larger than 10,485,760 bytes once decompressed"),
    "empty-body": (lambda f: Response(b"", content_type="application/xml"), "failed", "an empty document"),
    "duplicate-guids": (lambda f: Response(rss(item("dup"), item("dup", title="second"), item("new-1")),
                                              content_type="application/xml"),
                        "updated", "1 entries repeat an earlier entry's id; kept the first of each"),
    "no-date-or-link": (lambda f: Response(rss(item("nodate", date=None), item("nolink", link=None)),
                                              content_type="application/xml"),
                        "updated", "skipped 1 entries without a link"),
}


@pytest.fixture(scope="session")
def gzip_bomb(tmp_path_factory):
    """100 MB of zeros gzipped (about 100 kB), built once, on first use (1.5 s), not at import."""
    path = tmp_path_factory.mktemp("bomb") / "zeros.gz"
    path.write_bytes(_gzip_bomb(100 * MB))
    return path


@pytest.fixture(scope="module")
def servers():
    with feed_server() as main, feed_server("127.0.0.2") as other:
        yield main, other


@pytest.fixture(autouse=True)
def release_stalled_handlers():
    RELEASE.clear()
    yield
    RELEASE.set()


@pytest.mark.parametrize("case", CASES)
def test_fault(case, servers, tmp_path, request):
    main, other = servers
    main.clear()
    other.clear()
    answer, outcome, text = CASES[case]
    bomb = request.getfixturevalue("gzip_bomb").read_bytes() if case == "gzip-bomb" else b""
    made_of = types.SimpleNamespace(main=main, other=other, bomb=bomb)
    calls = {"/faulty": 0, "/healthy": 0}

    def faulty(request):
        calls["/faulty"] += 1
        if calls["/faulty"] == 1:
            return Response(GOOD, content_type="application/rss+xml")
        reply = answer(made_of)
        return reply if isinstance(reply, Response) else reply(request)

    def healthy_feed(request):
        calls["/healthy"] += 1
        return Response(rss(item(f"healthy-{calls['/healthy']}")), content_type="application/rss+xml")

    main.expect_request("/faulty").respond_with_handler(faulty)
    main.expect_request("/loop-b").respond_with_response(Response("", status=302, headers={"Location": "/faulty"}))
    main.expect_request("/healthy").respond_with_handler(healthy_feed)
    main.expect_request("/moved").respond_with_data(rss(item("moved-1")), content_type="application/xml")
    other.expect_request("/elsewhere").respond_with_data(rss(item("moved-1")), content_type="application/xml")
    faulty_source = Source(id=source_id(main.url_for("/faulty")), url=main.url_for("/faulty"), name="Faulty")
    healthy = Source(id=source_id(main.url_for("/healthy")), url=main.url_for("/healthy"), name="Healthy")

    with open_store(tmp_path) as store:
        first = fetch_all([faulty_source, healthy], store, SETTINGS)
        assert [r.outcome for r in first] == ["updated", "updated"]
        started = time.monotonic()
        results = fetch_all([faulty_source, healthy], store, SETTINGS)
        elapsed = time.monotonic() - started
        by_source = {a.guid for a in store.articles([faulty_source.id])}
        healthy_guids = {a.guid for a in store.articles([healthy.id])}
        state = store.state(faulty_source.id)

    assert elapsed < BOUND, f"the fetch took {elapsed:.2f} s: it did not keep its {TIMEOUT:g} s deadline"
    bad, good = results
    assert good.outcome == "updated" and healthy_guids == {"healthy-1", "healthy-2"}
    assert bad.outcome == outcome
    assert {"good-1", "good-2"} <= by_source  # the last good articles are kept
    report = format_report(results)
    block = report[report.index(f"Faulty <{faulty_source.url}>"):]
    assert text in block, report
    if outcome == "failed":
        assert "what happened:" in block and "what to do:" in block
        assert state.error and state.last_ok  # the failure is recorded, the last success too
    assert other.log == []  # the other private host is never contacted


def test_a_server_that_is_gone_is_reported_with_its_address(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/feed"
    with open_store(tmp_path) as store:
        [result] = fetch_all([Source(id=source_id(url), url=url, name="Gone")], store, SETTINGS)
    assert result.outcome == "failed" and result.problem.startswith("could not connect")
    assert f"Gone <{url}>" in format_report([result])


def test_gone_and_retry_after_sources_are_skipped_without_a_request(servers, tmp_path):
    main, _ = servers
    main.clear()
    main.expect_request("/gone").respond_with_response(Response("", status=410))
    main.expect_request("/busy").respond_with_response(Response("", status=429, headers={"Retry-After": "3600"}))
    sources = [Source(id=source_id(main.url_for(p)), url=main.url_for(p), name=p) for p in ("/gone", "/busy")]
    with open_store(tmp_path) as store:
        fetch_all(sources, store, SETTINGS)
        assert store.state(sources[0].id).gone
        until = store.state(sources[1].id).retry_after
        assert dt.timedelta(minutes=59) < until - dt.datetime.now(dt.timezone.utc) <= dt.timedelta(hours=1)
        requests_before = len(main.log)
        again = fetch_all(sources, store, SETTINGS)
    assert [r.outcome for r in again] == ["skipped", "skipped"]
    assert len(main.log) == requests_before
    report = format_report(again)
    assert "remove this source from mkdocs.yml" in report and "the server asked to wait until" in report


def test_six_redirects_are_too_many(servers, tmp_path):
    main, _ = servers
    main.clear()
    for hop in range(6):
        main.expect_request(f"/hop{hop}").respond_with_response(
            Response("", status=307, headers={"Location": f"/hop{hop + 1}"}))
    main.expect_request("/hop6").respond_with_data(GOOD)
    five = Source(id="five", url=main.url_for("/hop1"), name="Five hops")
    six = Source(id="six", url=main.url_for("/hop0"), name="Six hops")
    with open_store(tmp_path) as store:
        ok, too_many = fetch_all([five, six], store, SETTINGS)
    assert ok.outcome == "updated"
    assert too_many.outcome == "failed" and too_many.problem.startswith("more than 5 redirects")


def test_gzip_bomb_never_grows_past_the_cap_in_memory(servers, gzip_bomb):
    main, _ = servers
    main.clear()
    main.expect_request("/bomb").respond_with_response(
        _stream(gzip_bomb.read_bytes(), 1, **{"Content-Encoding": "gzip", "Content-Type": "application/xml"}))
    import httpx

    with httpx.Client() as client:
        tracemalloc.start()
        try:
            result = fetch_source(client, Source(id="b", url=main.url_for("/bomb"), name="Bomb"), None, SETTINGS)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert result.outcome == "failed" and "once decompressed" in result.problem
    assert peak < 3 * SETTINGS.max_bytes, f"peak {peak:,} bytes"


def test_a_gzipped_feed_within_the_cap_is_read(servers, tmp_path):
    main, _ = servers
    main.clear()
    main.expect_request("/gz").respond_with_data(gzip.compress(GOOD), headers={"Content-Encoding": "gzip"})
    with open_store(tmp_path) as store:
        [result] = fetch_all([Source(id="gz", url=main.url_for("/gz"), name="Gz")], store, SETTINGS)
    assert result.outcome == "updated" and len(result.articles) == 2
