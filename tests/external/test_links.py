"""Links: nothing in the built site points at a page, file or anchor that is not there.

Two halves, because each tool sees one:
- linkinator (npm, pinned) crawls the served site from 127.0.0.1, recursively,
  with a timeout, and checks every page, asset and feed it finds linked. The
  sitemap and the feeds name pages by their production URLs (under site_url):
  those are rewritten to the local origin and handed to it as start URLs.
- linkinator ignores #fragments, so every internal link with one (in any page,
  and in the feeds' item links and content) is checked here against the ids of
  the built target page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin

import lxml.etree
import lxml.html
import pytest

from tests.page_types import published_feeds, site_url
from tests.support import REPO, Server, write_tree

LINKINATOR = REPO / "node_modules" / ".bin" / "linkinator"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def linkinator(*urls: str) -> list[dict]:
    """Crawl from `urls`, staying on 127.0.0.1; every link linkinator checked."""
    if not LINKINATOR.exists() or not shutil.which("node"):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{LINKINATOR} or node is missing under CI: see .ci/run and ./dev test.")
        pytest.skip(f"{LINKINATOR} is missing: run `npm ci` (./dev test does it)")
    run = subprocess.run(
        [str(LINKINATOR), *urls, "--recurse", "--skip", r"^(?!http://127\.0\.0\.1[:/])",
         "--timeout", "10000", "--concurrency", "8", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.stdout.strip(), f"linkinator printed no report (exit {run.returncode}): {run.stderr[-2000:]}"
    return json.loads(run.stdout)["links"]


def production_links(site: Path) -> list[str]:
    """The URLs that the sitemap and the published feeds point at (production URLs)."""
    urls = [loc.text.strip() for loc in lxml.etree.parse(str(site / "sitemap.xml")).iter(f"{SITEMAP}loc")]
    for feed in published_feeds(site):
        urls += feed_links(site / feed)
    return urls


def ids_of(html_file: Path) -> set[str]:
    root = lxml.html.parse(str(html_file)).getroot()
    return {el.get("id") for el in root.iter() if el.get("id")} | {
        a.get("name") for a in root.iter("a") if a.get("name")}


def target_file(site: Path, path: str) -> Path:
    target = site / unquote(path)
    return target / "index.html" if path.endswith("/") or path == "" else target


def fragment_links(site: Path, base: str) -> list[tuple[str, str]]:
    """(where, absolute URL with #fragment) for every internal link with a fragment:
    in the <a href> of every page, and in the feeds' links and HTML content."""
    found = []
    for html_file in sorted(site.rglob("*.html")):
        rel = html_file.relative_to(site).as_posix()
        page_url = urljoin(base, rel.removesuffix("index.html"))
        for a in lxml.html.parse(str(html_file)).getroot().iter("a"):
            if a.get("href"):
                found.append((rel, urljoin(page_url, a.get("href"))))
    for feed in published_feeds(site):
        found += [(feed, url) for url in feed_links(site / feed)]
    return [(where, url) for where, url in found if url.startswith(base) and urldefrag(url).fragment]


def feed_links(feed: Path) -> list[str]:
    """Item links and every href in the items' HTML content of one RSS or Atom file."""
    tree = lxml.etree.parse(str(feed))
    urls = [el.text.strip() for el in tree.iter("link") if el.text]
    urls += [el.get("href") for el in tree.iter(f"{ATOM}link")]
    for el in tree.iter("{http://purl.org/rss/1.0/modules/content/}encoded", f"{ATOM}content"):
        if el.text and el.text.strip():
            fragment = lxml.html.fragment_fromstring(el.text, create_parent="div")
            urls += [a.get("href") for a in fragment.iter("a") if a.get("href")]
    return urls


def broken_anchors(site: Path, base: str) -> list[str]:
    ids: dict[Path, set[str]] = {}
    broken = []
    for where, url in fragment_links(site, base):
        address, fragment = urldefrag(url)
        target = target_file(site, address.removeprefix(base))
        if target.suffix != ".html":
            continue
        if target not in ids:
            ids[target] = ids_of(target) if target.exists() else set()
        if unquote(fragment) not in ids[target]:
            broken.append(f"{where}: {url}")
    return sorted(set(broken))


def test_no_broken_link_in_the_served_site(shipped_site, site_server):
    base = site_url(shipped_site)
    extra = sorted({site_server + u.removeprefix(base) for u in production_links(shipped_site)
                    if u.startswith(base)})
    links = linkinator(site_server, site_server + "404.html", site_server + "sitemap.xml", *extra)
    broken = [f"{link['status']} {link['url']} (linked from {link.get('parent') or 'start'})"
              for link in links if link["state"] == "BROKEN"]
    assert not broken, "broken links:\n" + "\n".join(broken)
    checked = {link["url"] for link in links if link["state"] == "OK"}
    pages = [p.relative_to(shipped_site).parent.as_posix() for p in shipped_site.rglob("index.html")]
    expected = {site_server + (p + "/" if p != "." else "") for p in pages}
    expected |= {site_server + feed for feed in published_feeds(shipped_site)}
    assert expected <= checked, f"linkinator never reached: {sorted(expected - checked)}"


def test_no_broken_anchor(shipped_site):
    base = site_url(shipped_site)
    assert fragment_links(shipped_site, base), "found no link with a #fragment at all"
    assert broken_anchors(shipped_site, base) == []


def test_the_checks_catch_breakage(tmp_path):
    """Both halves can fail: a missing page for linkinator, a missing id for the anchor check."""
    base = "https://example.org/"
    site = write_tree(tmp_path, {
        "index.html": f"""
            <!doctype html><html><head><link rel="canonical" href="{base}"></head><body>
            <a href="gone/">gone</a> <a href="other/#there">there</a> <a href="other/#missing">x</a>
            </body></html>""",
        "other/index.html": '<!doctype html><html><body><h2 id="there">There</h2></body></html>',
        "sitemap.xml": f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{base}</loc></url></urlset>',
    })
    with Server(site) as server:
        links = linkinator(server.url)
    assert [link["url"] for link in links if link["state"] == "BROKEN"] == [server.url + "gone/"]
    assert broken_anchors(site, base) == ["index.html: https://example.org/other/#missing"]
