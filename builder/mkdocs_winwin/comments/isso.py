"""`winwin comments pull --isso URL`: the approved comments of a running Isso.

Isso has no export; its HTTP API gives a thread's comments by
`GET /?uri=PATH&plain=1` (plain: the Markdown as written, not Isso's HTML).
A thread is the page's path as the browser sees it (Isso's client uses
`location.pathname`), so the caller passes {URL path: page source}. Only
approved comments (mode 1) are kept; pending and deleted ones are not
published. Isso keeps one level of replies: a reply to a reply arrives
attached to the top-level comment, and stays so.

Ids are `isso-<Isso's number>`, so a second pull updates instead of adding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from ..content.schema import Problem
from ..errors import SourceError
from .load import check_comment, http_url, iso
from .model import Comment

APPROVED = 1


def _flatten(replies: Iterable[Any]) -> Iterable[dict]:
    for item in replies:
        if isinstance(item, dict):
            yield item
            yield from _flatten(item.get("replies") or ())


def comment_entry(item: dict) -> dict:
    """One Isso comment as an entry of the file format (checked afterwards like any other)."""
    created = item.get("created")
    date = iso(dt.datetime.fromtimestamp(created, dt.timezone.utc)) if isinstance(created, (int, float)) else None
    website = item.get("website")
    entry = {"id": f"isso-{item.get('id')}", "author": (item.get("author") or "").strip() or "Anonymous",
             "date": date, "source": "isso", "body": item.get("text")}
    if item.get("parent") is not None:
        entry["parent"] = f"isso-{item['parent']}"
    if http_url(website):
        entry["url"] = website
    return entry


def thread_comments(data: Any, where: str, now: dt.datetime) -> tuple[list[Comment], list[Problem]]:
    """The approved comments of one thread's answer; problems name the thread and the comment."""
    if not isinstance(data, dict) or not isinstance(data.get("replies", []), list):
        raise SourceError(where, "did not answer an Isso thread (no 'replies' list)",
                          "check that the URL is the Isso server's base address")
    comments, problems = [], []
    for item in _flatten(data.get("replies") or ()):
        if item.get("mode") != APPROVED:
            continue
        comment, found = check_comment(comment_entry(item), where, 0, now)
        problems += [p for p in found if not p.warning]
        if comment:
            comments.append(comment)
    return comments, problems


def thread_url(base: str, path: str) -> str:
    return base.rstrip("/") + "/?" + urlencode({"uri": path, "plain": 1})


def pull(base: str, pages: Mapping[str, str], get: Callable[[str], Any], now: dt.datetime,
         ) -> tuple[dict[str, list[Comment]], list[Problem]]:
    """{page: comments} for every page with approved comments; raises SourceError if Isso fails.

    `get` returns None for a thread that does not exist. `pages` maps each page's URL path (as the browser has it) to its source path.
    """
    out: dict[str, list[Comment]] = {}
    problems: list[Problem] = []
    for path, page in sorted(pages.items()):
        url = thread_url(base, path)
        data = get(url)
        if data is None:  # older Isso: a page nobody commented on has no thread (404)
            continue
        comments, found = thread_comments(data, url, now)
        problems += found
        if comments:
            out[page] = comments
    return out, problems
