"""Fetching cannot hang, leak or wander (issue 10): a hard deadline on headers and body,
bounded parsing, no redirect to another non-public address, no credentials printed,
local sources only regular files inside the project, OPML import only http(s),
UTF-16/32 feeds read by their byte-order mark.

Timing is asserted only with generous bounds, through bounded loops: the slow
servers here would go on for DRIP_FOR seconds; a fetch that keeps its deadline
returns within TIMEOUT * 3 + 5 seconds, far below it, even on a loaded 2-core box.
All servers listen on 127.0.0.x only.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import socket
import threading
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from werkzeug import Response

from mkdocs_winwin.errors import SourceError
from mkdocs_winwin.reading_list import http
from mkdocs_winwin.reading_list.fetch import FetchSettings, fetch_all, fetch_source, format_report, local_result
from mkdocs_winwin.reading_list.parse import parse_feed
from mkdocs_winwin.reading_list.sources import Source, make_source, source_id
from mkdocs_winwin.reading_list.store import open_store
from tests.feed_server import feed_server, header_drip, raw_server

TIMEOUT = 1.0
BOUND = TIMEOUT * 3 + 5  # a fetch that keeps its deadline is done well within this
DRIP_FOR = 60  # seconds a dripping server would go on: far past BOUND
SETTINGS = FetchSettings(timeout=TIMEOUT, concurrency=4, user_agent="winwin/test")
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)


def rss(count: int = 2, prefix: str = "i") -> str:
    items = "".join(f"<item><title>T {prefix}{n}</title><link>https://feed.example/{prefix}{n}</link>"
                    f"<guid>{prefix}{n}</guid></item>" for n in range(count))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f"<link>https://feed.example/</link>{items}</channel></rss>")


def remote(url: str, name: str = "Faulty") -> Source:
    return Source(id=source_id(url), url=url, name=name)


def body_drip(conn, stop):
    body = rss().encode()
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                 + f"Content-Length: {len(body)}\r\n\r\n".encode())
    for n in range(len(body)):
        if stop.wait(0.5):
            return
        conn.sendall(body[n:n + 1])


def timed_fetch(url: str, tmp_path: Path):
    """fetch_all over one source; (result, seconds). The drip servers stop by themselves after DRIP_FOR."""
    started = time.monotonic()
    with open_store(tmp_path) as store:
        [result] = fetch_all([remote(url)], store, SETTINGS)
    return result, time.monotonic() - started


@pytest.mark.parametrize("send", [header_drip, body_drip], ids=["header-drip", "body-drip"])
def test_a_dripping_server_is_cut_at_the_deadline(tmp_path, send):
    with raw_server(send) as url:
        result, seconds = timed_fetch(url, tmp_path)
    assert seconds < BOUND, f"the fetch took {seconds:.1f} s against a {TIMEOUT:g} s deadline"
    assert result.outcome == "failed"
    assert result.problem.startswith(f"the download took longer than {TIMEOUT:g} s (timeout")
    assert "timeout" in format_report([result])


def test_the_deadline_counts_redirects_and_headers_together(tmp_path):
    """Five hops that each answer just inside the read timeout still end at the deadline."""
    def slow_redirect(conn, stop):
        if not stop.wait(TIMEOUT * 0.6):
            conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /feed?again\r\nContent-Length: 0\r\n\r\n")

    with raw_server(slow_redirect) as url:
        result, seconds = timed_fetch(url, tmp_path)
    assert seconds < BOUND
    assert result.outcome == "failed"
    assert "took longer than" in result.problem or "no answer within" in result.problem


def big_feed(items: int) -> bytes:
    return rss(items, prefix="long-item-name-").encode()


def test_parsing_is_bounded_by_an_entry_cap(tmp_path):
    """An 8 MB, 50,000-item feed costs a fraction of a second of CPU, not the 11 s of parsing it all."""
    data = big_feed(50_000) + b" " * max(0, 8 * 1024 * 1024 - len(big_feed(50_000)))
    feed = tmp_path / "huge.xml"
    feed.write_bytes(data)
    source = make_source(0, {"url": "huge.xml", "name": "Huge"}, tmp_path)
    started = time.process_time()
    result = local_result(source, FetchSettings(max_bytes=16 * 1024 * 1024))
    cpu = time.process_time() - started
    assert result.outcome == "updated" and len(result.articles) == 1000
    assert "the feed has more than 1,000 entries; read the first 1,000" in result.warnings
    assert cpu < 6, f"parsing took {cpu:.1f} s of CPU"


def test_the_cut_keeps_a_well_formed_feed_well_formed():
    parsed = parse_feed(big_feed(30), url="https://feed.example/f", source_id="s", source_name="S",
                        now=NOW, max_entries=7)
    assert [a.guid for a in parsed.articles] == [f"long-item-name-{n}" for n in range(7)]
    assert parsed.well_formed


# --- where a redirect may lead ---------------------------------------------------

@pytest.fixture
def servers():
    with feed_server("127.0.0.1") as main, feed_server("127.0.0.2") as other, feed_server("127.0.0.1") as port2:
        for server in (main, other, port2):
            server.expect_request("/feed").respond_with_data(rss(), content_type="application/rss+xml")
        yield main, other, port2


@pytest.mark.parametrize("where", ["127.0.0.2", "localhost-other-port", "127.0.0.1-other-port"])
def test_no_redirect_to_another_non_public_address(servers, tmp_path, where):
    main, other, port2 = servers
    target = {"127.0.0.2": other.url_for("/feed"),
              "localhost-other-port": f"http://localhost:{port2.port}/feed",
              "127.0.0.1-other-port": port2.url_for("/feed")}[where]
    main.expect_request("/go").respond_with_response(Response("", status=302, headers={"Location": target}))
    with open_store(tmp_path) as store:
        [result] = fetch_all([remote(main.url_for("/go"))], store, SETTINGS)
    assert result.outcome == "failed"
    assert result.problem.startswith("redirected to a non-public address other than the source's own (")
    assert f"port {target.split(':')[2].split('/')[0]})" in result.problem
    assert "winwin only follows a feed to public addresses" in result.advice
    assert other.log == [] and port2.log == []  # never contacted


def test_a_redirect_within_the_source_s_own_host_and_port_is_followed(servers, tmp_path):
    main, _, _ = servers
    main.expect_request("/go").respond_with_response(Response("", status=302, headers={"Location": "/feed"}))
    with open_store(tmp_path) as store:
        [result] = fetch_all([remote(main.url_for("/go"))], store, SETTINGS)
    assert result.outcome == "updated" and len(result.articles) == 2


def test_credentials_are_never_printed(servers, tmp_path):
    main, _, _ = servers
    main.expect_request("/go").respond_with_response(Response("", status=302, headers={
        "Location": f"http://robot:hunter2@127.0.0.1:{main.port}/nothing"}))
    main.expect_request("/nothing").respond_with_data("no", status=404)
    secret_source = remote(f"http://ann:s3cret@127.0.0.1:{main.port}/missing", "Secret")
    main.expect_request("/missing").respond_with_data("no", status=404)
    with open_store(tmp_path) as store:
        results = fetch_all([remote(main.url_for("/go")), secret_source], store, SETTINGS)
    report = format_report(results)
    assert "hunter2" not in report and "s3cret" not in report and "robot" not in report
    assert f"http://***@127.0.0.1:{main.port}/missing" in report


# --- encodings -----------------------------------------------------------------

@pytest.mark.parametrize("encoding,bom", [("utf-16-le", True), ("utf-16-be", True), ("utf-32-le", True),
                                          ("utf-16-le", False)])
def test_a_utf16_or_utf32_feed_served_as_text_xml_is_read(tmp_path, encoding, bom):
    text = rss().replace('encoding="utf-8"', 'encoding="UTF-16"')
    data = ("\ufeff" if bom else "").encode(encoding) + text.encode(encoding)
    with feed_server() as server:
        server.expect_request("/feed").respond_with_data(data, content_type="text/xml")
        with open_store(tmp_path) as store:
            [result] = fetch_all([remote(server.url_for("/feed"))], store, SETTINGS)
    assert result.outcome == "updated", result.problem
    assert [a.title for a in result.articles] == ["T i0", "T i1"]


def test_nul_bytes_without_a_known_encoding_name_the_encoding_not_the_url():
    data = "<rss/>".encode("utf-16-le")[2:] + b"\x00" * 8  # no '<?', no byte-order mark
    parsed = parse_feed(b"\x00x" + data, url="https://f.example/", headers={"content-type": "text/xml"},
                        source_id="s", source_name="S", now=NOW)
    assert "UTF-16 or UTF-32" in parsed.error and "charset" in parsed.fix and "web page" not in parsed.fix


# --- local files -------------------------------------------------------------------

@pytest.mark.parametrize("url", ["../../../../etc/passwd", "/dev/zero", "/etc/passwd"])
def test_a_local_source_outside_the_project_is_refused_by_name(tmp_path, url):
    with pytest.raises(SourceError) as info:
        make_source(2, {"url": url, "name": "Sneaky"}, tmp_path)
    assert str(info.value).startswith(f"reading list source #3 ('Sneaky'): 'url' {url!r} is outside the project folder")


def test_a_symlink_leading_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "feed.xml").symlink_to("/etc/passwd")
    with pytest.raises(SourceError, match="is outside the project folder"):
        make_source(0, {"url": "feed.xml", "name": "Link"}, tmp_path)


def test_a_fifo_in_the_project_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "feed.xml")
    source = make_source(0, {"url": "feed.xml", "name": "Fifo"}, tmp_path)
    result = local_result(source)
    assert result.outcome == "failed" and result.problem == "is a device, FIFO or socket, not a regular file"


def test_the_size_cap_is_counted_on_bytes_read(tmp_path, monkeypatch):
    (tmp_path / "feed.xml").write_text(rss(200))
    source = make_source(0, {"url": "feed.xml", "name": "Big", "max_bytes": 2048}, tmp_path)
    # A size the file system lies about (as /proc files and devices do) changes nothing.
    real_stat = os.stat
    monkeypatch.setattr(os, "fstat", lambda fd: real_stat(tmp_path / "feed.xml"))
    result = local_result(source)
    assert result.outcome == "failed" and result.problem == "the file is larger than 2,048 bytes"


def test_a_local_source_is_read_without_any_store(tmp_path):
    (tmp_path / "feed.xml").write_text(rss(3))
    source = make_source(0, {"url": "feed.xml", "name": "Local"}, tmp_path)
    first, again = local_result(source), local_result(source)
    assert len(first.articles) == 3 and first.articles == again.articles  # same first_seen: the file's time
    assert list(tmp_path.iterdir()) == [tmp_path / "feed.xml"]


# --- OPML import -------------------------------------------------------------------

OPML = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Good" xmlUrl="https://good.example/feed"/>
<outline text="File" xmlUrl="file:///etc/passwd"/>
<outline text="Script" xmlUrl="javascript:alert(1)"/>
<outline text="Path" xmlUrl="../secrets.xml"/>
<outline text="No host" xmlUrl="https:///feed"/>
</body></opml>"""


def test_opml_import_drops_and_lists_sources_that_are_not_http(tmp_path):
    from mkdocs_winwin.cli.main import main

    (tmp_path / "my.opml").write_bytes(OPML)
    result = CliRunner().invoke(main, ["feeds", "import", "-f", str(tmp_path / "none.yml"), str(tmp_path / "my.opml")])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == [{"url": "https://good.example/feed", "name": "Good"}]
    assert "Left out 4 entries that are not http(s) feed URLs:" in result.stderr
    for url in ("file:///etc/passwd", "javascript:alert(1)", "../secrets.xml", "https:///feed"):
        assert repr(url) in result.stderr


@pytest.mark.parametrize("encoding,text", [("big5", "網路人脈的四個要點"), ("euc-jp", "ネットワーキングの四つのこつ"),
                                           ("gb18030", "网络人脉的四个要点")])
def test_a_multibyte_feed_declared_as_utf8_fails_naming_the_encoding_instead_of_garbling(encoding, text):
    data = rss(1).replace("T i0", text).encode(encoding)
    parsed = parse_feed(data, url="https://f.example/", headers={"content-type": "text/xml; charset=utf-8"},
                        source_id="s", source_name="S", now=NOW)
    assert parsed.articles == []
    assert "look like a multi-byte encoding such as Big5" in parsed.error.replace("looks", "look")
    assert parsed.fix.startswith("ask the site to declare its real encoding")


def test_latin1_labelled_utf8_is_still_read_with_a_warning():
    data = rss(1).replace("T i0", "Très élégant café à côté").encode("latin-1")
    parsed = parse_feed(data, url="https://f.example/", headers={"content-type": "application/rss+xml"},
                        source_id="s", source_name="S", now=NOW)
    assert [a.title for a in parsed.articles] == ["Très élégant café à côté"]
    assert parsed.warnings == ["encoding: document declared as utf-8, but parsed as windows-1252"]


def test_a_kept_alive_connection_of_another_source_is_no_way_around_the_rule(servers):
    """Source A lives on 127.0.0.1:P and keeps its connection alive; source B, elsewhere, then
    redirects to A's origin: the pooled connection must not carry B's request there."""
    _, _, port2 = servers
    requests: list[bytes] = []
    body = rss().encode()

    def keep_alive(conn, stop):
        # raw_server read the first request already; answer it, then every next one on this connection.
        requests.append(b"first")
        while not stop.is_set():
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nConnection: keep-alive\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            more = conn.recv(65536)
            if not more:
                return
            requests.append(more)

    with raw_server(keep_alive) as a_url:
        port2.expect_request("/go").respond_with_response(Response("", status=302, headers={"Location": a_url}))
        with http.client(SETTINGS) as client:  # one client, one pool, one source after the other
            first = fetch_source(client, remote(a_url, "A"), None, SETTINGS)
            second = fetch_source(client, remote(port2.url_for("/go"), "B"), None, SETTINGS)
    assert first.outcome == "updated"
    assert second.outcome == "failed" and second.problem.startswith("redirected to a non-public address")
    assert len(requests) == 1  # A's feed, fetched once: B's redirect never reached it
