"""Isso end to end: a real Isso on 127.0.0.1, a built site pointing at it, a real browser."""

from __future__ import annotations

import signal
import time
import urllib.request
from pathlib import Path

import pytest

from mkdocs_winwin.prompts.isso import IssoError, IssoServer, config_text, free_port, origin
from tests.support import AUTHORS, prompts_config as config, Server, build_tree, small_site, winwin_serve_comments

POST = "blog/2026/01/02/hello/"


def test_config_is_loopback_only_with_the_site_origin():
    text = config_text(dbpath=Path("/x/comments.db"), site_origins=["http://127.0.0.1:8000/blog/"],
                       port=4242, salt="s")
    assert "dbpath = /x/comments.db\n" in text
    assert "listen = http://127.0.0.1:4242/\n" in text
    assert "host =\n    http://127.0.0.1:8000\n" in text
    with pytest.raises(IssoError, match="origin"):
        origin("127.0.0.1:8000")


@pytest.fixture(scope="module")
def isso_site(tmp_path_factory):
    """A small site served on 127.0.0.1 whose pages load a real Isso with a fresh database."""
    root = tmp_path_factory.mktemp("isso")
    site_dir = root / "site"
    site_dir.mkdir()
    # The site's server first: Isso must know the site's origin before it starts.
    with Server(site_dir) as site, IssoServer(root / "isso", site_origin=site.url) as isso:
        small_site(root, {**AUTHORS, "mkdocs.yml": config(f"      isso:\n        url: {isso.url}\n")})
        build_tree(root, site_dir=site_dir)
        yield site.url, isso


@pytest.mark.browser
def test_comment_posted_through_isso_survives_a_reload(page, isso_site):
    site_url, isso = isso_site
    page.goto(site_url + POST)
    box = page.locator("#isso-thread")
    textarea = box.locator(".isso-postbox textarea").first
    textarea.wait_for(timeout=15_000)
    textarea.fill("My pointer: ask one question about their work, then listen.")
    box.locator(".isso-postbox input[name=author]").first.fill("Test Reader")
    box.locator(".isso-postbox input[type=submit]").first.click()
    comment = box.locator(".isso-comment .isso-text", has_text="ask one question about their work")
    comment.first.wait_for(timeout=15_000)

    page.reload()
    comment.first.wait_for(timeout=15_000)
    assert box.locator(".isso-comment .isso-author", has_text="Test Reader").count() == 1
    assert page.errors == [], page.foreign_requests()
    assert page.foreign_requests() == []
    # Stored in the SQLite file named in the config, under the page's path.
    with urllib.request.urlopen(f"{isso.url}?uri=/{POST}") as response:
        assert b"ask one question about their work" in response.read()
    assert isso.db.exists()


def test_stop_ends_the_process_and_frees_the_port(tmp_path):
    with IssoServer(tmp_path, site_origin="http://127.0.0.1:1") as isso:
        process = isso.process
        with urllib.request.urlopen(isso.url + "js/embed.min.js") as response:
            assert response.status == 200
    assert process.poll() is not None
    with pytest.raises(OSError):
        urllib.request.urlopen(isso.url + "info", timeout=2)


def test_a_crashing_isso_is_reported_with_its_log(tmp_path):
    port = free_port()
    with __import__("socket").socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        # The port is busy: Isso exits, and the error quotes its log.
        with pytest.raises(IssoError, match=r"^Isso exited with code [1-9]\d*:\n") as info:
            IssoServer(tmp_path, site_origin="http://127.0.0.1:1", port=port).start()
    log = (tmp_path / "isso.log").read_text(encoding="utf-8").splitlines()
    assert log and str(info.value).endswith("\n".join(log[-5:]))  # the error ends with Isso's last words


def _wait_for(url: str, timeout: float = 60) -> bytes:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_winwin_serve_comments_runs_isso_beside_the_preview_and_stops_it(tmp_path):
    root = small_site(tmp_path, {"mkdocs.yml": config()})
    port = free_port()
    serve = winwin_serve_comments(root, port)
    try:
        html = _wait_for(f"http://127.0.0.1:{port}/{POST}").decode()
        cfg = (root / ".cache/winwin/isso/isso.cfg").read_text()
        isso_port = int(cfg.split("listen = http://127.0.0.1:")[1].split("/")[0])
        assert f'src="http://127.0.0.1:{isso_port}/js/embed.min.js"' in html
        assert f"host =\n    http://127.0.0.1:{port}\n    http://localhost:{port}\n" in cfg
        info = _wait_for(f"http://127.0.0.1:{isso_port}/info")  # bounded by its generous default
        assert f'"origin": "http://127.0.0.1:{port}"'.encode() in info
    finally:
        serve.send_signal(signal.SIGINT)
        output, _ = serve.communicate(timeout=30)
    assert f"Comments: Isso on http://127.0.0.1:{isso_port}/" in output
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{isso_port}/info", timeout=2)
