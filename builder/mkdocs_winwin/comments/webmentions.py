"""`winwin comments pull --webmentions URL`: replies, likes and reposts from a JF2 endpoint.

How replies on Mastodon, Bluesky and other networks reach a static site:
Bridgy turns them into webmentions, webmention.io (or a compatible
receiver) collects them and serves them as a JF2 feed:

    {"type": "feed", "children": [{"wm-id": 1234, "wm-property": "in-reply-to",
      "wm-source": "https://brid.gy/...", "wm-target": "https://site/blog/.../",
      "author": {"name": "Ana", "url": "https://..."}, "content": {"text": "..."},
      "published": "2026-01-02T10:00:00+00:00", "url": "https://mastodon.social/@ana/1"}]}

`in-reply-to` entries become comments (source webmention, link = where the
reply was posted), `like-of` and `repost-of` become reactions (counted on
the page), both with ids `wm-<wm-id>` so a re-pull adds none twice. Other
kinds (mention-of, bookmark-of) are counted in the report and left out.
`wm-target` names the page; targets that are no page of this site are
reported and left out.

webmention.io answers page by page (`page=0, 1, ...`, `per-page`): unless
the URL names a page itself, `fetch_all` asks page after page until one is
short or brings no new wm-id (an endpoint that ignores `page` answers the
same entries again), at most `MAX_PAGES`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from ..content.schema import Problem
from ..errors import SourceError
from .load import check_comment, check_reaction, http_url, iso, parse_date
from .model import Comment, Reaction

KINDS = {"like-of": "like", "repost-of": "repost"}
PER_PAGE = 100
MAX_PAGES = 100


@dataclass(frozen=True)
class Mentions:
    comments: dict[str, list[Comment]] = field(default_factory=dict)  # by page
    reactions: dict[str, list[Reaction]] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    left_out: Counter = field(default_factory=Counter)  # wm-property -> number


def url_path(url: str) -> str:
    """The path a page is found by: no scheme, host, query or fragment; 'index.html' dropped."""
    path = unquote(urlsplit(url).path) or "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def _page(target: Any, pages: Mapping[str, str]) -> str | None:
    if not isinstance(target, str):
        return None
    path = url_path(target)
    return pages.get(path) or pages.get(path.rstrip("/") + "/") or pages.get(path.rstrip("/"))


def _text(entry: dict, key: str) -> str:
    value = entry.get(key)
    return value.strip() if isinstance(value, str) else ""


def _children(data: Any, where: str) -> list:
    children = data.get("children") if isinstance(data, dict) else None
    if not isinstance(children, list):
        raise SourceError(where, "did not answer a JF2 feed (no 'children' list)",
                          "use the endpoint's .jf2 address, e.g. https://webmention.io/api/mentions.jf2?token=...")
    return children


def fetch_all(url: str, get: Callable[[str], Any]) -> dict:
    """Every entry of a paginated JF2 endpoint, as one feed."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k == "page" for k, _ in query):
        return get(url)
    per_page = next((int(v) for k, v in query if k == "per-page" and v.isdigit() and int(v) > 0), PER_PAGE)
    query = [(k, v) for k, v in query if k != "per-page"] + [("per-page", str(per_page))]
    children: list = []
    seen: set = set()
    for number in range(MAX_PAGES):
        page_url = urlunsplit(parts._replace(query=urlencode(query + [("page", str(number))])))
        batch = _children(get(page_url), page_url)
        new = [c for c in batch if not (isinstance(c, dict) and c.get("wm-id") in seen)]
        seen.update(c.get("wm-id") for c in new if isinstance(c, dict))
        children += new
        if not new or len(batch) < per_page:
            break
    return {"type": "feed", "children": children}


def parse(data: Any, where: str, pages: Mapping[str, str], now: dt.datetime) -> Mentions:
    """A JF2 answer -> comments and reactions by page. `pages` maps URL paths to page sources."""
    children = _children(data, where)
    found = Mentions()
    problems: list[Problem] = []
    for index, entry in enumerate(children):
        if not isinstance(entry, dict):
            problems.append(Problem(where, f"children[{index + 1}]", "is not an entry", "nothing to do: it is left out"))
            continue
        prop, ident = entry.get("wm-property"), entry.get("wm-id")
        label = f"children[wm-{ident}]" if ident is not None else f"children[{index + 1}]"
        if prop not in ("in-reply-to", *KINDS):
            found.left_out[str(prop)] += 1
            continue
        if not isinstance(ident, (int, str)) or not str(ident).strip():
            problems.append(Problem(where, f"{label}.wm-id", "is missing", "nothing to do: the entry is left out"))
            continue
        page = _page(entry.get("wm-target"), pages)
        if page is None:
            problems.append(Problem(where, f"{label}.wm-target", f"{str(entry.get('wm-target'))[:120]!r} is no page "
                                    "of this site", "nothing to do if it is another site's; else check site_url",
                                    warning=True))
            continue
        author = entry.get("author") if isinstance(entry.get("author"), dict) else {}
        name = _text(author, "name")
        author_url = author.get("url") if http_url(author.get("url")) else None
        source = entry.get("url") if http_url(entry.get("url")) else entry.get("wm-source")
        if prop in KINDS:
            raw = {"id": f"wm-{ident}", "kind": KINDS[prop], "author": name or None, "url": author_url,
                   "link": source if http_url(source) else None}
            reaction, why = check_reaction({k: v for k, v in raw.items() if v}, where, index)
            problems += [p for p in why if not p.warning]
            if reaction:
                found.reactions.setdefault(page, []).append(reaction)
            continue
        content = entry.get("content") if isinstance(entry.get("content"), dict) else {}
        published = entry.get("published") or entry.get("wm-received")
        date = parse_date(published) if isinstance(published, str) else None
        raw = {"id": f"wm-{ident}", "author": name or urlsplit(str(author_url or source or "")).hostname or "Someone",
               "date": iso(*date) if date else published, "source": "webmention",
               "body": content.get("text"), "link": source, "url": author_url}
        comment, why = check_comment({k: v for k, v in raw.items() if v is not None}, where, index, now)
        problems += [p for p in why if not p.warning]
        if comment:
            found.comments.setdefault(page, []).append(comment)
    return Mentions(found.comments, found.reactions, tuple(problems), found.left_out)
