"""Hostile feeds: nothing from a feed reaches a page as markup, and nothing runs in a browser.

One site is built whose local sources are every file of tests/cases/hostile/
(grouped by source, so each case has its own section); each section is checked
against the case's `.expect.yml`, then the page is opened in Chromium.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
import yaml

from tests.support import MINIMAL_CONFIG, Server, build_tree, shown_text, small_site

CASES = Path(__file__).parent / "hostile"
FEEDS = sorted(p for p in CASES.iterdir() if p.suffix in (".xml", ".json"))
NAMES = [p.stem for p in FEEDS]


def expectation(name: str) -> dict:
    return yaml.safe_load((CASES / f"{name}.expect.yml").read_text(encoding="utf-8"))


def test_every_case_has_an_expectation():
    expectations = {p.name.removesuffix(".expect.yml") for p in CASES.glob("*.expect.yml")}
    assert expectations == set(NAMES)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """(site folder, build warnings) of a site fed by every hostile case."""
    root = tmp_path_factory.mktemp("hostile")
    sources = "".join(f"        - url: feeds/{p.name}\n          name: {p.stem}\n" for p in FEEDS)
    config = MINIMAL_CONFIG.replace("  - blog\n", "  - winwin-reading-list:\n"
                                    "      group_by: source\n      sources:\n" + sources + "  - blog\n")
    small_site(root, {"content/index.md": "# Home\n\n<!-- winwin:latest-picks -->\n"}, config=config)
    (root / "feeds").mkdir()
    for feed in FEEDS:
        shutil.copy(feed, root / "feeds" / feed.name)
    records = _Records()
    logging.getLogger("mkdocs").addHandler(records)
    try:
        # Not strict: dropping a javascript: link is a warning, on purpose.
        site = build_tree(root, strict=False)
    finally:
        logging.getLogger("mkdocs").removeHandler(records)
    return site, records.messages


def page_html(site: Path) -> str:
    return (site / "reading-list" / "index.html").read_text(encoding="utf-8")


def section(html: str, name: str) -> str | None:
    """The raw HTML of one case's section: from its heading to the next heading or the end."""
    start = re.search(rf'<h2 id="{re.escape(name)}"', html)
    if not start:
        return None
    # The next group's heading, or the end of the page's content (items are <article>s too).
    end = re.compile(r"<h2 |</article>\s*</div>").search(html, start.end())
    return html[start.start(): end.start()]


@pytest.mark.parametrize("name", NAMES)
def test_case(hostile_site, name):
    site, warnings = hostile_site
    expect = expectation(name)
    raw = section(page_html(site), name)
    if raw is None:  # nothing of the feed survived: fine, unless titles were expected
        assert not expect.get("titles"), f"{name}: no section, expected {expect['titles']}"
        raw = ""
    doc = lxml.html.fragment_fromstring(raw, create_parent="div") if raw else None
    items = doc.xpath('.//li[contains(@class, "winwin-reading-list__item")]') if doc is not None else []
    titles = [i.xpath(".//h3/a")[0].text_content().strip() for i in items]
    hrefs = [i.xpath(".//h3/a/@href")[0] for i in items]
    text = " ".join(doc.text_content().split()) if doc is not None else ""
    if "titles" in expect:
        assert sorted(titles) == sorted(expect["titles"])
    for href in hrefs:
        assert href in expect.get("links", []), f"{name}: unexpected link {href!r}"
        assert href.startswith(("https://", "http://"))
    for piece in expect.get("text", []):
        assert piece in text, f"{name}: {piece!r} not shown as text"
    for piece in expect.get("absent", []):
        assert piece.lower() not in raw.lower(), f"{name}: {piece!r} reached the page"
    if "max_chars" in expect:
        assert len(raw) <= expect["max_chars"]
    if "warning" in expect:
        assert any(expect["warning"] in w and name in w for w in warnings), warnings


def test_no_markup_from_feeds_in_the_reading_list(hostile_site):
    site, _ = hostile_site
    doc = lxml.html.fromstring(page_html(site))
    content = doc.xpath('//article[contains(@class, "md-content__inner")]')[0]
    allowed = {"h1", "h2", "h3", "p", "a", "ul", "li", "article", "span", "strong", "time", "div",
               "button", "svg", "path"}
    for element in content.iter():
        if not isinstance(element.tag, str):
            continue
        assert element.tag in allowed, lxml.html.tostring(element)[:200]
        assert not [a for a in element.attrib if a.lower().startswith("on")], lxml.html.tostring(element)[:200]
        if element.tag in ("svg", "path"):  # only the share row's own icons
            assert element.xpath('ancestor::span[@class="winwin-share__icon"]')
        href = element.get("href")
        if href is not None:
            assert href.startswith(("https://", "http://", "../", "mailto:", "#")), href


def files_under(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_size for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_billion_laughs_never_expand_anywhere(hostile_site):
    """Not in the pages, the feeds or anything else the build leaves: no run of laughs, and no output grows.

    Expanded, the case's one kilobyte is 3 GB of "lol"; the whole build tree
    (site, sources, theme, any cache) is a few megabytes. How fast the build
    is belongs to benchmarks/, not here.
    """
    site, _ = hostile_site
    tree = files_under(site.parent)
    assert any(p.parent.name == "feeds" and p.name == "billion-laughs.xml" for p in tree)
    laughs = [p.relative_to(site.parent).as_posix() for p in tree if b"lollol" in p.read_bytes()]
    assert laughs == []
    assert sum(tree.values()) < 20_000_000, sorted(tree.items(), key=lambda kv: kv[1])[-5:]
    assert (site / "reading-list" / "index.html").stat().st_size < 2_000_000


def test_the_picks_feeds_stay_well_formed(hostile_site):
    site, _ = hostile_site
    for name in ("rss-picks.xml", "atom-picks.xml"):
        data = (site / name).read_bytes()
        parsed = feedparser.parse(data, sanitize_html=False)
        assert parsed.bozo == 0 and parsed.entries
        assert b"<script" not in data and b"lollollollol" not in data
        for entry in parsed.entries:  # a subscriber's reader shows every title and summary as text
            for detail in (entry.title_detail, entry.get("summary_detail")):
                if detail is not None:  # an item with neither note nor summary has no summary
                    assert shown_text(detail)[1] == [], (name, detail.value)


def probe(page, url: str) -> tuple[object, list[str]]:
    """Open `url`, fire mouse and focus events at every element, scroll; return
    window.__pwned and the dialogs seen."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url, wait_until="load")
    page.evaluate("""() => { for (const el of document.body.querySelectorAll("*")) {
        for (const type of ["mouseover", "mouseenter", "focus", "toggle", "animationstart"])
            el.dispatchEvent(new Event(type)); } }""")
    page.keyboard.press("Tab")
    page.mouse.wheel(0, 20000)
    # Settle on events, not on a clock: two frames (the scroll's events are
    # dispatched), every image loaded or failed (its onload/onerror has run),
    # and no request for half a second.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("[...document.images].every(img => img.complete)")
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__pwned"), dialogs


@pytest.mark.browser
@pytest.mark.parametrize("path", ["reading-list/", ""])
def test_no_injected_script_runs_in_chromium(hostile_site, page, path):
    site, _ = hostile_site
    with Server(site) as server:
        pwned, dialogs = probe(page, server.url + path)
    assert pwned is None
    assert dialogs == []
    assert page.foreign_requests() == []


@pytest.mark.browser
def test_the_browser_probe_sees_a_payload_that_runs(tmp_path, page):
    # The control: the same probe on a page where the payloads do run.
    (tmp_path / "index.html").write_text(
        "<a href='#' onmouseover=\"window.__pwned='hover'\">x</a>"
        "<script>alert('ran')</script><img src='https://evil.example/x.png' alt=''>")
    with Server(tmp_path) as server:
        pwned, dialogs = probe(page, server.url)
    assert (pwned, dialogs) == ("hover", ["ran"])
    assert page.foreign_requests() == ["https://evil.example/x.png"]
