"""The reading list's page model: curated decisions and the curator's picks, grouped and ready to show.

Pure: no I/O, no MkDocs. The plugin renders the model with the theme's
templates (autoescaped) and turns it into the picks feed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from ..urls import hostname, is_http_url
from .curation import Decision
from .picks import Pick, Picks

ELLIPSIS = "…"
UNGROUPED = ""  # the group of items with no theme


@dataclass(frozen=True)
class Item:
    url: str  # the original article, always http(s)
    title: str  # plain text
    source: str
    published: dt.datetime | None
    summary: str  # plain text, cut to the configured length
    note: str  # the curator's "why it helps, who to send it to"
    group: str  # theme id, topic or source name; "" when none
    curated: bool  # pinned or picked by hand in picks.yml
    sort_date: dt.datetime  # published, else when first seen, for "newest" and feeds


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ReadingList:
    groups: tuple[Group, ...]
    items: tuple[Item, ...]  # every item once: curated first, then in rank order

    def newest(self, count: int) -> tuple[Item, ...]:
        """The `count` most recent items (by date; ties keep list order)."""
        return tuple(sorted(self.items, key=lambda i: i.sort_date, reverse=True)[:count])


def plain_summary(text: str, limit: int) -> str:
    """Whitespace collapsed; cut at a word boundary to at most `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    if limit <= 0 or len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    head, space, _ = cut.rpartition(" ")
    # One very long word (a URL, say): cut inside it rather than show nothing.
    head = head if space and head else cut[: limit - len(ELLIPSIS)]
    return re.sub(r"[\s,;:.\-–—]+$", "", head) + ELLIPSIS


def build(
    decisions: Iterable[Decision],
    picks: Picks,
    *,
    source_groups: Mapping[str, str],
    group_titles: Mapping[str, str],
    summary_length: int = 300,
    by_source: bool = False,
) -> tuple[ReadingList, list[str]]:
    """The page model and the warnings to report (pins not in the store, unsafe links).

    `source_groups` maps a source id to its group key (its theme, or its name
    when grouping by source); a pin's theme overrides it, unless `by_source`,
    where an article from no feed is grouped under its pick's source. `group_titles` gives
    the heading of known keys, in the order groups are shown; other keys follow
    alphabetically, the ungrouped last.
    """
    warnings: list[str] = []
    pinned = picks.pinned()
    found: set[str] = set()
    curated: list[Item] = []
    ranked: list[Item] = []
    for d in decisions:
        if not d.kept:
            continue
        pick = pinned.get(d.canonical_url)
        a = d.article
        if not is_http_url(a.url):
            warnings.append(f"reading list: dropped '{a.title}' from {a.source_name}: its link "
                            f"{a.url!r} is not http(s)")
            continue
        if pick:
            found.add(d.canonical_url)
        item = Item(
            url=a.url, title=a.title or a.url, source=a.source_name, published=a.published,
            summary=plain_summary(a.summary, summary_length),
            note=pick.note if pick else "",
            group=(pick.theme if pick and pick.theme and not by_source
                   else source_groups.get(a.source_id, UNGROUPED)),
            curated=bool(pick), sort_date=a.published or a.first_seen,
        )
        (curated if pick else ranked).append(item)
    for pick in (*picks.pins, *picks.manual):
        if pick.canonical_url in found:
            continue
        if not pick.manual:
            warnings.append(
                f"picks.yml: the pinned article {pick.url} is not in the article store; it is shown with "
                "the title, source, date and summary the pin gives. Fix: run 'winwin feeds fetch', check "
                "that one of the sources lists it, or move it under 'picks:' with a title and date"
            )
        curated.append(_from_pick(pick, summary_length, by_source))
    curated.sort(key=lambda i: i.sort_date, reverse=True)
    items = tuple(curated + ranked)
    return ReadingList(_groups(items, group_titles), items), warnings


def _from_pick(pick: Pick, summary_length: int, by_source: bool) -> Item:
    source = pick.source or hostname(pick.url)
    # A pin without a date sorts as the oldest: it still shows, but never as "newest".
    when = pick.date or dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    return Item(
        url=pick.url, title=pick.title or pick.url, source=source,
        published=pick.date, summary=plain_summary(pick.summary, summary_length), note=pick.note,
        group=source if by_source else pick.theme or UNGROUPED, curated=True, sort_date=when,
    )


def _groups(items: tuple[Item, ...], titles: Mapping[str, str]) -> tuple[Group, ...]:
    by_key: dict[str, list[Item]] = {}
    for item in items:
        by_key.setdefault(item.group, []).append(item)
    order = [k for k in titles if k in by_key]
    order += sorted(k for k in by_key if k not in titles and k != UNGROUPED)
    if UNGROUPED in by_key:
        order.append(UNGROUPED)
    return tuple(Group(k, titles.get(k) or k or "More to read", tuple(by_key[k])) for k in order)


def themes_used(sources, picks: Picks, picks_file: str) -> dict[str, str]:
    """Where a theme is set (for a message) -> the theme: the sources' and the picks'."""
    used = {f"mkdocs.yml: reading list source '{s.name}'": s.theme for s in sources if s.theme}
    used |= {f"{picks_file}: {p.url}": p.theme for p in (*picks.pins, *picks.manual)}
    return used


def theme_typos(used: Mapping[str, str], guide_themes: Iterable[str]) -> list[str]:
    """Warnings for themes that look like a misspelt guide theme.

    `used` maps where a theme is set (for the message) to the theme. A theme
    far from every guide theme is a topic of its own, on purpose: no warning.
    """
    themes = sorted(guide_themes)
    out = []
    for where, theme in used.items():
        if theme and theme not in themes:
            close = difflib.get_close_matches(theme, themes, n=1, cutoff=0.8)
            if close:
                out.append(f"{where}: theme '{theme}' is not a guide theme, so its articles get a group "
                           f"of their own. Fix: did you mean '{close[0]}'?")
    return out
