"""The shipped site, built once with --strict: pages, guide/blog cross-links, feed links, fonts.

What to expect is read from the content itself (via mkdocs_winwin.content.loader.load_site),
so these tests hold for any valid content, not for today's titles.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest

from mkdocs_winwin.content.loader import Layout, Site, load_site
from mkdocs_winwin.content.crosslinks import COMMUNITY_HEADING
from tests.support import DRAFT_POST, build_tree, small_site


def page_file(site: Path, src: str) -> Path:
    """The HTML file MkDocs writes for a docs-relative Markdown file (directory URLs)."""
    stem = src.removesuffix(".md")
    if posixpath.basename(stem) == "index":
        return site / posixpath.dirname(stem) / "index.html"
    return site / stem / "index.html"


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.parse(str(path)).getroot()


def resolve(site: Path, from_file: Path, href: str) -> Path:
    """The file a relative link in `from_file` points to, within the site."""
    page_url = "/" + from_file.relative_to(site).as_posix()
    target = urlsplit(urljoin(page_url, href)).path
    path = site / target.lstrip("/")
    return path / "index.html" if target.endswith("/") else path


def post_pages(site: Path, content: Site, blog_dir: str = "blog") -> dict[str, list[Path]]:
    """Post source path -> the built pages whose <h1> is its title, among the blog's pages."""
    by_title: dict[str, list[Path]] = {}
    for html in sorted((site / blog_dir).rglob("index.html")):
        for h1 in parse(html).xpath("//article//h1"):
            by_title.setdefault(h1.text_content().strip().rstrip("¶"), []).append(html)
    return {p.path: by_title.get(p.title, []) for p in content.posts}


@pytest.fixture(scope="module")
def content(shipped_source) -> Site:
    site = load_site(shipped_source / "content", Layout())
    assert site.errors == []
    return site


@pytest.fixture(scope="module")
def posts_built(shipped_site, content) -> dict[str, Path]:
    found = post_pages(shipped_site, content)
    return {path: pages[0] for path, pages in found.items() if len(pages) == 1}


def test_shipped_content_is_big_enough_to_test(content):
    assert len(content.chapters) >= 5
    assert len(content.published()) >= 6


def test_every_chapter_page_exists(shipped_site, content):
    missing = [c.path for c in content.chapters if not page_file(shipped_site, c.path).is_file()]
    assert missing == []


def test_every_published_post_has_exactly_one_page(shipped_site, content):
    found = post_pages(shipped_site, content)
    assert {p.path: len(found[p.path]) for p in content.published()} == {p.path: 1 for p in content.published()}


def community_links(chapter_html: Path) -> tuple[lxml.html.HtmlElement, list[str]]:
    doc = parse(chapter_html)
    (heading,) = doc.xpath('//h2[@id="community-pointers"]')
    listing = heading.getnext()
    hrefs = [a.get("href") for a in listing.xpath("./li/a[1]")] if listing.tag == "ul" else []
    return heading, hrefs


def test_chapters_end_with_their_themes_posts_newest_first(shipped_source, shipped_site, content, posts_built):
    for chapter in content.chapters:
        html = page_file(shipped_site, chapter.path)
        heading, hrefs = community_links(html)
        assert heading.text_content().strip().rstrip("¶") == COMMUNITY_HEADING
        expected = content.posts_for(chapter.theme)
        assert [p.date for p in expected] == sorted((p.date for p in expected), reverse=True)
        assert [resolve(shipped_site, html, h) for h in hrefs] == [posts_built[p.path] for p in expected], chapter.path
        if not expected:
            assert "No pointers on this theme yet" in heading.getnext().text_content()
        # None of the chapter's own sections comes after the community pointers.
        source = (shipped_source / "content" / chapter.path).read_text(encoding="utf-8")
        own = {re.sub(r"\s*\{.*\}\s*$", "", h).strip() for h in re.findall(r"^## (.+)$", source, re.M)}
        after = [h.text_content().strip().rstrip("¶") for h in heading.itersiblings() if h.tag == "h2"]
        assert own & set(after) == set(), chapter.path


def test_a_theme_without_posts_says_so(tmp_path):
    site = build_tree(small_site(tmp_path))
    heading, hrefs = community_links(site / "guide" / "second" / "index.html")
    assert hrefs == []
    assert heading.getnext().text_content().strip() == "No pointers on this theme yet."


def test_every_post_links_to_its_chapters(shipped_site, content, posts_built):
    chapter_pages = {c.theme: page_file(shipped_site, c.path) for c in content.chapters}
    for post in content.published():
        html = posts_built[post.path]
        (nav,) = parse(html).xpath('//nav[contains(@class, "winwin-guide-links")]')
        targets = [resolve(shipped_site, html, a.get("href")) for a in nav.xpath(".//a")]
        assert targets == [chapter_pages[t] for t in post.themes], post.path
        assert all(t.is_file() for t in targets)


def feed_links(doc: lxml.html.HtmlElement) -> dict[str, str]:
    return {link.get("href"): link.get("type")
            for link in doc.xpath('//head/link[@rel="alternate"]')
            if link.get("type") in ("application/rss+xml", "application/atom+xml")}


def test_every_page_announces_the_blog_feeds(shipped_site):
    pages = sorted(shipped_site.rglob("*.html"))
    assert len(pages) > 10
    for html in pages:
        links = {posixpath.basename(h): t for h, t in feed_links(parse(html)).items()}
        assert links.get("rss.xml") == "application/rss+xml", html
        assert links.get("atom.xml") == "application/atom+xml", html
        for href in feed_links(parse(html)):
            assert resolve(shipped_site, html, href).is_file(), (html, href)


def test_chapters_announce_their_theme_feeds_and_no_other(shipped_site, content):
    themes = {c.theme for c in content.chapters}
    for chapter in content.chapters:
        names = {posixpath.basename(h) for h in feed_links(parse(page_file(shipped_site, chapter.path)))}
        assert {f"rss-{chapter.theme}.xml", f"atom-{chapter.theme}.xml"} <= names
        others = {f"{kind}-{t}.xml" for t in themes - {chapter.theme} for kind in ("rss", "atom")}
        assert names & others == set()


def test_no_page_loads_a_third_party_font(shipped_site):
    offenders = []
    for path in [*shipped_site.rglob("*.html"), *shipped_site.rglob("*.css")]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if re.search(r"fonts\.(googleapis|gstatic)\.com|use\.typekit|fonts\.bunny", text):
            offenders.append(path.relative_to(shipped_site).as_posix())
    assert offenders == []


def test_head_stylesheets_and_scripts_are_local(shipped_site, content, posts_built):
    for html in [shipped_site / "index.html", *posts_built.values(),
                 *(page_file(shipped_site, c.path) for c in content.chapters)]:
        doc = parse(html)
        urls = doc.xpath('//link[@rel="stylesheet"]/@href | //script/@src')
        assert [u for u in urls if urlsplit(u).scheme in ("http", "https") or u.startswith("//")] == [], html


def test_drafts_are_absent_from_the_build(tmp_path):
    site = build_tree(small_site(tmp_path, DRAFT_POST))
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".xml", ".json")]
    assert any("A first post." in t for t in texts)  # the published post is there
    assert not any("Secret draft" in t or "Draft text" in t for t in texts)
    heading, hrefs = community_links(site / "guide" / "first" / "index.html")
    assert len(hrefs) == 1


SPECIAL_TITLES = {
    "content/guide/first.md": """
        ---
        title: First & 'foremost' &amp;
        theme: first
        order: 1
        description: The first chapter.
        ---
        # First
    """,
    "content/blog/posts/hello.md": """
        ---
        title: 'Tips & tricks "quoted" &lt;b&gt;'
        date: 2026-01-02
        authors: [ann]
        themes: [first]
        description: Less <than> & more.
        ---
        Hello text.
    """,
}


def test_titles_are_text_not_html_in_the_cross_links(tmp_path):
    """Titles may not hold '<' or '>' (Material prints them raw; the validation refuses
    them), but '&', quotes and what looks like a character reference stay text."""
    site = build_tree(small_site(tmp_path, SPECIAL_TITLES))
    chapter = page_file(site, "guide/first.md")
    heading, hrefs = community_links(chapter)
    (item,) = heading.getnext().xpath("./li")
    assert item.xpath("./a")[0].text_content() == 'Tips & tricks "quoted" &lt;b&gt;'
    assert "Less <than> & more." in item.text_content()
    assert not heading.getnext().xpath(".//b | .//than")
    (post,) = [p for p in site.joinpath("blog").rglob("index.html") if "tips" in p.as_posix()]
    (nav,) = parse(post).xpath('//nav[contains(@class, "winwin-guide-links")]')
    assert [a.text_content() for a in nav.xpath(".//a")] == ["First & 'foremost' &amp;"]
    assert resolve(site, post, nav.xpath(".//a/@href")[0]) == chapter
    assert not nav.xpath(".//b")


def test_posts_the_blog_leaves_out_are_not_linked(tmp_path):
    """With Material's draft_if_future_date, a future post is not built: no chapter links to it."""
    from tests.support import MINIMAL_CONFIG

    config = MINIMAL_CONFIG.replace("  - blog\n", "  - blog:\n      draft_if_future_date: true\n")
    assert config != MINIMAL_CONFIG
    future = {"content/blog/posts/future.md": """
        ---
        title: From the future
        date: 2999-01-01
        authors: [ann]
        themes: [first]
        description: Not yet.
        ---
        Later.
    """}
    site = build_tree(small_site(tmp_path, future, config=config))
    heading, hrefs = community_links(page_file(site, "guide/first.md"))
    assert len(hrefs) == 1 and "From the future" not in heading.getnext().text_content()
    assert all(resolve(site, page_file(site, "guide/first.md"), h).is_file() for h in hrefs)
    assert "From the future" not in (site / "rss.xml").read_text()
