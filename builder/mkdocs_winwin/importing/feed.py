"""Any RSS, Atom or JSON feed, read into the model: each item becomes a post.

RSS and Atom go through feedparser (well kept, tolerant of the many dialects);
JSON Feed through `json`, as feedparser 6 does not read it. A feed holds only
the last items of a blog and no comments: the report says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import SourceError
from .assemble import finish_post, name_from_url
from .model import Export, ImportedAuthor, ImportedPost, Problem
from .xmlsafe import parse_date


# Blogging platforms keep a blog's images on their own CDN: those count as the blog's own.
PLATFORM_IMAGE_HOSTS = {
    "medium.com": frozenset({"cdn-images-1.medium.com", "miro.medium.com"}),
    "substack.com": frozenset({"substackcdn.com", "substack-post-media.s3.amazonaws.com"}),
    "blogspot.com": frozenset({"blogger.googleusercontent.com", "bp.blogspot.com"}),
    "wordpress.com": frozenset({"files.wordpress.com", "i0.wp.com", "i1.wp.com", "i2.wp.com", "i3.wp.com"}),
}


def _entry_date(entry) -> str:
    return entry.get("published") or entry.get("updated") or entry.get("created") or ""


def parse_xml_feed(data: bytes, where: str, kind: str) -> Export:
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise SourceError(where, f"is not a feed winwin can read ({parsed.get('bozo_exception')})",
                          "check that the address gives the feed itself, whole")
    feed = parsed.feed
    site_url = feed.get("link", "")
    problems: list[Problem] = []
    posts, authors = [], {}
    for index, entry in enumerate(parsed.entries):
        content = entry.get("content") or []
        html = content[0].get("value", "") if content else entry.get("summary", "")
        summary = entry.get("summary", "") if content else ""
        name = entry.get("author", "").strip()
        if name:
            authors.setdefault(name, ImportedAuthor(name, name))
        link = entry.get("link", "")
        post = finish_post(ImportedPost(
            source_id=entry.get("id") or link or f"item-{index}", kind="post", title=entry.get("title", ""),
            date=parse_date(_entry_date(entry)), html=html, excerpt=summary, author=name,
            labels=tuple(dict.fromkeys(" ".join(t.get("term", "").split()) for t in entry.get("tags", [])
                                       if t.get("term", "").strip())),
            old_url=link, name=name_from_url(link),
        ), problems)
        if post:
            posts.append(post)
    return _export(kind, feed.get("title", ""), site_url, posts, authors, problems)


def parse_json_feed(data: bytes, where: str) -> Export:
    try:
        feed = json.loads(data)
    except ValueError as exc:
        raise SourceError(where, f"is not valid JSON ({exc})", "check that the feed is whole") from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise SourceError(where, "is a JSON Feed without an 'items' list", "check the feed's address")
    problems: list[Problem] = []
    posts, authors = [], {}
    for index, item in enumerate(feed["items"]):
        if not isinstance(item, dict):
            continue
        people = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        name = str(people[0].get("name", "")).strip() if people and isinstance(people[0], dict) else ""
        if name:
            authors.setdefault(name, ImportedAuthor(name, name, url=str(people[0].get("url", ""))))
        link = str(item.get("url", ""))
        html = item.get("content_html") or _text_html(item.get("content_text", ""))
        post = finish_post(ImportedPost(
            source_id=str(item.get("id") or link or f"item-{index}"), kind="post", title=str(item.get("title", "")),
            date=parse_date(str(item.get("date_published") or item.get("date_modified") or "")),
            html=str(html), excerpt=str(item.get("summary", "")), author=name,
            labels=tuple(dict.fromkeys(" ".join(str(t).split()) for t in item.get("tags", []) if str(t).strip())),
            old_url=link, name=name_from_url(link),
        ), problems)
        if post:
            posts.append(post)
    return _export("json-feed", str(feed.get("title", "")), str(feed.get("home_page_url", "")), posts, authors,
                   problems)


def _text_html(value: str) -> str:
    import html

    return "".join(f"<p>{html.escape(p)}</p>" for p in str(value).split("\n\n") if p.strip())


def _export(kind: str, title: str, site_url: str, posts: list[ImportedPost], authors: dict,
            problems: list[Problem]) -> Export:
    hosts = {urlsplit(site_url).hostname or ""} | {urlsplit(p.old_url).hostname or "" for p in posts}
    hosts.discard("")
    for platform, cdn in PLATFORM_IMAGE_HOSTS.items():
        if any(h == platform or h.endswith("." + platform) for h in hosts):
            hosts |= cdn
    return Export(kind, title, site_url, tuple(posts), tuple(authors.values()), (), tuple(problems),
                  frozenset(hosts))


def parse_feed(path: Path, where: str, kind: str) -> Export:
    data = path.read_bytes()
    return parse_json_feed(data, where) if kind == "json-feed" else parse_xml_feed(data, where, kind)
