"""Outgoing feeds: RSS 2.0 and Atom 1.0 built with feedgen from one model.

Pure functions from frozen specs to bytes; the plugin decides what goes in a
feed and where its file is written.

Titles and summaries are plain text (a reading-list title can be any text a
hostile feed sent). Atom says so (type "text"); RSS has no type, and feed
readers take its titles and descriptions (the channel's too) as HTML, so
there they are escaped once more: a reader shows "<b>" as text instead of
obeying it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin

import lxml.html
from feedgen.feed import FeedGenerator


@dataclass(frozen=True)
class FeedItem:
    title: str
    url: str  # absolute
    date: dt.datetime
    authors: tuple[str, ...]
    categories: tuple[str, ...]
    summary: str
    content_html: str = ""  # with absolute URLs


@dataclass(frozen=True)
class FeedSpec:
    title: str
    description: str
    home_url: str  # absolute URL of the page the feed stands for
    rss_url: str  # absolute
    atom_url: str  # absolute
    items: tuple[FeedItem, ...]
    language: str = "en"


@functools.lru_cache(maxsize=512)  # a feed's items, again on every rebuild of `winwin serve`
def absolutize(html: str, base_url: str) -> str:
    """Make every link and image URL in an HTML fragment absolute; drop permalink marks."""
    if not html.strip():
        return html
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for comment in root.xpath(".//comment()"):
        comment.drop_tree()
    for anchor in root.xpath('.//a[contains(concat(" ", @class, " "), " headerlink ")]'):
        anchor.drop_tree()
    root.make_links_absolute(base_url, resolve_base_href=False)
    # Attributes lxml leaves alone: a video's poster, and an image's srcset
    # (candidates "url descriptor" separated by a comma and a space).
    for element in root.xpath(".//*[@poster]"):
        element.set("poster", urljoin(base_url, element.get("poster").strip()))
    for element in root.xpath(".//*[@srcset]"):
        candidates = [c.split(None, 1) for c in re.split(r",\s+", element.get("srcset")) if c.strip()]
        element.set("srcset", ", ".join(" ".join([urljoin(base_url, c[0]), *c[1:]]) for c in candidates))
    inner = (root.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in root
    )
    return inner


def _generator(spec: FeedSpec, self_url: str, content_type: str, text) -> FeedGenerator:
    """`text` turns a plain-text title or summary into what the format expects there."""
    fg = FeedGenerator()
    fg.id(spec.home_url)
    fg.title(text(spec.title))
    fg.description(text(spec.description))  # also Atom's subtitle; HTML in RSS like item summaries
    # feedgen makes the last link RSS's <link>, which must be the home page.
    fg.link(href=self_url, rel="self")
    fg.link(href=spec.home_url, rel="alternate")
    fg.language(spec.language)
    fg.generator("winwin")
    updated = max((i.date for i in spec.items), default=None)
    if updated:
        fg.updated(updated)
        fg.lastBuildDate(updated)
    fg.load_extension("dc", atom=False, rss=True)
    for item in spec.items:
        fe = fg.add_entry(order="append")
        fe.id(item.url)
        fe.guid(item.url, permalink=True)
        fe.title(text(item.title))
        fe.link(href=item.url)
        fe.published(item.date)
        fe.updated(item.date)
        for name in item.authors:
            fe.author(name=name)
        fe.dc.dc_creator(list(item.authors))
        for term in item.categories:
            fe.category(term=term)
        fe.summary(text(item.summary))
        if item.content_html:
            fe.content(item.content_html, type=content_type)
    return fg


def rss(spec: FeedSpec) -> bytes:
    # content:encoded as CDATA, the form feed readers expect in RSS.
    return _generator(spec, spec.rss_url, "CDATA", lambda t: escape(t, quote=False)).rss_str(pretty=True)


def atom(spec: FeedSpec) -> bytes:
    # Atom's escaped-HTML content (type="html"); CDATA is not an Atom type.
    return _generator(spec, spec.atom_url, "html", str).atom_str(pretty=True)
