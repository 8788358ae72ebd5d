"""What an export holds, whatever its format: frozen dataclasses, no I/O.

The parsers (`blogger`, `wxr`, `feed`) return an `Export`; everything after
them works on this model only, so a new export format is one new parser.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportedAuthor:
    """Someone who wrote posts on the old blog."""

    key: str  # the export's own id for them (login, profile URI or name)
    name: str
    email: str = ""  # never written unless --keep-emails
    url: str = ""
    avatar_url: str = ""


@dataclass(frozen=True)
class ImportedComment:
    """A kept comment; its HTML is converted to Markdown when written."""

    id: str  # "wp-42", "blogger-123": unique in its post
    parent: str  # the id of the comment it replies to, "" for a top-level one
    author: str
    url: str
    date: dt.datetime  # timezone-aware
    html: str


@dataclass(frozen=True)
class ImportedPost:
    """A post or a page of the old blog."""

    source_id: str  # the export's id for it, used to tie comments to it
    kind: str  # "post" or "page"
    title: str
    date: dt.datetime | None  # timezone-aware; None only for a problem entry
    html: str
    excerpt: str = ""  # HTML or text, "" when the export has none
    author: str = ""  # an ImportedAuthor.key
    labels: tuple[str, ...] = ()
    draft: bool = False
    old_url: str = ""  # the full old permalink, "" when unknown
    name: str = ""  # the old permalink's last segment or the export's slug
    comments: tuple[ImportedComment, ...] = ()


@dataclass(frozen=True)
class LeftOut:
    """An entry or comment deliberately not imported, and why."""

    what: str  # "comment", "post", "page", "attachment", ...
    title: str  # the entry's title, or the post a comment belongs to
    reason: str  # "spam", "unapproved", "trashed", "deleted", "pingback", ...


@dataclass(frozen=True)
class Problem:
    """Something the user should look at: the entry, what is wrong, what to do."""

    title: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.title}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Export:
    """Everything read from one export."""

    kind: str  # "blogger-classic", "blogger-takeout", "wordpress", "rss", "atom", "json-feed"
    title: str
    site_url: str  # the old blog's home, "" when the export does not say
    posts: tuple[ImportedPost, ...]
    authors: tuple[ImportedAuthor, ...] = ()
    left_out: tuple[LeftOut, ...] = ()
    problems: tuple[Problem, ...] = ()
    image_hosts: frozenset[str] = field(default_factory=frozenset)  # hosts of the old blog's images

    @property
    def is_feed(self) -> bool:
        """A feed holds only the last items, never the whole blog."""
        return self.kind in ("rss", "atom", "json-feed")

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = {
    "blogger-classic": "Blogger export (classic Atom format)",
    "blogger-takeout": "Blogger export (Google Takeout feed.atom)",
    "wordpress": "WordPress export (WXR)",
    "rss": "RSS feed",
    "atom": "Atom feed",
    "json-feed": "JSON Feed",
}
