"""Reading and checking conversation files and the moderation file: text in, model and problems out.

Pure functions over text (the files are read in `files.py`). Like front
matter, every problem in a file is reported, each naming the file, the
comment (`comments[wp-42]`, or its position when it has no usable id), the
key and the fix. A comment with an error is left out of the model and the
rest of the file is kept. A reply whose parent is missing is a warning
(the thread shows it top-level); a reply loop is an error, but its comments
stay in the model and show top-level, so no text disappears while the
author fixes the file.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from typing import Any

import yaml

from ..content.schema import Problem
from ..urls import is_http_url
from .model import (
    ID, MAX_AUTHOR, MAX_BODY, REACTION_KINDS, SOURCES, Comment, Conversation, HideRule, Reaction, utc,
)

COMMENT_KEYS = ("id", "parent", "author", "url", "date", "source", "link", "body")
REACTION_KEYS = ("id", "kind", "author", "url", "link")
UNKNOWN_KEY = "is not a key winwin knows"
"""A warning, but the key is not in the model: a rewrite of the file would lose it."""
FUTURE_SLACK = dt.timedelta(minutes=5)
"""A comment dated a few minutes ahead is a clock difference, not a mistake."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader (the C one when present) without its timestamp type.

    Dates stay text so that an impossible one (2011-02-30) is one comment's
    problem instead of an exception that loses the whole file.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def yaml_load(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def yaml_problem(path: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    what = f" ({exc.problem})" if getattr(exc, "problem", None) else ""
    return Problem(path, "", f"is not valid YAML{where}{what}",
                   "check that line: indent each comment's keys under its '- id:', and write the body "
                   "after 'body: |' on the lines below, indented")


# --- single values -------------------------------------------------------------

def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def http_url(value: Any) -> bool:
    """An http(s) URL with a host (urls.is_http_url), and no space: it becomes an author link."""
    return is_http_url(value) and " " not in value


def parse_date(value: Any) -> tuple[dt.datetime, bool] | None:
    """(aware UTC datetime, date only?) of an ISO 8601 text, or None if it is not a real date."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc), True
        return utc(dt.datetime.fromisoformat(text)), False
    except ValueError:
        return None


def iso(value: dt.datetime, date_only: bool = False) -> str:
    """How a date is written in the files and in <time datetime>: 2011-03-04T10:20:30Z or 2011-03-04."""
    value = utc(value)
    if date_only:
        return value.date().isoformat()
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- one comment -----------------------------------------------------------------

def _label(raw: dict, index: int, kind: str = "comments") -> str:
    ident = raw.get("id")
    if isinstance(ident, str) and ID.match(ident):
        return f"{kind}[{ident}]"
    return f"{kind}[{index + 1}]"  # 1-based: "the third comment", as an author counts


def _unknown_keys(raw: dict, known: tuple[str, ...], path: str, label: str) -> list[Problem]:
    out = []
    for key in raw:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"remove it; a comment has {', '.join(known)}"
        out.append(Problem(path, f"{label}.{key}", UNKNOWN_KEY, hint, warning=True))
    return out


def check_comment(raw: Any, path: str, index: int, now: dt.datetime) -> tuple[Comment | None, list[Problem]]:
    """One entry of `comments:`: the Comment, or None and why."""
    if not isinstance(raw, dict):
        return None, [Problem(path, f"comments[{index + 1}]", "is not a mapping",
                              "write each comment as '- id: ...' with its keys indented below")]
    label = _label(raw, index)
    problems: list[Problem] = []

    def bad(key: str, message: str, fix: str) -> None:
        problems.append(Problem(path, f"{label}.{key}", message, fix))

    ident = raw.get("id")
    if not isinstance(ident, str) or not ID.match(ident):
        bad("id", "is missing" if ident is None else f"{ident!r} is not a usable id",
            "give it up to 100 letters, digits, '.', '_', ':' or '-', unique in the file, e.g. manual-1")
    parent = raw.get("parent")
    if parent is not None and (not isinstance(parent, str) or not ID.match(parent)):
        bad("parent", f"{parent!r} is not a comment id", "write the id of the comment this one replies to, or remove 'parent'")
    author = raw.get("author")
    if not isinstance(author, str) or not author.strip():
        bad("author", "is missing" if author is None else "is empty", "write the name the author gave")
    elif len(author) > MAX_AUTHOR or has_control(author):
        bad("author", f"must be 1 to {MAX_AUTHOR} characters without control characters",
            "shorten the name to what the author gave")
    for key in ("url", "link"):
        value = raw.get(key)
        if value is not None and not http_url(value):
            bad(key, f"{str(value)[:80]!r} is not an http(s) address",
                "give a full address starting with https://, or remove it")
    date = parse_date(raw.get("date"))
    if raw.get("date") is None:
        bad("date", "is missing", "write when it was posted, e.g. 2011-03-04T10:20:30Z")
    elif date is None:
        bad("date", f"{str(raw['date'])[:40]!r} is not a real date",
            "write it as 2011-03-04T10:20:30Z or 2011-03-04")
    elif date[0] > now + FUTURE_SLACK:
        bad("date", f"{iso(*date)} is in the future", "write the date it was posted (UTC), e.g. 2011-03-04T10:20:30Z")
    source = raw.get("source")
    if source not in SOURCES:
        bad("source", "is missing" if source is None else f"{source!r} is not a known source",
            f"use one of: {', '.join(SOURCES)}")
    body = raw.get("body")
    if not isinstance(body, str) or not body.strip():
        bad("body", "is missing" if body is None else "is empty",
            "write the comment's text (Markdown) after 'body: |', indented on the lines below")
    elif len(body) > MAX_BODY:
        bad("body", f"has {len(body):,} characters, more than {MAX_BODY:,}",
            "shorten it, or hide the comment in the moderation file")
    problems += _unknown_keys(raw, COMMENT_KEYS, path, label)
    if any(not p.warning for p in problems):
        return None, problems
    return Comment(
        id=ident, author=author.strip(), date=date[0], date_only=date[1], source=source, body=body,
        parent=parent or "", url=raw.get("url") or "", link=raw.get("link") or "",
    ), problems


def check_reaction(raw: Any, path: str, index: int) -> tuple[Reaction | None, list[Problem]]:
    if not isinstance(raw, dict):
        return None, [Problem(path, f"reactions[{index + 1}]", "is not a mapping",
                              "write each reaction as '- id: ...' with 'kind: like' or 'kind: repost'")]
    label = _label(raw, index, "reactions")
    problems: list[Problem] = []
    ident, kind, author = raw.get("id"), raw.get("kind"), raw.get("author")
    if not isinstance(ident, str) or not ID.match(ident):
        problems.append(Problem(path, f"{label}.id", "is missing" if ident is None else f"{ident!r} is not a usable id",
                                "give the id its source gave it, e.g. wm-1234"))
    if kind not in REACTION_KINDS:
        problems.append(Problem(path, f"{label}.kind", "is missing" if kind is None else f"{kind!r} is not a reaction",
                                f"use one of: {', '.join(REACTION_KINDS)}"))
    if author is not None and (not isinstance(author, str) or len(author) > MAX_AUTHOR or has_control(author)):
        problems.append(Problem(path, f"{label}.author", f"must be 1 to {MAX_AUTHOR} characters of text",
                                "write the name the source gave, or remove it"))
    for key in ("url", "link"):
        value = raw.get(key)
        if value is not None and not http_url(value):
            problems.append(Problem(path, f"{label}.{key}", f"{str(value)[:80]!r} is not an http(s) address",
                                    "give a full address starting with https://, or remove it"))
    problems += _unknown_keys(raw, REACTION_KEYS, path, label)
    if any(not p.warning for p in problems):
        return None, problems
    return Reaction(ident, kind, (author or "").strip(), raw.get("url") or "", raw.get("link") or ""), problems


# --- the file as a whole ---------------------------------------------------------------

def loops(comments: tuple[Comment, ...] | list[Comment]) -> list[list[str]]:
    """Each reply loop once, as the ids along it (a -> b -> a is ['a', 'b'])."""
    parent = {c.id: c.parent for c in comments}
    found: list[list[str]] = []
    settled: set[str] = set()
    for start in parent:
        path: list[str] = []
        on_path: set[str] = set()
        node = start
        while node and node in parent and node not in settled:
            if node in on_path:
                found.append(path[path.index(node):])
                break
            path.append(node)
            on_path.add(node)
            node = parent[node]
        settled.update(path)
    return found


def link_problems(comments: list[Comment], path: str) -> list[Problem]:
    """Replies to a missing comment (warnings) and reply loops (errors)."""
    ids = {c.id for c in comments}
    out = [
        Problem(path, f"comments[{c.id}].parent", f"'{c.parent}' is not a comment in this file; "
                "it is shown as a top-level comment", f"write the id of a comment in this file, or remove 'parent'",
                warning=True)
        for c in comments if c.parent and c.parent not in ids
    ]
    for loop in loops(comments):
        chain = " -> ".join([*loop, loop[0]])
        out.append(Problem(path, f"comments[{loop[0]}].parent", f"replies form a loop ({chain}); "
                           "they are shown as top-level comments", f"remove 'parent' from one of {', '.join(loop)}"))
    return out


def parse_conversation(text: str, path: str, page: str, now: dt.datetime) -> tuple[Conversation, list[Problem]]:
    """A conversation file's text -> the valid comments and reactions, and every problem."""
    try:
        data = yaml_load(text)
    except yaml.YAMLError as exc:
        return Conversation(page), [yaml_problem(path, exc)]
    return check_conversation(data, path, page, now)


def check_conversation(data: Any, path: str, page: str, now: dt.datetime) -> tuple[Conversation, list[Problem]]:
    """A conversation file's YAML data -> the valid comments and reactions, and every problem."""
    if data is None:
        return Conversation(page), []
    if not isinstance(data, dict):
        return Conversation(page), [Problem(path, "", "is not a mapping",
                                            "start the file with 'comments:' and list the comments below it")]
    problems: list[Problem] = []
    for key in data:
        if key not in ("comments", "reactions"):
            problems.append(Problem(path, str(key), UNKNOWN_KEY,
                                    "a conversation file has 'comments:' and 'reactions:' only", warning=True))
    comments: list[Comment] = []
    reactions: list[Reaction] = []
    for name, check, out in (("comments", check_comment, comments), ("reactions", check_reaction, reactions)):
        entries = data.get(name)
        if entries is None:
            continue
        if not isinstance(entries, list):
            problems.append(Problem(path, name, "is not a list", f"write each entry under '{name}:' as '- id: ...'"))
            continue
        seen: set[str] = set()
        for index, raw in enumerate(entries):
            item, found = check(raw, path, index, now) if name == "comments" else check(raw, path, index)
            problems += found
            if item is None:
                continue
            if item.id in seen:
                problems.append(Problem(path, f"{name}[{item.id}].id", f"'{item.id}' is used twice; "
                                        "only the first is shown", "give each entry its own id, or remove the copy"))
                continue
            seen.add(item.id)
            out.append(item)
    problems += link_problems(comments, path)
    return Conversation(page, tuple(comments), tuple(reactions)), problems


def parse_moderation(text: str, path: str) -> tuple[tuple[HideRule, ...], list[Problem]]:
    """The moderation file: `hidden:` entries of {page (optional), id, reason}."""
    try:
        data = yaml_load(text)
    except yaml.YAMLError as exc:
        return (), [yaml_problem(path, exc)]
    if data is None:
        return (), []
    entries = data.get("hidden") if isinstance(data, dict) else None
    if entries is None:
        return (), [] if isinstance(data, dict) else [
            Problem(path, "", "is not a mapping", "start the file with 'hidden:' and list entries below it")]
    if not isinstance(entries, list):
        return (), [Problem(path, "hidden", "is not a list", "write each entry as '- id: wp-42' with 'reason:' below")]
    rules: list[HideRule] = []
    problems: list[Problem] = []
    for index, raw in enumerate(entries):
        label = f"hidden[{index + 1}]"
        if not isinstance(raw, dict):
            problems.append(Problem(path, label, "is not a mapping", "write '- id: wp-42' and 'reason: spam' below it"))
            continue
        ident, reason, page = raw.get("id"), raw.get("reason"), raw.get("page")
        entry_problems = []
        if not isinstance(ident, str) or not ID.match(ident):
            entry_problems.append(Problem(path, f"{label}.id", "is missing" if ident is None else f"{ident!r} is not a comment id",
                                          "write the id of the comment to hide, as in its .comments.yml"))
        if not isinstance(reason, str) or not reason.strip():
            entry_problems.append(Problem(path, f"{label}.reason", "is missing",
                                          "say why in a word or two, e.g. 'reason: spam'; `winwin comments list` shows it"))
        if page is not None and (not isinstance(page, str) or not page.endswith(".md")):
            entry_problems.append(Problem(path, f"{label}.page", f"{page!r} is not a page",
                                          "write the page's path in the docs folder, e.g. blog/posts/my-post.md, "
                                          "or remove 'page' to hide the id on every page"))
        problems += entry_problems + _unknown_keys(raw, ("page", "id", "reason"), path, label)
        if not entry_problems:
            rules.append(HideRule(ident, reason.strip(), page or ""))
    return tuple(rules), problems
