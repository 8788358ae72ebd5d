"""Accessibility: axe-core finds no violation on any page type, light or dark.

axe's own script (npm `axe-core`, pinned in package.json) is injected into
each page of the served shipped site in headless chromium. The palette is
chosen the way a reader's system chooses it: Material follows
`prefers-color-scheme` until the reader toggles, so the browser context
emulates light or dark, and the test checks that the palette really switched.
Where the stock theme fails a rule, the fix lives in theme/, never in a
disabled rule here.
"""

from __future__ import annotations

import pytest

from tests.page_types import NAMES, path_of
from tests.support import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# How a reader sees the site: the browser context's settings, and the scheme of
# mkdocs.yml's palette that the system preference must select. The phone (the
# viewport of Lighthouse's mobile preset, touch, no hover) shows the drawer's
# navigation and code blocks that do not scroll by keyboard.
PHONE = {"viewport": {"width": 412, "height": 823}, "is_mobile": True, "has_touch": True}
VIEWS = {
    "light": ({"color_scheme": "light"}, "default"),
    "dark": ({"color_scheme": "dark"}, "slate"),
    "phone-dark": ({"color_scheme": "dark", **PHONE}, "slate"),
}
# WCAG 2.x A and AA plus axe's best practices (landmarks, headings, region).
RUN_OPTIONS = {"resultTypes": ["violations"],
               "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                                     "wcag22aa", "best-practice"]}}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` in {REPO} (./dev test does it).")
    return AXE.read_text(encoding="utf-8")


def describe(violations: list[dict]) -> str:
    """One line per failing element: the rule, the selector and axe's own summary."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"{v['id']} ({v['impact']}): {' '.join(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("name", NAMES)
def test_no_axe_violations(browser, site_server, shipped_page_types, axe_source, name, view):
    path = path_of(shipped_page_types, name)
    settings, expected_scheme = VIEWS[view]
    context = browser.new_context(**settings)
    try:
        tab = context.new_page()
        tab.goto(site_server + path)
        tab.wait_for_load_state("networkidle")
        scheme = tab.locator("body").get_attribute("data-md-color-scheme")
        assert scheme == expected_scheme, f"/{path}: the {view} palette did not apply"
        tab.add_script_tag(content=axe_source)
        result = tab.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    finally:
        context.close()
    violations = result["violations"]
    assert not violations, f"axe on /{path} ({view}):\n{describe(violations)}"


@pytest.mark.parametrize("view", ["light", "dark"])
def test_no_axe_violations_in_search_results(browser, site_server, axe_source, view):
    """The search overlay, open with results (tagged posts among them), is part of every page."""
    settings, _ = VIEWS[view]
    context = browser.new_context(**settings)
    try:
        tab = context.new_page()
        tab.goto(site_server)
        tab.wait_for_load_state("networkidle")
        tab.keyboard.press("/")
        tab.locator("input.md-search__input").press_sequentially("conversation", delay=30)
        tab.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        assert tab.locator(".md-search-result .md-tag").count() >= 2, "no tagged result to check"
        tab.add_script_tag(content=axe_source)
        result = tab.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    finally:
        context.close()
    assert not result["violations"], f"axe on search results ({view}):\n{describe(result['violations'])}"


def test_axe_catches_a_violation(browser, site_server, axe_source):
    """The check can fail: an image without alt text added to a page is reported."""
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(site_server)
        tab.evaluate("""() => { const img = document.createElement('img');
            img.src = 'assets/logo.svg'; document.querySelector('article').append(img); }""")
        tab.add_script_tag(content=axe_source)
        result = tab.evaluate("options => axe.run(document, options)", RUN_OPTIONS)
    finally:
        context.close()
    assert "image-alt" in [v["id"] for v in result["violations"]]
