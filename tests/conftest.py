"""Shared fixtures: the shipped site built once per session, served on
127.0.0.1, and a headless Chromium (Debian's) to drive it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support import BrowserPage, Server, build_tree, copy_shipped_site

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
    # Every host but 127.0.0.1, IP addresses included, resolves to nothing: no
    # test (not even one that loads a foreign URL on purpose) and no prefetch
    # sends traffic off the machine. The request is still made, and recorded by
    # BrowserPage for the privacy checks; a test's page.route() stand-in (giscus,
    # a Mastodon instance) answers before any lookup.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@pytest.fixture(scope="session")
def shipped_source(tmp_path_factory) -> Path:
    """A copy of the repository's site sources (mkdocs.yml, content/, theme/)."""
    return copy_shipped_site(tmp_path_factory.mktemp("shipped"))


@pytest.fixture(scope="session")
def shipped_site(shipped_source) -> Path:
    """The shipped site, built once with --strict; the folder of HTML and XML."""
    return build_tree(shipped_source, strict=True)


@pytest.fixture(scope="session")
def site_server(shipped_site):
    """The built shipped site served on 127.0.0.1; yields the base URL."""
    with Server(shipped_site) as server:
        yield server.url


@pytest.fixture(scope="session")
def shipped_page_types(shipped_source, shipped_site):
    """One URL path per page type of the shipped site (see tests/page_types.py)."""
    from tests.page_types import page_types

    return page_types(shipped_site, shipped_source / "content")


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing under CI: install Debian's chromium (see .ci/run).")
        pytest.skip(f"{CHROMIUM} is not installed: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh browser page that records console errors, page errors and every request."""
    context = browser.new_context()
    tab = BrowserPage(context.new_page())
    yield tab
    context.close()


@pytest.fixture
def old_blog():
    """The old blog's host on 127.0.0.1: an image that works, one 404, one that hangs, one HTML page.

    Threaded, so the hanging image holds up nothing else. The hang lasts until
    the test ends (60 s at most), far past any fetch timeout a test sets, so a
    fetch that returns in time was really cut at its deadline.
    """
    import threading

    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    from tests.support import PNG

    released = threading.Event()
    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()
    httpserver.expect_request("/img/photo.png").respond_with_data(PNG, content_type="image/png")
    httpserver.expect_request("/img/avatar.png").respond_with_data(PNG, content_type="image/png")
    httpserver.expect_request("/img/missing.png").respond_with_data("gone", status=404)
    httpserver.expect_request("/img/page.png").respond_with_data(
        "<!doctype html><title>Not found</title>", content_type="text/html")

    def hang(request):
        released.wait(60)
        return Response(PNG, content_type="image/png")

    httpserver.expect_request("/img/slow.png").respond_with_handler(hang)
    yield httpserver
    released.set()
    httpserver.clear()
    httpserver.stop()


@pytest.fixture
def export_file(tmp_path, old_blog):
    """export_file('wordpress.xml') -> a copy whose {{BASE}} is the loopback blog's address."""
    from tests.support import IMPORT_FIXTURES

    base = f"http://127.0.0.1:{old_blog.port}"

    def make(name: str) -> Path:
        target = tmp_path / "exports" / name
        target.parent.mkdir(exist_ok=True)
        target.write_text((IMPORT_FIXTURES / name).read_text(encoding="utf-8").replace("{{BASE}}", base),
                          encoding="utf-8")
        return target

    make.base = base  # type: ignore[attr-defined]
    return make
