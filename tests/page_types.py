"""The page types a reader meets, found in a built site, for the quality checks.

Each check (axe, privacy, Lighthouse) runs once per page type: one
representative URL of each kind, found from the content and the built HTML
rather than hard-coded, so new content does not break the list. The reading
list joins as soon as its page is built, and must be built once its source
page is in the repository.

Run as a script it prints `name path` lines for benchmarks/lighthouse.sh:
    python -m tests.page_types SITE_DIR
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import lxml.html

from mkdocs_winwin.content.loader import load_site

REPO = Path(__file__).resolve().parents[1]
READING_LIST_SOURCE = "reading-list/index.md"  # in the docs folder


# Test parameters are fixed before the site is built: the names, in this order.
NAMES = ("home", "chapter", "post", "blog", "tags", "archive", "reading-list", "contribute", "404")


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # URL path relative to the site root: "" for home, "blog/", "404.html"


def _h1(html_file: Path) -> str:
    h1 = lxml.html.parse(str(html_file)).getroot().find(".//h1")
    return "" if h1 is None else h1.text_content().replace("¶", "").strip()


def _url_path(site: Path, html_file: Path) -> str:
    rel = html_file.relative_to(site).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def post_page(site: Path, docs: Path, blog_dir: str = "blog") -> str:
    """URL path of the newest published post: the built page whose <h1> is its title."""
    newest = load_site(docs).published()[0]
    for html_file in sorted((site / blog_dir).rglob("index.html")):
        if _h1(html_file) == newest.title:
            return _url_path(site, html_file)
    raise AssertionError(f"no page under {site / blog_dir} has the <h1> {newest.title!r} "
                         f"of the newest post {newest.path}")


def reading_list_required_by(docs: Path) -> str | None:
    """What asks for a reading-list page: its source page, or its plugin in mkdocs.yml."""
    if (docs / READING_LIST_SOURCE).exists():
        return str(docs / READING_LIST_SOURCE)
    config = docs.parent / "mkdocs.yml"
    if config.exists() and re.search(r"^\s*-\s*winwin-reading-list\b", config.read_text(encoding="utf-8"), re.M):
        return f"the winwin-reading-list plugin in {config}"
    return None


def page_types(site: Path, docs: Path = REPO / "content") -> list[PageType]:
    """One page per type that exists in the built `site` (built from `docs`)."""
    chapter = min(load_site(docs).chapters, key=lambda c: c.order)
    found = [
        PageType("home", ""),
        PageType("chapter", chapter.path.removesuffix(".md") + "/"),
        PageType("post", post_page(site, docs)),
        PageType("blog", "blog/"),
        PageType("tags", "blog/tags/"),
    ]
    archives = sorted((site / "blog" / "archive").glob("*/index.html"))
    if archives:
        found.append(PageType("archive", _url_path(site, archives[0])))
    reading_list = site / "reading-list" / "index.html"
    required_by = reading_list_required_by(docs)
    if required_by and not reading_list.exists():
        raise AssertionError(f"{required_by} asks for a reading list but the build wrote no {reading_list}")
    if reading_list.exists():
        found.append(PageType("reading-list", "reading-list/"))
    found += [PageType("contribute", "contribute/"), PageType("404", "404.html")]
    missing = [p for p in found if not (site / p.path / "index.html").exists()
               and not (site / p.path).is_file()]
    assert not missing, f"page types missing from the build in {site}: {missing}"
    return found


FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}


def site_url(site: Path) -> str:
    """The production origin and path the site was built for: the home page's canonical URL."""
    canonical = lxml.html.parse(str(site / "index.html")).getroot().find(".//link[@rel='canonical']")
    assert canonical is not None, f"{site / 'index.html'} has no <link rel=canonical>: is site_url set?"
    return canonical.get("href")


def published_feeds(site: Path) -> dict[str, str]:
    """Every feed announced by a <link rel=alternate> in any page head: site path -> title."""
    from urllib.parse import urljoin

    base = "http://site.invalid/"  # any origin: only the resolved path is kept
    feeds: dict[str, str] = {}
    for html_file in sorted(site.rglob("*.html")):
        page_url = urljoin(base, _url_path(site, html_file))
        for link in lxml.html.parse(str(html_file)).getroot().iterfind(".//head/link[@rel='alternate']"):
            if link.get("type") in FEED_TYPES:
                path = urljoin(page_url, link.get("href")).removeprefix(base)
                feeds.setdefault(path, link.get("title", ""))
    return feeds


def path_of(found: list[PageType], name: str) -> str:
    """The URL path of page type `name`; skips the test when the build has none."""
    import pytest

    for page_type in found:
        if page_type.name == name:
            return page_type.path
    pytest.skip(f"the shipped site has no {name} page yet")


if __name__ == "__main__":
    for page_type in page_types(Path(sys.argv[1])):
        print(page_type.name, page_type.path)
