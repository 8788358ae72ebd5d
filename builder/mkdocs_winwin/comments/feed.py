"""An Atom feed of the site's latest comments, to follow the conversation.

Built with the site's feed writer (feedgen) from the same sanitised HTML the
pages show: nothing active reaches a feed reader. Hidden comments never
enter it (the caller passes moderated conversations).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..feeds.writer import FeedItem, FeedSpec, atom
from .model import Conversation
from .sanitize import body_html

FEED_PATH = "atom-comments.xml"
"""At the site root, beside the other feeds (Material looks for sitemap.xml next to every feed link)."""
MAX_ITEMS = 50
SUMMARY = 200


@dataclass(frozen=True)
class PageInfo:
    title: str
    url: str  # absolute


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY else text[: SUMMARY - 1].rstrip() + "…"


def comments_feed(conversations: Iterable[Conversation], pages: Mapping[str, PageInfo], *,
                  site_name: str, site_url: str, limit: int = MAX_ITEMS) -> bytes:
    """The newest `limit` comments of the pages in `pages` (pages not built are left out)."""
    entries = [(c, pages[conv.page]) for conv in conversations if conv.page in pages for c in conv.comments]
    entries.sort(key=lambda e: (e[0].date, e[0].id), reverse=True)
    items = tuple(
        FeedItem(title=f"{c.author} on {page.title}", url=f"{page.url}#{c.anchor}", date=c.date,
                 authors=(c.author,), categories=(), summary=_summary(c.body), content_html=str(body_html(c.body)))
        for c, page in entries[:limit]
    )
    url = site_url.rstrip("/") + "/" + FEED_PATH
    spec = FeedSpec(title=f"Comments | {site_name}", description=f"The latest replies on {site_name}.",
                    home_url=site_url, rss_url=url, atom_url=url, items=items)
    return atom(spec)
