"""`winwin serve` in a browser: the edited page reloads, other open pages do not, and a
content error is shown over the last good page until it is fixed."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mkdocs_winwin.prompts.isso import free_port
from tests.support import AUTHORS, small_site
from tests.support import INCREMENTAL_CONFIG as CONFIG, edit, numbered_post as post

WAIT_MS = 90_000  # a build on a loaded machine; the loops below are bounded by it


@pytest.fixture
def served(tmp_path):
    """(base URL, docs folder) of a small site under `winwin serve`."""
    files = {**AUTHORS, "mkdocs.yml": CONFIG}
    files.update({f"content/blog/posts/post-{i}.md": post(i) for i in range(5)})
    site = small_site(tmp_path / "src", files, config=CONFIG)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    winwin = Path(sys.executable).parent / "winwin"
    process = subprocess.Popen([str(winwin), "serve", "-f", str(site / "mkdocs.yml"), "-p", str(port)],
                               cwd=site, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base, timeout=5):  # noqa: S310 - 127.0.0.1
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        else:
            pytest.fail("winwin serve did not start:\n" + (tmp_path / "serve.log").read_text())
        yield base, site / "content"
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _open(browser, url: str):
    page = browser.new_context().new_page()
    page.goto(url)
    page.evaluate("window.winwinKept = true")  # gone if the page reloads
    return page


def test_the_edited_page_reloads_alone_and_errors_show_over_the_last_good_page(browser, served):
    base, docs = served
    other = _open(browser, base + "blog/2026/02/02/post-1/")
    edited = _open(browser, base + "blog/2026/02/04/post-3/")
    try:
        _edit_and_break(docs, edited, other)
    finally:
        for page in (other, edited):
            page.context.close()


def _edit_and_break(docs, edited, other) -> None:

    edit(docs, "blog/posts/post-3.md", "More about 3.", "Freshly edited words.")
    edited.wait_for_selector("text=Freshly edited words.", timeout=WAIT_MS)
    assert edited.evaluate("window.winwinKept === undefined")  # it reloaded
    # The other tab's page did not change, so it was not reloaded (its poll is still pending).
    time.sleep(1.5)
    assert other.evaluate("window.winwinKept") is True

    edit(docs, "blog/posts/post-2.md", "title: Post 2", "title: [unclosed")
    for page in (edited, other):
        box = page.locator("#winwin-build-error")
        expect(box).to_contain_text("blog/posts/post-2.md", timeout=WAIT_MS)
        expect(box).to_contain_text("Fix:")
    expect(edited.locator("text=Freshly edited words.")).to_be_visible()  # the last good page stays

    edit(docs, "blog/posts/post-2.md", "title: [unclosed", "title: Post 2")
    for page in (edited, other):
        expect(page.locator("#winwin-build-error")).to_have_count(0, timeout=WAIT_MS)
    expect(edited.locator("text=Freshly edited words.")).to_be_visible()
