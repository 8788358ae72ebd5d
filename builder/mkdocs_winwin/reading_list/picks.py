"""The curator's file, `content/reading-list/picks.yml`: pins, manual picks and hides.

    pins:                      # articles from the feeds, always on the list
      - url: https://example.org/listening
        note: Why it helps, and who to send it to.
        theme: good-conversation
    picks:                     # articles in no feed
      - url: https://example.org/follow-up-system
        title: A follow-up system that sticks
        date: 2026-02-01
        note: For the friend who never hears back after an intro.
        theme: follow-up
    hide:                      # never on the list: a URL, or a pattern with * or ?
      - https://example.org/sponsored/*

A pin may also carry title, source, summary and date: they show when its
article is not (or no longer) in the store. Every problem in the file is
reported at once, naming the file, the entry, the key and the fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..content import yamlfile
from ..content.loader import as_datetime
from ..content.schema import CONTROL, Field, Problem, validate, value_problems
from ..urls import is_http_url
from .curation import canonical_url

_COMMON = {
    "url": Field("url", "the article's full http(s) link", required=True),
    "note": Field("str", "why it helps and who to send it to, in one or two sentences"),
    "theme": Field("str", "the guide theme id it goes with, e.g. be-of-help"),
    "title": Field("str", "the article's title"),
    "source": Field("str", "who published it, e.g. the site's name"),
    "summary": Field("str", "a sentence or two on what the article says"),
    "date": Field("date", "when the article was published, e.g. 2026-03-14"),
}
PIN_FIELDS: dict[str, Field] = dict(_COMMON)
PICK_FIELDS: dict[str, Field] = {
    **_COMMON,
    "title": Field("str", "the article's title", required=True),
    "date": Field("date", "when the article was published, e.g. 2026-03-14", required=True),
    "note": Field("str", "why it helps and who to send it to, in one or two sentences", required=True),
}
SECTIONS = ("pins", "picks", "hide")


@dataclass(frozen=True)
class Pick:
    """A pinned article (from a feed) or a manual pick (in no feed)."""

    url: str
    manual: bool
    note: str = ""
    theme: str = ""
    title: str = ""
    source: str = ""
    summary: str = ""
    date: dt.datetime | None = None

    @property
    def canonical_url(self) -> str:
        """The form curation matches pins against (see reading_list.curation.canonical_url)."""
        return canonical_url(self.url)


@dataclass(frozen=True)
class Picks:
    pins: tuple[Pick, ...] = ()
    manual: tuple[Pick, ...] = ()
    hidden_urls: frozenset[str] = frozenset()  # canonical URLs
    hidden_patterns: tuple[str, ...] = ()  # shell-style, over canonical URLs

    def pinned(self) -> dict[str, Pick]:
        """Pins and manual picks by canonical URL."""
        return {p.canonical_url: p for p in (*self.pins, *self.manual)}


def _is_pattern(text: str) -> bool:
    return any(c in text for c in "*?[")


def _entry(raw: Any, section: str, index: int, where: str, problems: list[Problem]) -> Pick | None:
    label = f"{where}: {section} entry {index}"
    if not isinstance(raw, dict):
        problems.append(Problem(label, "", f"expected 'url:' and other keys, got {raw!r}",
                                "start the entry with '- url: https://...' and indent its other keys"))
        return None
    if isinstance(raw.get("url"), str):
        # repr() when it holds control characters: the message goes to a terminal.
        label += f" ({raw['url'] if not CONTROL.search(raw['url']) else repr(raw['url'])})"
    fields = PICK_FIELDS if section == "picks" else PIN_FIELDS
    found = validate(raw, fields, label, material=False)
    for key in raw:
        # schema.validate only names unknown keys that look like a typo of a known one.
        if key not in fields and not any(p.key == key for p in found):
            found.append(Problem(label, str(key), "is not a key winwin knows",
                                 f"use one of: {', '.join(fields)}", warning=True))
    problems.extend(found)
    if any(not p.warning for p in found):
        return None
    text = {k: raw[k].strip() for k in ("note", "theme", "title", "source", "summary") if raw.get(k)}
    return Pick(
        url=raw["url"].strip(), manual=section == "picks",
        date=as_datetime(raw["date"]) if raw.get("date") else None, **text,
    )


def parse_picks(text: str, where: str) -> tuple[Picks, list[Problem]]:
    """Read picks.yml's text; `where` names the file in messages. Returns what is valid and every problem."""
    problems: list[Problem] = []
    try:
        data = yamlfile.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(where, "", f"is not valid YAML{at}",
                                "check that line for a missing colon, quote or indent"))
        return Picks(), problems
    if data is None:
        return Picks(), problems
    if not isinstance(data, dict):
        problems.append(Problem(where, "", "expected the sections pins:, picks: and hide:",
                                "start the file with 'pins:' (see the authors' guide)"))
        return Picks(), problems
    for key in data:
        if key not in SECTIONS:
            close = difflib.get_close_matches(str(key), SECTIONS, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(SECTIONS)}"
            problems.append(Problem(where, str(key), "is not a section winwin knows", hint))
    entries: dict[str, list[tuple[int, Pick]]] = {"pins": [], "picks": []}
    for section in entries:
        raw = data.get(section) or []
        if not isinstance(raw, list):
            problems.append(Problem(where, section, "expected a list of entries",
                                    f"write each entry on its own line starting with '- url:' under '{section}:'"))
            continue
        for i, item in enumerate(raw, 1):
            pick = _entry(item, section, i, where, problems)
            if pick:
                entries[section].append((i, pick))
    hidden_urls: set[str] = set()
    patterns: list[str] = []
    raw_hide = data.get("hide") or []
    if not isinstance(raw_hide, list):
        problems.append(Problem(where, "hide", "expected a list",
                                "write each URL or pattern on its own line starting with '- '"))
        raw_hide = []
    for i, item in enumerate(raw_hide, 1):
        wrong = value_problems(f"{where}: hide entry {i}", "", item)
        if wrong:
            problems += wrong
        elif not isinstance(item, str) or not item.strip():
            problems.append(Problem(f"{where}: hide entry {i}", "", f"expected a URL or a pattern, got {item!r}",
                                    "write a full link, or a pattern such as https://example.org/sponsored/*"))
        elif _is_pattern(item):
            patterns.append(item.strip())
        elif not is_http_url(item.strip()):
            problems.append(Problem(f"{where}: hide entry {i}", "", f"'{item}' is not an http(s) URL or a pattern",
                                    "write a full link starting with https://, or use * as a wildcard"))
        else:
            hidden_urls.add(canonical_url(item))
    _check_conflicts(entries, hidden_urls, where, problems)
    picks = Picks(tuple(p for _, p in entries["pins"]), tuple(p for _, p in entries["picks"]),
                  frozenset(hidden_urls), tuple(patterns))
    return picks, problems


def _check_conflicts(entries: dict[str, list[tuple[int, Pick]]], hidden: set[str], where: str,
                     problems: list[Problem]) -> None:
    seen: dict[str, str] = {}
    for section, picks in entries.items():
        for i, pick in picks:
            label = f"{where}: {section} entry {i} ({pick.url})"
            if pick.canonical_url in seen:
                problems.append(Problem(label, "url", f"the same article is already in {seen[pick.canonical_url]}",
                                        "keep one entry per article"))
            seen.setdefault(pick.canonical_url, f"{section} entry {i}")
            if pick.canonical_url in hidden:
                problems.append(Problem(label, "url", "the article is also listed under hide:",
                                        "remove it from pins/picks or from hide"))


def read_picks(path: str | Path, where: str) -> tuple[Picks, list[Problem]]:
    """Read picks.yml from disk; a missing file means no picks and is not a problem."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")  # a byte-order mark is no problem
    except FileNotFoundError:
        return Picks(), []
    except (OSError, UnicodeDecodeError) as exc:
        return Picks(), [Problem(where, "", f"cannot be read ({exc})", "save it as UTF-8 text")]
    try:
        return parse_picks(text, where)
    except RecursionError:
        return Picks(), [Problem(where, "", "is nested too deeply to read", "write a flat list of entries")]
