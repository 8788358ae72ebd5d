"""The article model shared by fetching, the store, curation and the reading list.

Everything in an Article came from an untrusted feed, but it has already been
made safe when the Article is built (see reading_list.parse): `title` and `summary`
are plain text (no markup), `url` is an absolute http(s) URL. Templates still
escape them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    source_id: str  # stable key of the source (see reading_list.sources)
    source_name: str
    url: str  # absolute http(s) link to the original article
    title: str  # plain text
    summary: str  # plain text, not truncated
    published: dt.datetime | None  # timezone-aware UTC, None when the feed gives no date
    guid: str  # the feed's id for the entry, or the url when it has none
    first_seen: dt.datetime  # when winwin first stored it (UTC)
