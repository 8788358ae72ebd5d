"""Front-matter schemas for posts, chapters and pages, and the one validator they all use.

The MkDocs plugin and the `winwin check` command call `validate()` on the same
schemas, so a key means the same thing wherever it is read. Every problem in
a file is reported, not only the first one.

Material's own keys (`template`, `hide`, `links`, `slug`, ...) are checked
here too, with the types Material expects: a wrong one would otherwise stop
the build with a traceback, or reach a page as markup. Every string anywhere
in the front matter is checked for what no page or feed can carry (control
characters, an impossible date); text that Material prints without escaping
(titles, tags, categories) may not contain '<' or '>'.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any
from ..redirects import alias_problem
from ..urls import is_http_url, is_safe_link
from .yamlfile import ImpossibleDate


TITLE_MAX = 200  # a post's title becomes its file name (255 bytes at most on most file systems)
DESCRIPTION_MAX = 1000
NAME_MAX = 100  # a tag, a category, an author's name
HIDE_VALUES = ("navigation", "toc", "footer", "feedback", "path", "tags")  # Material's `hide:`


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file: where, which key, what, and how to fix it."""

    path: str
    key: str
    message: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        text = f"{self.path}: '{self.key}'" if self.key else self.path
        if self.message:
            text += f": {self.message}"
        return f"{text}. Fix: {self.fix}" if self.fix else text


class Findings:
    """For a result holding `problems`: its errors and its warnings."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]


@dataclass(frozen=True)
class Field:
    """A front-matter key: its kind, whether it is required, and a help text."""

    kind: str  # a key of _CHECKS: "str", "date", "bool", "ids", "strs", "url", "paths", ...
    help: str
    required: bool = False
    # For "ids" and "template": which set of valid values (looked up in `choices` by name).
    choices: str | None = None
    # Text that Material prints raw (page title, tags): '<' and '>' are refused.
    plain: bool = False
    # Longest text accepted (each item's, for a list): a title becomes a file name.
    max_length: int = 10_000


POST_FIELDS: dict[str, Field] = {
    "title": Field("str", "the post's title, in quotes if it has a colon", plain=True, max_length=TITLE_MAX),
    "date": Field("date", "the publication date, e.g. 2026-03-14", required=True),
    "authors": Field("ids", "a list of author ids from blog/.authors.yml", choices="authors"),
    "themes": Field("ids", "a list of guide theme ids this post serves", choices="themes"),
    "tags": Field("strs", "a list of free-form tags, e.g. [meetups, email]", plain=True, max_length=NAME_MAX),
    "description": Field("str", "one line on why these pointers help; used in feeds and share links",
                         max_length=DESCRIPTION_MAX),
    "draft": Field("bool", "true to keep the post out of the published site"),
    "prompt": Field("str", "the question asked under the post, e.g. 'What is your follow-up system?'"),
    "comments": Field("bool", "false to turn off the 'Your turn' section"),
    "discussion": Field("url", "an http(s) link to a thread about this post (LinkedIn, Mastodon, Bluesky)"),
    "image": Field("str", "an image for link previews, relative to the docs folder or an http(s) URL"),
    "aliases": Field("paths", "old addresses of this post inside the site, e.g. [/2011/03/my-post.html]; "
                     "each gets a redirect page"),
}

CHAPTER_FIELDS: dict[str, Field] = {
    "title": Field("str", "the chapter's title", required=True, plain=True, max_length=TITLE_MAX),
    "theme": Field("str", "the theme id posts use to join this chapter, e.g. give-first", required=True),
    "description": Field("str", "one line on what the chapter teaches", required=True,
                         max_length=DESCRIPTION_MAX),
    "order": Field("int", "the chapter's place in the guide, 1 for the first"),
    "prompt": Field("str", "the question asked under the chapter"),
    "comments": Field("bool", "true to show the 'Your turn' section under this chapter"),
    "image": Field("str", "an image for link previews"),
}

# Keys that mkdocs and Material own, with the types Material expects
# (material/plugins/blog/structure/config.py, its templates): never "unknown".
MATERIAL_FIELDS: dict[str, Field] = {
    "template": Field("template", "the name of a page template of the theme, e.g. blog-post.html",
                      choices="templates"),
    "hide": Field("hide", f"a list of parts to hide: {', '.join(HIDE_VALUES)}"),
    "links": Field("links", "related links: a list of 'Title: path/to/page.md' or 'Title: https://...' entries"),
    "slug": Field("slug", "the last part of the post's address, e.g. my-first-post"),
    "readtime": Field("readtime", "the minutes it takes to read, e.g. 5"),
    "pin": Field("bool", "true to pin the post to the top of the blog"),
    "categories": Field("strs", "a list of blog categories, e.g. [Meetups]", plain=True, max_length=NAME_MAX),
    "icon": Field("icon", "an icon of the theme, e.g. material/emoticon-happy"),
    "status": Field("status", "a status of the theme: new or deprecated"),
    "subtitle": Field("str", "a line shown under the title in the navigation", plain=True, max_length=TITLE_MAX),
    "nav_title": Field("str", "the title shown in the navigation", plain=True, max_length=TITLE_MAX),
    "search": Field("search", "search settings, e.g. {exclude: true} or {boost: 2}"),
    "updated": Field("date", "when the post was last changed, e.g. 2026-03-14"),
    "social": Field("mapping", "settings of Material's social cards"),
    "location": Field("link", "where redirect.html sends the reader: a page path or an https:// URL"),
}
FOREIGN_KEYS = set(MATERIAL_FIELDS)

# Any other page (home, contribute, ...): Material's keys and the title Material prints.
PAGE_FIELDS: dict[str, Field] = {
    "title": Field("str", "the page's title", plain=True, max_length=TITLE_MAX),
    "description": Field("str", "one line on what the page is about", max_length=DESCRIPTION_MAX),
    "tags": Field("strs", "a list of tags, e.g. [meetups, email]", plain=True, max_length=NAME_MAX),
    "image": Field("str", "an image for link previews, relative to the docs folder or an http(s) URL"),
    # Imported pages keep their old addresses too (winwin import; plugins/redirects.py).
    "aliases": Field("paths", "old addresses of this page inside the site, e.g. [/p/about.html]; "
                     "each gets a redirect page"),
    **MATERIAL_FIELDS,
}

# XML 1.0 cannot carry these (feeds fail with "All strings must be XML
# compatible"), and no page should: C0 controls but tab, newline and return;
# DEL; lone surrogates; U+FFFE and U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
CONTROL = _CONTROL
_MARKUP = re.compile(r"[<>]")
_SLUG = re.compile(r"^[\w-]+(?:\.[\w-]+)*$")
_ICON = re.compile(r"^[a-z0-9-]+(?:/[a-z0-9-]+)+$")
_STATUS = re.compile(r"^[A-Za-z0-9_-]+$")
_TEMPLATE = re.compile(r"^[\w.-]+\.html$")


class TextProblem(str):
    """What is wrong with a text (the message), and its own `fix`."""

    fix: str = ""

    @classmethod
    def of(cls, message: str, fix: str) -> "TextProblem":
        problem = cls(message)
        problem.fix = fix
        return problem


def text_problem(value: str, *, plain: bool = False, max_length: int = 10_000) -> TextProblem | None:
    """What makes `value` unfit for a page or a feed: a control character, markup, its length."""
    bad = _CONTROL.search(value)
    if bad:
        return TextProblem.of(f"contains the control character U+{ord(bad.group()):04X}",
                              "delete it (retype the text if it was pasted from elsewhere)")
    if plain and (mark := _MARKUP.search(value)):
        return TextProblem.of(f"contains '{mark.group()}', which the theme prints as it is (as markup)",
                              "write it without '<' and '>', e.g. 'less than', or put the markup in the body")
    if len(value) > max_length:
        return TextProblem.of(f"is {len(value)} characters long, more than the {max_length} allowed",
                              f"shorten it to at most {max_length} characters")
    return None


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def value_problems(path: str, key: str, value: Any) -> list[Problem]:
    """What no key may hold, whatever its schema: an impossible date, a control character
    (in any string of the value, keys of mappings included)."""
    problems = []
    pending = [value]
    seen: set[int] = set()  # YAML aliases share one object: a "billion laughs" is walked once per node
    while pending:
        text = pending.pop()
        if isinstance(text, (dict, list)):
            if id(text) in seen:
                continue
            seen.add(id(text))
            pending += [*text.values(), *text.keys()] if isinstance(text, dict) else text
        elif isinstance(text, ImpossibleDate):
            problems.append(Problem(path, key, f"'{text}' is not a real date ({text.reason})",
                                    "correct the date (e.g. 2026-02-28, 09:30:00), or put it in quotes "
                                    "if it is meant as text"))
        elif isinstance(text, str) and _CONTROL.search(text):
            wrong = text_problem(text)
            problems.append(Problem(path, key, f"{wrong}, which no page or feed can carry", wrong.fix))
    return problems



def _is_date(value: Any) -> bool:
    return isinstance(value, (dt.date, dt.datetime))


def _check_date(value: Any) -> str | None:
    if _is_date(value):
        return None
    if isinstance(value, dict) and _is_date(value.get("created")):
        return None
    if isinstance(value, ImpossibleDate):
        return None  # reported once, by value_problems
    if isinstance(value, str):
        return (
            f"'{value}' is not a date YAML understands (a time needs seconds)"
        )
    return f"expected a date, got {type(value).__name__}"


def _check(kind: str, value: Any, spec: Field | None = None) -> str | None:
    """Return what is wrong with `value` for `kind`, or None."""
    plain, max_length = (spec.plain, spec.max_length) if spec else (False, 10_000)
    if kind == "str":
        if not isinstance(value, str) or not value.strip():
            return "expected non-empty text"
        return text_problem(value, plain=plain, max_length=max_length)
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
        for item in value:
            wrong = text_problem(item, plain=plain, max_length=max_length)
            if wrong:
                return TextProblem.of(f"'{_short(item)}' {wrong}", wrong.fix)
    elif kind == "paths":
        if not isinstance(value, list):
            return "expected a list of paths"
        for item in value:
            wrong = alias_problem(item)
            if wrong:
                return wrong
    elif kind == "url":
        if not is_http_url(value):
            return f"expected an http(s) URL with a host, got {_short(str(value))!r}"
    elif kind in _CHECKS:
        return _CHECKS[kind](value)
    return None



def _check_template(value: Any) -> str | None:
    if not isinstance(value, str) or not _TEMPLATE.match(value) or ".." in value:
        return f"{_short(str(value))!r} is not a template name (a file name ending in .html, no folder)"
    return None


def _check_hide(value: Any) -> str | None:
    if not isinstance(value, list):
        return f"expected a list, got {_short(repr(value))}"
    unknown = [v for v in value if v not in HIDE_VALUES]
    return f"unknown value {_short(repr(unknown[0]))}" if unknown else None


def _check_links(value: Any, depth: int = 0) -> str | None:
    # Material builds a navigation from it: a list of paths or URLs, or of
    # one-key mappings 'Title: target' where the target may be a nested list.
    if not isinstance(value, list) or depth > 3:
        return f"expected a list of 'Title: link' entries, got {_short(repr(value))}"
    for item in value:
        if isinstance(item, dict) and len(item) == 1:
            [(title, target)] = item.items()
            if not isinstance(title, str) or not title.strip():
                return f"{_short(repr(title))} is not a link title"
            wrong = text_problem(title, plain=True, max_length=TITLE_MAX)
            if wrong:
                return TextProblem.of(f"the title {wrong}", wrong.fix)
            item = target
        if isinstance(item, list):
            wrong = _check_links(item, depth + 1)
            if wrong:
                return wrong
        elif not is_safe_link(item):
            return (f"{_short(repr(item))} is not a page path or an http(s) URL with a host "
                    "(no spaces, quotes or other schemes)")
    return None


def _check_slug(value: Any) -> str | None:
    if not isinstance(value, str) or not _SLUG.match(value) or len(value) > 100:
        return (f"{_short(repr(value))} is not a safe address part: letters, digits, '-' and '_' only "
                "(no '/', '..', spaces or quotes), at most 100 characters")
    return None


def _check_readtime(value: Any) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 1000:
        return f"expected a whole number of minutes from 0 to 1000, got {_short(repr(value))}"
    return None


def _check_icon(value: Any) -> str | None:
    if not isinstance(value, str) or not _ICON.match(value):
        return f"{_short(repr(value))} is not an icon name like material/emoticon-happy"
    return None


def _check_status(value: Any) -> str | None:
    if not isinstance(value, str) or not _STATUS.match(value):
        return f"{_short(repr(value))} is not a status name like new or deprecated"
    return None


def _check_search(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a mapping, got {_short(repr(value))}"
    if "exclude" in value and not isinstance(value["exclude"], bool):
        return f"'exclude' must be true or false, got {_short(repr(value['exclude']))}"
    boost = value.get("boost", 1)
    if isinstance(boost, bool) or not isinstance(boost, (int, float)) or not 0 <= boost <= 1000:
        return f"'boost' must be a number from 0 to 1000, got {_short(repr(boost))}"
    return None


def _check_mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"expected a mapping, got {_short(repr(value))}"


def _check_link(value: Any) -> str | None:
    if not is_safe_link(value):
        return f"{_short(repr(value))} is not a page path or an http(s) URL with a host"
    return None


_CHECKS = {
    "template": _check_template, "hide": _check_hide, "links": _check_links, "slug": _check_slug,
    "readtime": _check_readtime, "icon": _check_icon, "status": _check_status,
    "search": _check_search, "mapping": _check_mapping, "link": _check_link,
}


_EXAMPLES = {
    "date": "write it as 2026-03-14 or 2026-03-14 09:30:00",
    "bool": "write true or false",
    "ids": "write a list, e.g. [first-id, second-id]",
    "strs": "write a list, e.g. [one, two]",
    "url": "write a full link starting with https://",
    "paths": "write a list of paths that start with /, e.g. [/2011/03/my-post.html]",
    "int": "write a whole number, e.g. 2",
    "str": "write the text after the colon",
    "template": "write the name of a template",
    "hide": "write a list, e.g. [toc, navigation]",
    "links": "write a list, e.g. ['Setup: guide/setup.md', 'Source: https://example.org/']",
    "slug": "write lowercase words joined by '-'",
    "readtime": "write a whole number",
    "icon": "write a theme icon name",
    "status": "write new or deprecated",
    "search": "write a mapping",
    "mapping": "write a mapping",
    "link": "write a page path or a full link starting with https://",
}


def validate(
    meta: dict[str, Any],
    fields: dict[str, Field],
    path: str,
    choices: dict[str, set[str]] | None = None,
    required: frozenset[str] = frozenset(),
    typos: bool = True,
    material: bool = True,
) -> list[Problem]:
    """Check one file's front matter against a schema; return every problem.

    A key is required when its Field says so or when it is in `required` (a
    site's own stricter rules, e.g. guide themes when the site has a guide).
    `material`: Material's page keys are checked too (front matter, not
    picks.yml). `typos`: warn about an unknown key close to a known one.
    """
    choices = choices or {}
    problems: list[Problem] = []
    for key, value in meta.items():
        problems += value_problems(path, str(key), value)
    # One message per key: a value with a control character or an impossible date is not checked further.
    reported = {p.key for p in problems}
    for key, spec in ({**MATERIAL_FIELDS, **fields} if material else fields).items():
        if key in reported:
            continue
        if key not in meta or meta[key] is None:
            if spec.required or key in required:
                problems.append(Problem(path, key, "is missing", f"add '{key}:' with {spec.help}"))
            continue
        value = meta[key]
        wrong = _check(spec.kind, value, spec)
        if wrong:
            fix = getattr(wrong, "fix", "") or _EXAMPLES[spec.kind]
            problems.append(Problem(path, key, str(wrong), f"{fix} ({spec.help})"))
            continue
        if spec.choices and spec.choices in choices:
            valid = choices[spec.choices]
            for item in (value if isinstance(value, list) else [value]):
                if item not in valid:
                    problems.append(Problem(
                        path, key, f"unknown value '{item}'",
                        f"use one of: {', '.join(sorted(valid)) or '(none defined)'}"
                        + _did_you_mean(item, valid) + f" ({spec.help})",
                    ))
    for key in meta if typos else ():
        if key in fields or (material and key in FOREIGN_KEYS):
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
