"""An imported blog's old addresses, followed in a real browser with JavaScript off."""

from __future__ import annotations

import pytest

from tests.support import Server, build_tree, plain_blog, run_import

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("name, old_path", [
    ("wordpress.xml", "2011/03/everything-markup/"),
    ("blogger-classic.xml", "2011/03/everything-markup.html"),
    ("blogger-classic.xml", "p/about.html"),
])
def test_an_old_address_lands_on_the_imported_page(browser, tmp_path, export_file, name, old_path):
    root = plain_blog(tmp_path / "site")
    run_import(root, export_file(name), "--no-images")
    site = build_tree(root, strict=True)
    expected = "pages/about/" if "about" in old_path else "blog/2011/03/04/everything-markup/"
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        with Server(site) as server:
            tab.goto(server.url + old_path)
            # The URL is what this test is about; the page's remote pictures may take their time.
            tab.wait_for_url(server.url + expected, timeout=15000, wait_until="domcontentloaded")
            assert tab.locator("h1").first.inner_text() in ("Everything markup", "About me")
    finally:
        context.close()
