"""What every parser shares: posts without a title or date, slugs, comment threads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .model import ImportedComment, ImportedPost, LeftOut, Problem

_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def slugify(text: str) -> str:
    """ASCII, lowercase, hyphens: 'Café com leite!' -> 'cafe-com-leite'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80].strip("-")


def plain_text(html: str) -> str:
    """Rough visible text of an HTML fragment, for titles and descriptions only."""
    import html as html_lib

    return _SPACE.sub(" ", html_lib.unescape(_TAGS.sub(" ", html or ""))).strip()


def name_from_url(url: str) -> str:
    """The last path segment of a permalink, without '.html': '/2011/03/my-post.html' -> 'my-post'."""
    path = unquote(urlsplit(url).path).rstrip("/")
    last = path.rsplit("/", 1)[-1]
    return re.sub(r"\.html?$", "", last)


def comment_id(prefix: str, raw: str) -> str:
    """'blogger-123' from 'tag:blogger.com,1999:blog-9.post-123'; ids keep to [A-Za-z0-9._:-]."""
    tail = re.split(r"[.:/-](?:post|comment|page)-", raw)[-1] if raw else ""
    clean = re.sub(r"[^A-Za-z0-9._:-]", "-", tail.strip())[:90]
    return f"{prefix}-{clean}" if clean else ""


@dataclass
class RawComment:
    """A comment as a parser found it, before threads are checked."""

    post_ref: str  # the source_id of its post
    id: str
    parent: str
    author: str
    url: str
    date: dt.datetime | None
    html: str
    left_out: str = ""  # a reason ("spam", "unapproved", ...) when it is not kept


def finish_post(post: ImportedPost, problems: list[Problem]) -> ImportedPost | None:
    """Give an untitled entry a title, refuse an undated one; list what was done."""
    if post.title != " ".join(post.title.split()):  # titles are one line, whatever the export had
        post = dataclasses.replace(post, title=" ".join(post.title.split()))
    shown = post.title or post.old_url or post.source_id
    if post.date is None:
        problems.append(Problem(shown, f"this {post.kind} has no date, so it was not imported",
                                "add a date to it in the old blog and export again, or copy it by hand"))
        return None
    if not post.title.strip():
        words = plain_text(post.html).split()
        title = " ".join(words[:8]) + ("..." if len(words) > 8 else "") if words else \
            f"Untitled {post.kind} of {post.date:%d %B %Y}"
        problems.append(Problem(title, f"this {post.kind} has no title; it was given this one",
                                "edit 'title:' in its file"))
        post = dataclasses.replace(post, title=title)
    return post


def attach_comments(posts: list[ImportedPost], comments: list[RawComment],
                    left_out: list[LeftOut], problems: list[Problem]) -> list[ImportedPost]:
    """Tie each comment to its post and its parent; a missing parent makes it top-level."""
    by_post: dict[str, list[RawComment]] = defaultdict(list)
    titles = {p.source_id: p.title for p in posts}
    for comment in comments:
        if comment.post_ref not in titles:
            left_out.append(LeftOut("comment", comment.post_ref or "(no post)", "its post is not imported"))
            continue
        if comment.left_out:
            left_out.append(LeftOut("comment", titles[comment.post_ref], comment.left_out))
            continue
        by_post[comment.post_ref].append(comment)
    result = []
    for post in posts:
        kept: list[ImportedComment] = []
        raw = sorted(by_post.get(post.source_id, ()), key=lambda c: (c.date or dt.datetime.min.replace(
            tzinfo=dt.timezone.utc), c.id))
        ids = set()
        for comment in raw:
            if not comment.id or comment.id in ids or comment.date is None:
                why = "has no date" if comment.date is None else "has no id, or the same id as another"
                left_out.append(LeftOut("comment", post.title, "damaged entry"))
                problems.append(Problem(post.title, f"a comment by {comment.author or 'someone'} {why}, "
                                        "so it was left out", "nothing to do, or add it by hand"))
                continue
            ids.add(comment.id)
        known = {c.id for c in raw if c.id in ids}
        for comment in raw:
            if comment.id not in ids:
                continue
            parent = comment.parent
            if parent and parent not in known:
                problems.append(Problem(post.title, f"comment {comment.id} replies to {parent}, which is not "
                                        "in the export (deleted, spam or unapproved); it is kept as a top-level comment",
                                        "nothing to do"))
                parent = ""
            kept.append(ImportedComment(comment.id, parent, comment.author, comment.url,
                                        comment.date, comment.html))  # type: ignore[arg-type]
            ids.discard(comment.id)  # a comment written twice is kept once
        result.append(dataclasses.replace(post, comments=tuple(kept)))
    return result
