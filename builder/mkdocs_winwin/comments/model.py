"""The comment model: frozen dataclasses passed between the stages, no I/O.

A `Conversation` is one page's `*.comments.yml` once read and checked; the
loader makes them, the sources (`isso`, `webmentions`, `add`) make new ones,
`merge` combines them, `moderate` and `thread` prepare them for `render`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SOURCES = ("import", "isso", "webmention", "email", "manual")
"""Where a comment came from; a source prefixes the ids it writes (isso-12, wm-3456, email-<hash>)."""

REACTION_KINDS = ("like", "repost")

ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
MAX_AUTHOR = 200
MAX_BODY = 20_000
SUFFIX = ".comments.yml"
"""`blog/posts/my-post.md` keeps its conversation in `blog/posts/my-post.comments.yml`."""
MODERATION_FILE = "comments-moderation.yml"


@dataclass(frozen=True)
class Comment:
    id: str
    author: str
    date: dt.datetime  # timezone-aware, UTC
    source: str  # one of SOURCES
    body: str  # Markdown, untrusted
    parent: str = ""  # the id it replies to, "" for a top-level comment
    url: str = ""  # the author's http(s) page
    link: str = ""  # where it was first posted (a webmention's source)
    date_only: bool = False  # the file gave a date without a time

    def __post_init__(self) -> None:
        # One trailing newline, as a literal block writes it: a body reads back equal to itself.
        if not self.body.endswith("\n") or self.body.endswith("\n\n"):
            object.__setattr__(self, "body", self.body.rstrip("\n") + "\n")

    @property
    def anchor(self) -> str:
        """The HTML id of the comment on its page (ids are already safe in HTML ids)."""
        return f"comment-{self.id}"


@dataclass(frozen=True)
class Reaction:
    """A like or repost on the social web, kept by id so a new pull never counts it twice."""

    id: str
    kind: str  # one of REACTION_KINDS
    author: str = ""
    url: str = ""
    link: str = ""


@dataclass(frozen=True)
class Conversation:
    """One page's comments and reactions, in file order."""

    page: str  # the page's source path in the docs folder, e.g. blog/posts/my-post.md
    comments: tuple[Comment, ...] = ()
    reactions: tuple[Reaction, ...] = ()

    @property
    def file(self) -> str:
        return comments_file(self.page)

    def by_id(self) -> dict[str, Comment]:
        return {c.id: c for c in self.comments}


@dataclass(frozen=True)
class HideRule:
    """One entry of the moderation file: hide comment `id` on `page` ("" = on any page)."""

    id: str
    reason: str
    page: str = ""


@dataclass(frozen=True)
class Hidden:
    """A comment the build leaves out, and why."""

    comment: Comment
    reason: str


def comments_file(page: str) -> str:
    """The conversation file beside a page: a/b.md -> a/b.comments.yml."""
    stem = page[:-3] if page.endswith(".md") else page
    return stem + SUFFIX


def page_of(comments_path: str) -> str:
    """The page a conversation file belongs to: a/b.comments.yml -> a/b.md."""
    return comments_path[: -len(SUFFIX)] + ".md"


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)
