"""Front-matter schemas for posts and chapters, and the one validator both use.

The MkDocs plugin and the `winwin check` command call `validate()` on the same
schemas, so a key means the same thing wherever it is read. Every problem in
a file is reported, not only the first one.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ..redirects import alias_problem


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, which key, what, and how to fix it."""

    path: str
    key: str
    message: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}: '{self.key}'" if self.key else self.path
        return f"{where}: {self.message}. Fix: {self.fix}"


@dataclass(frozen=True)
class Field:
    """A front-matter key: its kind, whether it is required, and a help text."""

    kind: str  # "str", "date", "bool", "ids", "strs", "url", "paths"
    help: str
    required: bool = False
    # For "ids": which set of valid values (looked up in `choices` by name).
    choices: str | None = None


POST_FIELDS: dict[str, Field] = {
    "title": Field("str", "the post's title, in quotes if it has a colon"),
    "date": Field("date", "the publication date, e.g. 2026-03-14", required=True),
    "authors": Field("ids", "a list of author ids from blog/.authors.yml", choices="authors"),
    "themes": Field("ids", "a list of guide theme ids this post serves", choices="themes"),
    "tags": Field("strs", "a list of free-form tags, e.g. [meetups, email]"),
    "description": Field("str", "one line on why these pointers help; used in feeds and share links"),
    "draft": Field("bool", "true to keep the post out of the published site"),
    "prompt": Field("str", "the question asked under the post, e.g. 'What is your follow-up system?'"),
    "comments": Field("bool", "false to turn off the 'Your turn' section"),
    "discussion": Field("url", "an http(s) link to a thread about this post (LinkedIn, Mastodon, Bluesky)"),
    "image": Field("str", "an image for link previews, relative to the docs folder or an http(s) URL"),
    "aliases": Field("paths", "old addresses of this post inside the site, e.g. [/2011/03/my-post.html]; "
                     "each gets a redirect page"),
}

CHAPTER_FIELDS: dict[str, Field] = {
    "title": Field("str", "the chapter's title", required=True),
    "theme": Field("str", "the theme id posts use to join this chapter, e.g. give-first", required=True),
    "description": Field("str", "one line on what the chapter teaches", required=True),
    "order": Field("int", "the chapter's place in the guide, 1 for the first"),
    "prompt": Field("str", "the question asked under the chapter"),
    "comments": Field("bool", "true to show the 'Your turn' section under this chapter"),
    "image": Field("str", "an image for link previews"),
}

# Keys that mkdocs and Material own: accepted without a word, never "unknown".
FOREIGN_KEYS = {
    "hide", "template", "icon", "status", "search", "subtitle", "slug", "pin",
    "links", "readtime", "categories", "social", "nav_title", "updated",
}



def _is_date(value: Any) -> bool:
    return isinstance(value, (dt.date, dt.datetime))


def _check_date(value: Any) -> str | None:
    if _is_date(value):
        return None
    if isinstance(value, dict) and _is_date(value.get("created")):
        return None
    if isinstance(value, str):
        return (
            f"'{value}' is not a date YAML understands (a time needs seconds)"
        )
    return f"expected a date, got {type(value).__name__}"


def _check(kind: str, value: Any) -> str | None:
    """Return what is wrong with `value` for `kind`, or None."""
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            return "expected non-empty text"
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return f"expected a whole number, got {value!r}"
    elif kind == "bool":
        if not isinstance(value, bool):
            return f"expected true or false, got {value!r}"
    elif kind == "date":
        return _check_date(value)
    elif kind in ("ids", "strs"):
        if isinstance(value, str):
            return f"expected a list, got the text {value!r}"
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            return "expected a list of names"
        if kind == "ids" and not value:
            return "the list is empty"
    elif kind == "paths":
        if not isinstance(value, list):
            return "expected a list of paths"
        for item in value:
            wrong = alias_problem(item)
            if wrong:
                return wrong
    elif kind == "url":
        if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https"):
            return f"expected an http(s) URL, got {value!r}"
    return None


_EXAMPLES = {
    "date": "write it as 2026-03-14 or 2026-03-14 09:30:00",
    "bool": "write true or false",
    "ids": "write a list, e.g. [first-id, second-id]",
    "strs": "write a list, e.g. [one, two]",
    "url": "write a full link starting with https://",
    "paths": "write a list of paths that start with /, e.g. [/2011/03/my-post.html]",
    "int": "write a whole number, e.g. 2",
    "str": "write the text after the colon",
}


def validate(
    meta: dict[str, Any],
    fields: dict[str, Field],
    path: str,
    choices: dict[str, set[str]] | None = None,
    required: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Check one file's front matter against a schema; return every problem.

    A key is required when its Field says so or when it is in `required` (a
    site's own stricter rules, e.g. guide themes when the site has a guide).
    """
    choices = choices or {}
    problems: list[Problem] = []
    for key, spec in fields.items():
        if key not in meta or meta[key] is None:
            if spec.required or key in required:
                problems.append(Problem(path, key, "is missing", f"add '{key}:' with {spec.help}"))
            continue
        value = meta[key]
        wrong = _check(spec.kind, value)
        if wrong:
            problems.append(Problem(path, key, wrong, _EXAMPLES[spec.kind] + f" ({spec.help})"))
            continue
        if spec.choices and spec.choices in choices:
            valid = choices[spec.choices]
            for item in value:
                if item not in valid:
                    problems.append(Problem(
                        path, key, f"unknown value '{item}'",
                        f"use one of: {', '.join(sorted(valid)) or '(none defined)'}"
                        + _did_you_mean(item, valid) + f" ({spec.help})",
                    ))
    for key in meta:
        if key in fields or key in FOREIGN_KEYS:
            continue
        close = difflib.get_close_matches(key, list(fields), n=1, cutoff=0.75)
        if close:
            problems.append(Problem(
                path, key, "is not a key winwin knows",
                f"did you mean '{close[0]}'?", warning=True,
            ))
    return problems


def _did_you_mean(value: str, valid: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(valid), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
