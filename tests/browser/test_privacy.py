"""Privacy: no page type makes the reader's browser talk to anyone but the site.

Each page is loaded from 127.0.0.1 in chromium, scrolled to the bottom (for
anything loaded lazily) and left to settle; every request the page made is
recorded by the `page` fixture. Fonts, analytics, avatars or embeds from
another host would show up here.
"""

from __future__ import annotations

import pytest

from tests.page_types import NAMES, path_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name", NAMES)
def test_page_requests_nothing_but_the_site(page, site_server, shipped_page_types, name):
    path = path_of(shipped_page_types, name)
    page.goto(site_server + path)
    page.mouse.wheel(0, 100_000)
    # At the bottom, and two frames later (lazy loaders' observers have run),
    # then no request for half a second: not a fixed wait.
    page.wait_for_function("scrollY + innerHeight >= document.documentElement.scrollHeight - 2")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_load_state("networkidle")
    assert page.requests, "the browser recorded no request at all"
    assert page.foreign_requests() == [], f"/{path} reached beyond the site"


def test_a_foreign_request_is_caught(page, site_server):
    """The check can fail: an image from another host, added to a page, is recorded."""
    page.route("http://tracker.invalid/**", lambda route: route.abort())  # never leaves the machine
    page.goto(site_server)
    # Waits for the request itself: networkidle may already be behind the page.
    with page.expect_request("http://tracker.invalid/pixel.gif"):
        page.evaluate("""() => { const img = document.createElement('img');
            img.src = 'http://tracker.invalid/pixel.gif'; document.body.append(img); }""")
    assert page.foreign_requests() == ["http://tracker.invalid/pixel.gif"]
