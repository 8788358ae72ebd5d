"""The shipped site in a real headless Chromium."""

import pytest

from mkdocs_winwin.content.loader import load_site
from tests.page_types import path_of

pytestmark = pytest.mark.browser

PAGES = ["", "guide/give-first/", "blog/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_console_errors(page, site_server, path):
    response = page.goto(site_server + path)
    assert response.status == 200
    assert page.locator("h1").first.is_visible()
    page.wait_for_load_state("networkidle")
    assert page.errors == []
    assert page.foreign_requests() == []


def test_post_page_renders(page, site_server, shipped_source, shipped_page_types):
    # The newest published post, found by its title (tests/page_types.py), not by
    # a path fragment that the archive pages share.
    newest = load_site(shipped_source / "content").published()[0]
    page.goto(site_server + path_of(shipped_page_types, "post"))
    page.wait_for_load_state("networkidle")
    assert page.locator("article h1").first.inner_text().replace("¶", "").strip() == newest.title
    # One guide link per theme of the post, each to its chapter.
    assert page.locator(".winwin-guide-links a").count() == len(newest.themes) >= 1
    assert page.errors == []


def test_search_finds_a_word_from_a_post(page, site_server, shipped_source):
    content = shipped_source / "content"
    posts = {p.title for p in load_site(content).published()
             if "conversation" in (content / p.path).read_text(encoding="utf-8").lower()}
    assert posts, "no published post says 'conversation': pick another word"
    page.goto(site_server)
    page.keyboard.press("/")
    page.locator("input.md-search__input").press_sequentially("conversation", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    found = {results.nth(i).locator("h1").first.inner_text().strip(): results.nth(i).locator("a").first.get_attribute("href")
             for i in range(results.count())}
    # The posts that use the word are among the results, linked to their pages under blog/
    # (not only a chapter or the tags page that happen to rank first).
    hits = {title: href for title, href in found.items() if title in posts}
    assert hits, f"no post among the results {sorted(found)}"
    assert all("/blog/20" in href for href in hits.values()), hits


def test_palette_toggle_switches_scheme(page, site_server):
    page.goto(site_server)
    body = page.locator("body")
    before = body.get_attribute("data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")
    assert body.get_attribute("data-md-color-scheme") != before
