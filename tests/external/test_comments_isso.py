"""`winwin comments pull --isso` against a real Isso on 127.0.0.1, and the page that shows the result.

Comments are posted through Isso's own API (and, in the browser test, its
widget in Chromium), pulled into the repository, and the site rebuilt: the
static HTML then holds them without JavaScript, and with JavaScript each
shows once (the live widget's copy; the static copy of an Isso comment
steps aside).
"""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner

from mkdocs_winwin.cli.comments import comments
from mkdocs_winwin.prompts.isso import IssoServer
from tests.support import AUTHORS, Server, build_tree, prompts_config, small_site

POST = "blog/2026/01/02/hello/"
FILE = "content/blog/posts/hello.comments.yml"


@pytest.fixture
def isso_site(tmp_path, monkeypatch):
    """A small site served on 127.0.0.1 whose pages load a real Isso with a fresh database."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    with Server(site_dir) as site, IssoServer(tmp_path / "isso", site_origin=site.url) as isso:
        small_site(tmp_path, {**AUTHORS, "mkdocs.yml": prompts_config(f"      isso:\n        url: {isso.url}\n")})
        build_tree(tmp_path, site_dir=site_dir)
        monkeypatch.chdir(tmp_path)
        yield tmp_path, site.url, isso


def post(isso, text, author, parent=None, website=None):
    body = {"text": text, "author": author, "title": "Hello", "parent": parent, "website": website}
    response = httpx.post(f"{isso.url}new", params={"uri": "/" + POST}, json=body, timeout=10,
                          headers={"Origin": isso.site_origins[0].rstrip("/")})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def pull(isso):
    result = CliRunner().invoke(comments, ["pull", "--isso", isso.url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_comments_posted_to_isso_are_pulled_once_and_built_into_the_page(isso_site):
    root, _, isso = isso_site
    first = post(isso, "Ask *one* question, then listen.", "Ana Lima", website="https://ana.example/")
    post(isso, "Agreed <script>alert(1)</script>", "Bo", parent=first)
    assert "2 new, 0 updated, 0 unchanged; 1 file(s) written" in pull(isso)
    text = (root / FILE).read_text()
    assert f"id: isso-{first}\n" in text and f"parent: isso-{first}\n" in text and "source: isso" in text
    assert "Ask *one* question, then listen." in text  # the Markdown as written, not Isso's HTML
    assert "0 new, 0 updated, 2 unchanged; 0 file(s) written" in pull(isso)

    html = (build_tree(root) / POST / "index.html").read_text()
    assert "2 replies" in html and "Ask <em>one</em> question" in html
    assert f'data-winwin-isso-id="{first}"' in html and "in reply to" in html
    assert "alert(1)" not in html


def test_an_isso_that_is_down_writes_nothing(isso_site):
    root, _, isso = isso_site
    isso.stop()
    result = CliRunner().invoke(comments, ["pull", "--isso", isso.url, "--timeout", "2"])
    assert result.exit_code == 1
    assert f"Nothing was written from this source: {isso.url}?uri=" in result.output
    assert not (root / FILE).exists()


@pytest.mark.browser
def test_comment_posted_in_chromium_is_static_without_js_and_shown_once_with_it(isso_site, page, browser):
    root, site_url, isso = isso_site
    page.goto(site_url + POST)
    box = page.locator("#isso-thread")
    box.locator(".isso-postbox textarea").first.wait_for(timeout=15_000)
    box.locator(".isso-postbox textarea").first.fill("Follow up within a week, with one question.")
    box.locator(".isso-postbox input[name=author]").first.fill("Reader One")
    box.locator(".isso-postbox input[type=submit]").first.click()
    box.locator(".isso-comment .isso-text", has_text="Follow up within a week").first.wait_for(timeout=15_000)

    pull(isso)
    build_tree(root, site_dir=root / "site")

    no_js = browser.new_context(java_script_enabled=False)
    try:
        static = no_js.new_page()
        static.goto(site_url + POST)
        listed = static.locator(".winwin-comments .winwin-comment__text", has_text="Follow up within a week")
        assert listed.count() == 1 and listed.first.is_visible()
        assert static.locator(".winwin-comments h3").inner_text() == "1 reply"
    finally:
        no_js.close()

    page.goto(site_url + POST)
    live = page.locator("#isso-thread .isso-comment .isso-text", has_text="Follow up within a week")
    live.first.wait_for(timeout=15_000)
    copy = page.locator(".winwin-comments .winwin-comment__text", has_text="Follow up within a week")
    page.wait_for_function("() => document.querySelector('[data-winwin-isso-id] > article').hidden")
    shown = page.get_by_text("Follow up within a week, with one question.")
    assert sum(1 for i in range(shown.count()) if shown.nth(i).is_visible()) == 1
    assert not copy.first.is_visible()
    # Its only comment is the widget's own: the static list and its "1 reply" step aside.
    assert not page.locator(".winwin-comments").is_visible()
    assert page.errors == [] and page.foreign_requests() == []

    # A reply that came by e-mail is only in the repository: it stays, beside the widget's copy.
    added = CliRunner().invoke(comments, ["add", "blog/posts/hello.md", "--name", "Mail Reader"],
                               input="Sent by e-mail: a calendar reminder helps.\n")
    assert added.exit_code == 0, added.output
    build_tree(root, site_dir=root / "site")
    page.goto(site_url + POST)
    live.first.wait_for(timeout=15_000)
    page.wait_for_function("() => document.querySelector('[data-winwin-isso-id] > article').hidden")
    assert page.locator(".winwin-comments").is_visible()
    assert page.get_by_text("Sent by e-mail: a calendar reminder helps.").is_visible()
    assert not copy.first.is_visible()
