"""The blog's outgoing feeds, in depth: rss.xml, atom.xml, rss-<theme>.xml, atom-<theme>.xml.

What belongs in each feed is read from the content (mkdocs_winwin.content.loader.load_site),
so the checks hold for any valid content. Each feed is parsed with feedparser
(well formed, right items, dates from front matter, absolute URLs even inside
item content, authors, themes as categories), then read over HTTP from a
local server by the `reader` library, a real feed-reader client.
"""

from __future__ import annotations

import calendar
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html
import pytest
import yaml

from mkdocs_winwin.content.loader import Layout, Post, Site, load_site
from tests.support import MINIMAL_CONFIG, Server, build_tree, feed_text, feeds_max_items, shown_text, small_site

@pytest.fixture(scope="module")
def config(shipped_source) -> dict:
    # The full loader: mkdocs.yml names Python objects (!!python/name) for emoji.
    return yaml.load((shipped_source / "mkdocs.yml").read_text(), Loader=yaml.Loader)


@pytest.fixture(scope="module")
def content(shipped_source) -> Site:
    return load_site(shipped_source / "content", Layout())


@pytest.fixture(scope="module")
def site_url(config) -> str:
    return config["site_url"].rstrip("/") + "/"


@pytest.fixture(scope="module")
def expected(config, content) -> dict[str, list[Post]]:
    """Feed file name -> the posts it must carry, newest first."""
    limit = feeds_max_items(config)
    out = {}
    for theme, posts in [("", content.published()),
                         *((c.theme, content.posts_for(c.theme)) for c in content.chapters)]:
        suffix = f"-{theme}" if theme else ""
        for kind in ("rss", "atom"):
            out[f"{kind}{suffix}.xml"] = posts[:limit]
    return out


@pytest.fixture(scope="module")
def parsed(shipped_site, expected) -> dict[str, feedparser.FeedParserDict]:
    return {name: feedparser.parse((shipped_site / name).read_bytes()) for name in expected}


@pytest.fixture(scope="module")
def post_urls(shipped_site, content, site_url) -> dict[str, str]:
    """Post source path -> its page's canonical URL, read from the built pages.

    The one page whose <h1> is the post's title: two pages with one title
    would make the answer depend on the order the folders are read in."""
    by_title: dict[str, list[str]] = {}
    for html in sorted((shipped_site / "blog").rglob("index.html")):
        doc = lxml.html.parse(str(html)).getroot()
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        for h1 in doc.xpath("//article//h1"):
            by_title.setdefault(h1.text_content().replace("¶", "").strip(), []).append(canonical[0])
    found = {p.path: by_title.get(p.title, []) for p in content.published()}
    assert all(len(urls) == 1 for urls in found.values()), found
    return {path: urls[0] for path, urls in found.items()}


def test_every_feed_is_written_and_well_formed(parsed):
    assert len(parsed) >= 12
    for name, feed in parsed.items():
        assert feed.bozo == 0, (name, feed.get("bozo_exception"))
        assert feed.version == ("rss20" if name.startswith("rss") else "atom10"), name


def test_feeds_hold_the_published_posts_newest_first(parsed, expected, post_urls):
    for name, posts in expected.items():
        entries = parsed[name].entries
        assert [shown_text(e.title_detail)[0] for e in entries] == [p.title for p in posts], name
        assert [e.link for e in entries] == [post_urls[p.path] for p in posts], name
        assert all(not p.draft for p in posts)


def test_theme_feeds_hold_only_their_themes_posts(parsed, content):
    titles = {p.title: p for p in content.posts}
    for chapter in content.chapters:
        for kind in ("rss", "atom"):
            feed = parsed[f"{kind}-{chapter.theme}.xml"]
            assert all(chapter.theme in titles[shown_text(e.title_detail)[0]].themes for e in feed.entries)
            assert chapter.title in feed.feed.title


def test_dates_come_from_front_matter(parsed, expected):
    for name, posts in expected.items():
        for entry, post in zip(parsed[name].entries, posts, strict=True):
            assert calendar.timegm(entry.published_parsed) == int(post.date.timestamp()), (name, post.path)
        if posts:
            assert calendar.timegm(parsed[name].feed.updated_parsed) == int(posts[0].date.timestamp())


def test_authors_and_themes_as_categories(parsed, content, expected):
    for name, posts in expected.items():
        for entry, post in zip(parsed[name].entries, posts, strict=True):
            names = [content.authors[a].name for a in post.authors]
            assert [a.get("name") for a in entry.authors] == names, (name, post.path)
            assert [t.term for t in entry.tags] == list(post.themes), (name, post.path)
            assert shown_text(entry.summary_detail)[0] == post.description


def test_every_url_is_absolute_including_inside_content(parsed, site_url):
    inside = 0
    for name, feed in parsed.items():
        links = [feed.feed.link, *(l.href for l in feed.feed.links)]
        for entry in feed.entries:
            links += [entry.link, entry.id]
            for block in entry.get("content", []):
                doc = lxml.html.fragment_fromstring(block.value, create_parent="div")
                found = doc.xpath("//a/@href | //img/@src")
                inside += len(found)
                links += found
        for url in links:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https", "mailto") and (parts.netloc or parts.scheme == "mailto"), (name, url)
    assert inside > 0  # the posts do link (at least to their chapters)


def test_feed_links_point_home_and_to_themselves(shipped_site, expected, site_url):
    """RSS <link> is the page the feed stands for, never the feed file itself."""
    for name in expected:
        root = lxml.etree.parse(str(shipped_site / name)).getroot()
        if name.startswith("rss"):
            home = root.findtext("channel/link")
            self_ = root.find("channel/{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
        else:
            atom = "{http://www.w3.org/2005/Atom}"
            home = root.find(f"{atom}link[@rel='alternate']").get("href")
            self_ = root.find(f"{atom}link[@rel='self']").get("href")
        assert self_ == site_url + name
        assert home.startswith(site_url) and not home.endswith(".xml"), (name, home)


def test_a_real_reader_reads_every_feed_over_http(shipped_site, expected, post_urls):
    import reader as reader_lib  # a test dependency; it needs sgmllib3k beside it (feedparser's need)
    with Server(shipped_site) as server:
        reader = reader_lib.make_reader(":memory:")
        try:
            for name in expected:
                reader.add_feed(server.url + name)
            reader.update_feeds()
            for name, posts in expected.items():
                url = server.url + name
                feed = reader.get_feed(url)
                assert feed.last_exception is None, (name, feed.last_exception)
                entries = sorted(reader.get_entries(feed=url), key=lambda e: e.published, reverse=True)
                assert len(entries) == len(posts), name
                assert [feed_text(e.title, name.startswith("rss")) for e in entries] == [p.title for p in posts], name
                assert [e.link for e in entries] == [post_urls[p.path] for p in posts], name
                assert [e.published for e in entries] == [p.date for p in posts], name
        finally:
            reader.close()


RELATIVE_POST = {
    "content/assets/pic.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
    "content/blog/posts/links.md": """
        ---
        title: Links inside
        date: 2026-02-03 08:30:00
        authors: [ann]
        themes: [first, second]
        description: Relative links and an image.
        ---
        See [the first chapter](../../guide/first.md#first), ![a picture](../../assets/pic.svg)
        and [the top](#links-inside).
    """,
}


def test_relative_links_and_images_in_items_become_absolute(tmp_path):
    site = build_tree(small_site(tmp_path, RELATIVE_POST))
    for name in ("rss.xml", "atom.xml", "rss-second.xml", "atom-second.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert feed.bozo == 0
        (entry,) = [e for e in feed.entries if e.title == "Links inside"]
        assert entry.link == "https://test.example.org/blog/2026/02/03/links-inside/"
        assert calendar.timegm(entry.published_parsed) == calendar.timegm((2026, 2, 3, 8, 30, 0))
        doc = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
        assert "https://test.example.org/guide/first/#first" in doc.xpath("//a/@href")
        assert "https://test.example.org/assets/pic.svg" in doc.xpath("//img/@src")
        assert "https://test.example.org/blog/2026/02/03/links-inside/#links-inside" in doc.xpath("//a/@href")
        assert not doc.xpath('//a[contains(@class, "headerlink")]')


NO_SITE_URL = MINIMAL_CONFIG.replace("site_url: https://test.example.org/\n", "")


def test_without_site_url_a_warning_names_it_and_strict_fails(tmp_path):
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main

    assert NO_SITE_URL != MINIMAL_CONFIG
    root = small_site(tmp_path, config=NO_SITE_URL)
    config = str(root / "mkdocs.yml")
    loose = CliRunner().invoke(main, ["build", "-f", config])
    assert loose.exit_code == 0, loose.output
    assert "'site_url'" in loose.output and "Fix: add 'site_url:" in loose.output
    assert (root / "site" / "index.html").is_file()
    assert not (root / "site" / "rss.xml").exists() and not (root / "site" / "atom.xml").exists()
    strict = CliRunner().invoke(main, ["build", "--strict", "-f", config, "-d", str(tmp_path / "strict")])
    assert strict.exit_code == 1
    assert "'site_url'" in strict.output
    assert not (tmp_path / "strict").exists()


def test_a_site_under_a_subpath_keeps_it_in_every_feed_url(tmp_path):
    config = MINIMAL_CONFIG.replace("https://test.example.org/", "https://test.example.org/sub/")
    site = build_tree(small_site(tmp_path, RELATIVE_POST, config=config))
    feed = feedparser.parse((site / "rss.xml").read_bytes())
    assert feed.bozo == 0
    assert feed.feed.link == "https://test.example.org/sub/blog/"
    (entry,) = [e for e in feed.entries if e.title == "Links inside"]
    assert entry.link == "https://test.example.org/sub/blog/2026/02/03/links-inside/"
    doc = lxml.html.fragment_fromstring(entry.content[0].value, create_parent="div")
    assert "https://test.example.org/sub/guide/first/#first" in doc.xpath("//a/@href")
    assert "https://test.example.org/sub/assets/pic.svg" in doc.xpath("//img/@src")
    atom = lxml.etree.parse(str(site / "atom.xml")).getroot()
    assert atom.find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href") == "https://test.example.org/sub/atom.xml"


def test_absolutize_reaches_every_kind_of_url():
    from mkdocs_winwin.feeds.writer import absolutize

    html = (
        '<h2 id="x">Title<a class="headerlink" href="#x">¶</a></h2><!-- a comment -->'
        '<p><a href="#x">here</a> <a href="../other/">up</a> <a href="mailto:a@b.org">mail</a> '
        '<a href="//cdn.example.org/f">cdn</a> <a href="https://else.example.org/">else</a></p>'
        '<img src="pic.png" srcset="pic.png 1x, ../big.png 2x">'
        '<video poster="still.jpg"><source src="clip.mp4"></video>'
    )
    doc = lxml.html.fragment_fromstring(absolutize(html, "https://s.example.org/blog/post/"),
                                        create_parent="div")
    assert doc.xpath("//a/@href") == [
        "https://s.example.org/blog/post/#x", "https://s.example.org/blog/other/", "mailto:a@b.org",
        "https://cdn.example.org/f", "https://else.example.org/",
    ]
    assert doc.xpath("//img/@src") == ["https://s.example.org/blog/post/pic.png"]
    assert doc.xpath("//img/@srcset") == [
        "https://s.example.org/blog/post/pic.png 1x, https://s.example.org/blog/big.png 2x"]
    assert doc.xpath("//video/@poster") == ["https://s.example.org/blog/post/still.jpg"]
    assert doc.xpath("//source/@src") == ["https://s.example.org/blog/post/clip.mp4"]
    assert doc.xpath("//comment()") == [] and doc.xpath('//a[@class="headerlink"]') == []
    assert doc.xpath("//h2")[0].text_content() == "Title"


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_text_that_looks_like_markup_is_shown_as_text(kind):
    import datetime as dt

    from mkdocs_winwin.feeds import writer as feeds

    title, summary = "<b>Tips</b> & <img src=x onerror=alert(1)>", "Send <script>alert(1)</script> & co"
    item = feeds.FeedItem(title=title, url="https://x.example.org/a", authors=("S",), categories=(),
                          date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), summary=summary)
    spec = feeds.FeedSpec(title="t", description="d", home_url="https://s.example.org/",
                          rss_url="https://s.example.org/rss.xml", atom_url="https://s.example.org/atom.xml",
                          items=(item,))
    [entry] = feedparser.parse(getattr(feeds, kind)(spec), sanitize_html=False).entries
    assert shown_text(entry.title_detail) == (title, [])
    assert shown_text(entry.summary_detail) == (summary, [])
