"""The content model: guide chapters, pointer posts and authors, read from the docs folder.

Plain Python over files: no MkDocs objects here, so the same model serves the
MkDocs plugin, the CLI and the tests. `load_site()` reads everything first and
validates everything, returning the model together with every problem found.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .schema import CHAPTER_FIELDS, POST_FIELDS, Problem, validate

THEME_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The keys Material's blog requires of each author in .authors.yml.
AUTHOR_KEYS = {
    "name": "the name shown on their posts",
    "description": "one line about them, shown under the name",
    "avatar": "a picture: a path relative to the blog folder or an https:// URL",
}


@dataclass(frozen=True)
class Author:
    id: str
    name: str
    description: str = ""
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Chapter:
    path: str  # relative to the docs folder, POSIX
    title: str
    theme: str
    description: str
    order: int
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Post:
    path: str  # relative to the docs folder, POSIX
    title: str
    date: dt.datetime  # timezone-aware (UTC when the file gives no zone)
    authors: tuple[str, ...]
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    description: str
    draft: bool
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Site:
    chapters: tuple[Chapter, ...]
    posts: tuple[Post, ...]  # newest first
    authors: dict[str, Author]
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]

    @property
    def themes(self) -> dict[str, Chapter]:
        return {c.theme: c for c in self.chapters}

    def published(self, drafts: bool = False) -> list[Post]:
        return [p for p in self.posts if drafts or not p.draft]

    def posts_for(self, theme: str, drafts: bool = False) -> list[Post]:
        """The posts serving a theme, newest first."""
        return [p for p in self.published(drafts) if theme in p.themes]


@dataclass(frozen=True)
class Layout:
    """Where things live inside the docs folder."""

    guide_dir: str = "guide"
    blog_dir: str = "blog"
    # Keys every post must have besides `date` (the site's setting `post_required`).
    post_required: tuple[str, ...] = ()

    @property
    def posts_dir(self) -> str:
        return f"{self.blog_dir}/posts"

    @property
    def authors_file(self) -> str:
        return f"{self.blog_dir}/.authors.yml"


def as_datetime(value: Any) -> dt.datetime:
    """A front-matter date (date, datetime or {created: ...}) as an aware datetime."""
    if isinstance(value, dict):
        value = value["created"]
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value


def yaml_position(exc: yaml.YAMLError) -> str:
    """' at line L, column C (what PyYAML found)' for a message; '' when PyYAML gives no position."""
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    what = f" ({exc.problem})" if getattr(exc, "problem", None) else ""
    return where + what


def _read(docs: Path, rel: str, problems: list[Problem]) -> frontmatter.Post | None:
    try:
        return frontmatter.load(docs / rel)
    except yaml.YAMLError as exc:
        # The front matter text starts with the newline after the first '---',
        # so YAML's line numbers are the file's.
        problems.append(Problem(rel, "", f"the front matter is not valid YAML{yaml_position(exc)}",
                                "check the lines between the two '---': put a value that contains "
                                "a colon in quotes (title: \"Ask: then listen\"), and indent list items evenly"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "", f"cannot be read ({exc})", "save it as UTF-8 text"))
    return None


def _markdown_files(docs: Path, folder: str) -> list[str]:
    root = docs / folder
    if not root.is_dir():
        return []
    return sorted(
        p.relative_to(docs).as_posix() for p in root.rglob("*.md") if p.name != "index.md"
    )


def load_authors(docs: Path, layout: Layout, problems: list[Problem]) -> dict[str, Author]:
    path = docs / layout.authors_file
    if not path.exists():
        # A blog without named authors needs no file; a post naming one is
        # then reported as an unknown author.
        if "authors" in layout.post_required:
            problems.append(Problem(layout.authors_file, "", "is missing",
                                    "create it with 'authors:' and one entry per author id"))
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(layout.authors_file, "", f"is not valid YAML{yaml_position(exc)}",
                                "check that line for a missing colon, quote or indent: each author id "
                                "indented under 'authors:', its keys indented under the id"))
        return {}
    entries = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        problems.append(Problem(layout.authors_file, "authors", "is missing or not a mapping",
                                "write 'authors:' then one indented entry per author id"))
        return {}
    authors = {}
    for ident, info in entries.items():
        if not isinstance(info, dict):
            problems.append(Problem(layout.authors_file, f"authors.{ident}", "is not a mapping",
                                    f"indent {', '.join(AUTHOR_KEYS)} under '{ident}:'"))
            continue
        missing = [k for k in AUTHOR_KEYS if not isinstance(info.get(k), str) or not info[k].strip()]
        problems.extend(
            Problem(layout.authors_file, f"authors.{ident}.{k}", "is missing",
                    f"add '{k}:' under '{ident}:' with {AUTHOR_KEYS[k]}")
            for k in missing
        )
        if missing:
            continue
        authors[ident] = Author(
            id=ident, name=info["name"], description=info.get("description", ""),
            email=info.get("email", ""), url=info.get("url", ""),
        )
    return authors


def load_chapters(docs: Path, layout: Layout, problems: list[Problem]) -> list[Chapter]:
    chapters = []
    seen: dict[str, str] = {}
    for rel in _markdown_files(docs, layout.guide_dir):
        doc = _read(docs, rel, problems)
        if doc is None:
            continue
        found = validate(doc.metadata, CHAPTER_FIELDS, rel)
        problems.extend(found)
        if any(not p.warning for p in found):
            continue
        theme = doc["theme"]
        if not THEME_ID.match(theme):
            problems.append(Problem(rel, "theme", f"'{theme}' is not a valid theme id",
                                    "use lowercase letters, digits and hyphens, e.g. good-conversation"))
            continue
        if theme in seen:
            problems.append(Problem(rel, "theme", f"theme '{theme}' is already used by {seen[theme]}",
                                    "give each chapter its own theme id"))
            continue
        seen[theme] = rel
        chapters.append(Chapter(rel, doc["title"], theme, doc["description"],
                                doc.get("order", 1000), dict(doc.metadata)))
    chapters.sort(key=lambda c: (c.order, c.path))
    return chapters


def first_heading(markdown: str) -> str:
    """The text of the first level-1 heading, as Material takes a title from it ('' if none)."""
    match = _H1.search(markdown)
    return match.group(1).strip().strip("#").strip() if match else ""


_H1 = re.compile(r"^#[ \t]+(.+)$", re.MULTILINE)
_EXCERPT_END = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_MARKUP = re.compile(r"<[^>]*>|!?\[([^\]]*)\]\([^)]*\)|[*_`>#]+")


def excerpt_text(markdown: str, limit: int = 300) -> str:
    """A description from a post's body, as Material's excerpt: the text before
    `<!-- more -->`, else the first paragraph after the title; plain text, cut at a word."""
    body = _EXCERPT_END.split(markdown, 1)[0]
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip() and not p.lstrip().startswith("# ")]
    if not paragraphs:
        return ""
    text = " ".join(_MARKUP.sub(lambda m: m.group(1) or "", paragraphs[0]).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def load_posts(docs: Path, layout: Layout, choices: dict[str, set[str]],
               problems: list[Problem]) -> list[Post]:
    """Every post; `themes` is required only when the site has a guide (themes to choose from)."""
    required = frozenset(layout.post_required) | {"date"}
    if choices.get("themes"):
        required |= {"themes"}
    posts = []
    for rel in _markdown_files(docs, layout.posts_dir):
        doc = _read(docs, rel, problems)
        if doc is None:
            continue
        found = validate(doc.metadata, POST_FIELDS, rel, choices, required)
        problems.extend(found)
        if any(not p.warning for p in found):
            continue
        meta = doc.metadata
        title = meta.get("title") or first_heading(doc.content) or Path(rel).stem.replace("-", " ")
        posts.append(Post(
            path=rel, title=title, date=as_datetime(meta["date"]),
            authors=tuple(meta.get("authors") or ()), themes=tuple(meta.get("themes") or ()),
            tags=tuple(meta.get("tags") or ()), description=meta.get("description") or "",
            draft=bool(meta.get("draft", False)), meta=dict(meta),
        ))
    posts.sort(key=lambda p: (p.date, p.path), reverse=True)
    return posts


def load_site(docs_dir: str | os.PathLike, layout: Layout = Layout()) -> Site:
    """Read and validate every chapter, post and author; never stop at the first problem."""
    docs = Path(docs_dir)
    problems: list[Problem] = []
    authors = load_authors(docs, layout, problems)
    chapters = load_chapters(docs, layout, problems)
    choices = {"authors": set(authors), "themes": {c.theme for c in chapters}}
    posts = load_posts(docs, layout, choices, problems)
    return Site(tuple(chapters), tuple(posts), authors, tuple(problems))
