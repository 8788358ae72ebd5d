"""`winwin comments pull --webmentions` against a JF2 endpoint on 127.0.0.1 serving files written here."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Response

from mkdocs_winwin.cli.comments import comments
from tests.support import AUTHORS, REPO, build_tree, prompts_config, small_site

JF2 = REPO / "tests" / "cases" / "comments" / "jf2" / "mentions.jf2.json"
FILE = "content/blog/posts/hello.comments.yml"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)  # never "localhost": no lookup, nothing but the loopback address


@pytest.fixture
def site(tmp_path, monkeypatch):
    root = small_site(tmp_path, {**AUTHORS, "mkdocs.yml": prompts_config()})
    monkeypatch.chdir(root)
    return root


def pull(url, *extra):
    return CliRunner().invoke(comments, ["pull", "--webmentions", url, *extra], catch_exceptions=False)


def test_replies_likes_and_reposts_land_once_and_render(site, httpserver):
    httpserver.expect_request("/api/mentions.jf2").respond_with_data(JF2.read_bytes(), content_type="application/json")
    result = pull(httpserver.url_for("/api/mentions.jf2"))
    assert result.exit_code == 0, result.output
    assert "4 new, 0 updated, 0 unchanged; 1 file(s) written" in result.output
    assert "not shown: 1 mention-of" in result.output
    text = (site / FILE).read_text()
    assert "id: wm-1501" in text and "link: https://mastodon.social/@ana/111" in text and "source: webmention" in text
    assert "javascript" not in text  # Dee's author link was not http(s): dropped, the reply kept
    # A second pull adds nothing and leaves the file alone.
    os.utime(site / FILE, (1, 1))
    again = pull(httpserver.url_for("/api/mentions.jf2"))
    assert "0 new, 0 updated, 4 unchanged; 0 file(s) written" in again.output
    assert (site / FILE).stat().st_mtime == 1

    html = (build_tree(site) / "blog/2026/01/02/hello/index.html").read_text()
    assert "1 like, 1 repost on the social web" in html
    assert "2 replies" in html and 'href="https://mastodon.social/@ana/111" rel="nofollow ugc"' in html
    assert "alert(1)" not in html


def test_an_edited_reply_is_updated_not_added(site, httpserver):
    data = json.loads(JF2.read_text())
    httpserver.expect_ordered_request("/jf2").respond_with_json(data)
    data2 = json.loads(JF2.read_text())
    data2["children"][0]["content"]["text"] = "Asking first works, thanks (edited)"
    httpserver.expect_ordered_request("/jf2").respond_with_json(data2)
    pull(httpserver.url_for("/jf2"))
    result = pull(httpserver.url_for("/jf2"))
    assert "0 new, 1 updated, 3 unchanged; 1 file(s) written" in result.output
    assert (site / FILE).read_text().count("Asking first works") == 1
    assert "(edited)" in (site / FILE).read_text()


def _fails_and_writes_nothing(site, url, expected, *extra):
    before = sorted(p.relative_to(site) for p in (site / "content").rglob("*"))
    result = pull(url, *extra)
    assert result.exit_code == 1
    assert f"Nothing was written from this source: {url}" in result.output  # the page asked, named in full
    assert expected in result.output
    assert sorted(p.relative_to(site) for p in (site / "content").rglob("*")) == before


def test_malformed_json_is_named_and_nothing_written(site, httpserver):
    httpserver.expect_request("/jf2").respond_with_data('{"children": [', content_type="application/json")
    _fails_and_writes_nothing(site, httpserver.url_for("/jf2"), "did not answer JSON")


def test_not_a_feed_is_named(site, httpserver):
    httpserver.expect_request("/jf2").respond_with_json({"error": "invalid token"})
    _fails_and_writes_nothing(site, httpserver.url_for("/jf2"), "did not answer a JF2 feed")


def test_an_http_error_is_named(site, httpserver):
    httpserver.expect_request("/jf2").respond_with_data("no", status=403)
    _fails_and_writes_nothing(site, httpserver.url_for("/jf2"), "answered HTTP 403")


def test_a_hanging_endpoint_times_out(site, httpserver):
    # The endpoint holds its answer for 60 s (until the test ends): a pull back
    # well before that was cut at its 0.5 s deadline; the bound is generous for a loaded machine.
    released = threading.Event()

    def hang(request):
        released.wait(60)
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/jf2").respond_with_handler(hang)
    start = time.monotonic()
    try:
        _fails_and_writes_nothing(site, httpserver.url_for("/jf2"), "did not answer within 0.5 s", "--timeout", "0.5")
        assert time.monotonic() - start < 20
    finally:
        released.set()


def test_a_slow_drip_hits_the_deadline(site):
    # A raw socket, because the test HTTP server sends an answer only once it is complete.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def drip():
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                for _ in range(30):  # a byte every 0.1 s: no single read waits long, the whole never ends
                    time.sleep(0.1)
                    try:
                        conn.sendall(b" ")
                    except OSError:
                        return

        server = threading.Thread(target=drip, daemon=True)
        server.start()
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/jf2"
        _fails_and_writes_nothing(site, url, "took longer than 1 s", "--timeout", "1")
        server.join(timeout=5)


def test_a_50_mb_answer_stops_at_the_cap(site, httpserver):
    def huge(request):
        def chunks():
            yield b'{"children": [], "pad": "'
            for _ in range(50):
                yield b"x" * (1024 * 1024)
            yield b'"}'
        return Response(chunks(), content_type="application/json")

    httpserver.expect_request("/jf2").respond_with_handler(huge)
    start = time.monotonic()
    _fails_and_writes_nothing(site, httpserver.url_for("/jf2"), "sent more than 5,242,880 bytes")
    assert time.monotonic() - start < 10


def test_a_missing_thread_is_none_only_when_allowed(httpserver):
    from mkdocs_winwin.comments.http import get_json
    from mkdocs_winwin.errors import SourceError

    httpserver.expect_request("/gone").respond_with_data("not found", status=404)
    assert get_json(httpserver.url_for("/gone"), missing_ok=True) is None
    with pytest.raises(SourceError, match="answered HTTP 404"):
        get_json(httpserver.url_for("/gone"))


@pytest.mark.parametrize("answer, expected", [
    ('{"replies": [', "did not answer JSON"),
    ('["not", "a", "thread"]', "did not answer an Isso thread"),
])
def test_a_malformed_isso_answer_writes_nothing(site, httpserver, answer, expected):
    # An Isso stand-in on 127.0.0.1 (the real one is in test_comments_isso.py): one bad thread stops the pull.
    httpserver.expect_request("/isso/").respond_with_data(answer, content_type="application/json")
    result = CliRunner().invoke(comments, ["pull", "--isso", httpserver.url_for("/isso/")])
    assert result.exit_code == 1
    assert f"Nothing was written from this source: {httpserver.url_for('/isso/')}?uri=" in result.output
    assert expected in result.output
    assert not list((site / "content").rglob("*.comments.yml"))
