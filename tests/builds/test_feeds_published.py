"""Every feed the site publishes, as a subscriber gets it.

The feeds are discovered the way a reader app discovers them, from the
<link rel="alternate"> of every page head, and read over HTTP from the served
site by the `reader` library (a real feed-reader client: feedparser, storage,
entry de-duplication). The checks hold for any feed, whoever adds it:
- the client updates it without error and keeps every item (unique ids);
- the RSS and Atom versions of one feed carry the same entries;
- a blog or chapter feed carries that page's posts, newest first, up to the cap;
- an entry that points into the site points at a built page with the entry's
  title and date, or at a part of one (#id: a comment) that exists, carries
  the entry's date and sits on a page whose title the entry names; one that
  points elsewhere (a reading-list pick) is listed on the feed's own page.
(tests/test_feeds_out.py checks the blog feeds' content in depth.)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
import yaml

from mkdocs_winwin.content.loader import load_site
from tests.page_types import published_feeds, site_url
from tests.support import feed_text, feeds_max_items


def twin(path: str) -> str | None:
    """atom-x.xml for rss-x.xml and back, by the site's naming."""
    for a, b in (("rss", "atom"), ("atom", "rss")):
        if re.fullmatch(rf"{a}(-.+)?\.xml", path):
            return b + path[len(a):]
    return None


def raw_item_count(feed: Path) -> int:
    root = lxml.etree.parse(str(feed)).getroot()
    return len(root.findall("channel/item")) + len(root.findall("{http://www.w3.org/2005/Atom}entry"))


def page_file(site: Path, base: str, url: str) -> Path:
    rel = url.removeprefix(base).split("#")[0]
    return site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel


def page_title_and_date(html_file: Path) -> tuple[str, dt.date | None]:
    root = lxml.html.parse(str(html_file)).getroot()
    h1 = root.find(".//h1")
    time = root.find(".//time[@datetime]")
    title = h1.text_content().replace("¶", "").strip() if h1 is not None else ""
    date = dt.date.fromisoformat(time.get("datetime")[:10]) if time is not None else None
    return title, date


def part_date(html_file: Path, part_id: str) -> dt.date | None | bool:
    """The date of the element `part_id` of a page (its first <time datetime>); False: no such element."""
    found = lxml.html.parse(str(html_file)).getroot().xpath("//*[@id=$id]", id=part_id)
    if not found:
        return False
    time = found[0].find(".//time[@datetime]")
    return dt.date.fromisoformat(time.get("datetime")[:10]) if time is not None else None


def hrefs_on(html_file: Path, page_url: str) -> set[str]:
    from urllib.parse import urljoin

    return {urljoin(page_url, a.get("href")) for a in lxml.html.parse(str(html_file)).getroot().iter("a")
            if a.get("href")}


@pytest.fixture(scope="module")
def subscribed(shipped_site, site_server):
    """Every published feed added to a fresh reader and updated over HTTP:
    {site path: (reader Feed, [Entry, ...] in feed order)}."""
    import reader as reader_lib  # a test dependency: missing, the test fails rather than skips
    feeds = published_feeds(shipped_site)
    assert feeds, "no page head announces any feed"
    reader = reader_lib.make_reader(":memory:")
    try:
        for path in feeds:
            reader.add_feed(site_server + path)
        reader.update_feeds()
        out = {}
        for path in feeds:
            url = site_server + path
            # reader lists entries newest first by its own clock; order them by date for the check.
            entries = sorted(reader.get_entries(feed=url), key=lambda e: e.published or e.updated,
                             reverse=True)
            out[path] = (reader.get_feed(url), entries)
        yield out
    finally:
        reader.close()


def test_every_feed_reads_cleanly_and_keeps_every_item(subscribed, shipped_site):
    for path, (feed, entries) in subscribed.items():
        assert feed.last_exception is None, f"{path}: {feed.last_exception}"
        assert feed.title, f"{path}: no feed title"
        assert feed.link and feed.link.startswith("http"), f"{path}: no absolute home link"
        assert len(entries) == raw_item_count(shipped_site / path), (
            f"{path}: reader kept {len(entries)} of {raw_item_count(shipped_site / path)} items "
            f"(duplicate or missing ids?)")
        for entry in entries:
            assert entry.title, f"{path}: an entry without a title"
            assert entry.link and entry.link.startswith("http"), f"{path}: {entry.title!r} has no absolute link"
            assert entry.published or entry.updated, f"{path}: {entry.title!r} has no date"


def test_rss_and_atom_twins_carry_the_same_entries(subscribed):
    def key(path, entries):
        return [(feed_text(e.title, path.startswith("rss")), e.link, (e.published or e.updated)) for e in entries]

    pairs = [(p, twin(p)) for p in subscribed if p.startswith("rss")]
    assert pairs, "no RSS feed published"
    for rss, atom in pairs:
        assert atom in subscribed, f"{rss} is published without its Atom twin {atom}"
        assert key(rss, subscribed[rss][1]) == key(atom, subscribed[atom][1]), f"{rss} and {atom} differ"


def test_blog_and_chapter_feeds_carry_their_posts(subscribed, shipped_source, shipped_site):
    base = site_url(shipped_site)
    # The full loader: mkdocs.yml names Python objects (!!python/name) for emoji.
    limit = feeds_max_items(yaml.load((shipped_source / "mkdocs.yml").read_text(), Loader=yaml.Loader))
    site = load_site(shipped_source / "content")
    expected = {base + "blog/": site.published()}
    for chapter in site.chapters:
        expected[base + chapter.path.removesuffix(".md") + "/"] = site.posts_for(chapter.theme)
    covered = set()
    for path, (feed, entries) in subscribed.items():
        if feed.link not in expected:
            continue
        covered.add(feed.link)
        posts = expected[feed.link][:limit]
        assert [feed_text(e.title, path.startswith("rss")) for e in entries] == [p.title for p in posts], \
            f"{path} ({feed.link})"
    assert covered == set(expected), f"pages without a feed: {sorted(set(expected) - covered)}"


def test_entries_point_at_pages_that_show_them(subscribed, shipped_site):
    base = site_url(shipped_site)
    problems = []
    for path, (feed, entries) in subscribed.items():
        home = page_file(shipped_site, base, feed.link) if feed.link.startswith(base) else None
        for entry in entries:
            date = (entry.published or entry.updated).astimezone(dt.timezone.utc).date()
            if entry.link.startswith(base):
                target = page_file(shipped_site, base, entry.link)
                if not target.exists():
                    problems.append(f"{path}: {entry.link} is not in the built site")
                    continue
                title, shown = page_title_and_date(target)
                entry_title = feed_text(entry.title, path.startswith("rss"))
                part = entry.link.partition("#")[2]
                if part:  # a part of the page, such as one comment under a post
                    part_shown = part_date(target, part)
                    if part_shown is False or part_shown != date or title not in entry_title:
                        problems.append(f"{path}: {entry.link} is {'missing' if part_shown is False else part_shown} "
                                        f"on a page titled {title!r}, the feed says {entry.title!r} of {date}")
                elif (title, shown) != (entry_title, date):
                    problems.append(f"{path}: {entry.link} shows {title!r} of {shown}, "
                                    f"the feed says {entry.title!r} of {date}")
            elif home is None or entry.link not in hrefs_on(home, feed.link):
                problems.append(f"{path}: {entry.link} is not listed on the feed's page {feed.link}")
    assert not problems, "\n".join(problems)


def test_twin_names():
    assert twin("rss.xml") == "atom.xml"
    assert twin("rss-give-first.xml") == "atom-give-first.xml"
    assert twin("atom-picks.xml") == "rss-picks.xml"
    assert twin("feed.json") is None
