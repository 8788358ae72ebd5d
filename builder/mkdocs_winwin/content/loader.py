"""The content model: guide chapters, pointer posts and authors, read from the docs folder.

Plain Python over files: no MkDocs objects here, so the same model serves the
MkDocs plugin, the CLI and the tests. `load_site()` reads everything first and
validates everything, returning the model together with every problem found.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from ..prompts.section import EMAIL
from ..urls import is_http_url, is_safe_link
from . import yamlfile
from .schema import (CHAPTER_FIELDS, CONTROL, DESCRIPTION_MAX, MATERIAL_FIELDS, NAME_MAX, PAGE_FIELDS,
                     POST_FIELDS, TITLE_MAX, Findings, Problem, text_problem, validate, value_problems)

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
class Site(Findings):
    chapters: tuple[Chapter, ...]
    posts: tuple[Post, ...]  # newest first
    authors: dict[str, Author]
    problems: tuple[Problem, ...]
    # Every other page's front matter, by docs-relative path (home, contribute, indexes).
    pages: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @property
    def themes(self) -> dict[str, Chapter]:
        return {c.theme: c for c in self.chapters}

    def front_matter(self) -> dict[str, dict[str, Any]]:
        """Every page's front matter as read and checked, by docs-relative path."""
        return {**self.pages, **{c.path: c.meta for c in self.chapters}, **{p.path: p.meta for p in self.posts}}

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
    # Page templates of the theme (`template:` must name one); None: not checked.
    templates: frozenset[str] | None = None
    # Material's blog `post_url_format`: which posts would share an address.
    post_url_format: str = "{date}/{slug}"
    # Material's blog `post_dir`: where the posts are, "{blog}" standing for blog_dir.
    post_dir: str = "{blog}/posts"

    @property
    def posts_dir(self) -> str:
        return self.post_dir.format(blog=self.blog_dir).strip("/")

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


class _FrontMatter(frontmatter.YAMLHandler):
    """python-frontmatter's YAML handler with impossible dates kept (content.yamlfile)."""

    def load(self, fm: str, **kwargs: Any) -> Any:
        return yamlfile.load(fm)


def _read(docs: Path, rel: str, problems: list[Problem]) -> frontmatter.Post | None:
    text = _read_text(docs, rel, problems)
    if text is None:
        return None
    doc, problem = _parse(rel, text)
    if problem is not None:
        problems.append(problem)
    return doc


def _read_text(docs: Path, rel: str, problems: list[Problem]) -> str | None:
    try:
        # utf-8-sig: a byte-order mark before the first '---' is dropped, as MkDocs does.
        return (docs / rel).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, "", f"is not UTF-8 text ({exc.reason} at byte {exc.start})",
                                "save it as UTF-8 text"))
    except OSError as exc:
        problems.append(Problem(rel, "", f"cannot be read ({exc})", "save it as UTF-8 text"))
    return None


def _parse(rel: str, text: str) -> tuple[frontmatter.Post | None, Problem | None]:
    try:
        handler = _FrontMatter()
        doc = frontmatter.loads(text, handler=handler if handler.detect(text.strip()) else None)
        bad = CONTROL.search(doc.content)
        if bad:
            # A feed carries the post's HTML: lxml refuses these ("All strings must be XML compatible").
            line = text[:text.find(doc.content)].count("\n") + doc.content.count("\n", 0, bad.start()) + 1
            return None, Problem(rel, "", f"line {line} contains the control character U+{ord(bad.group()):04X}",
                                 "delete it (retype the text if it was pasted from elsewhere)")
        return doc, None
    except yaml.YAMLError as exc:
        # The front matter text starts with the newline after the first '---',
        # so YAML's line numbers are the file's.
        return None, Problem(rel, "", f"the front matter is not valid YAML{yaml_position(exc)}",
                             "check the lines between the two '---': put a value that contains "
                             "a colon in quotes (title: \"Ask: then listen\"), and indent list items evenly")
    except RecursionError as exc:
        return None, Problem(rel, "", f"cannot be read ({exc})", "save it as UTF-8 text")


def _markdown_files(docs: Path, folder: str, markdown: list[str]) -> list[str]:
    """The Markdown files under `folder` (docs-relative), index pages aside."""
    prefix = folder.strip("/") + "/"
    return [rel for rel in markdown if rel.startswith(prefix) and not rel.endswith("/index.md")
            and rel != prefix + "index.md"]


def _inside(root: str, path: str) -> bool:
    return os.path.commonpath([root, path]) == root


def scan_docs(docs: Path, problems: list[Problem]) -> list[str]:
    """Every Markdown file of the docs folder (docs-relative, sorted), as MkDocs will find them.

    MkDocs follows symlinks: one leaving the docs folder would publish what it
    points at, a loop would never end, a dangling one stops the build. Each is
    reported here (the build stops before MkDocs walks the folder) and not followed.
    """
    root = os.path.realpath(docs)
    found: list[str] = []

    def walk(folder: str, real_folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as entries:
                entries = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(prefix.rstrip("/") or ".", "", f"cannot be read ({exc.strerror})",
                                    "check the folder's permissions"))
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_symlink():
                real = _symlink_target(entry.path, rel, real_folder, problems)
                if real and os.path.isdir(real):
                    # A link to another folder inside: MkDocs publishes its files under the link's name.
                    walk(entry.path, real, rel + "/")
                elif real and entry.name.endswith(".md"):
                    found.append(rel)
            elif entry.is_dir():
                walk(entry.path, os.path.join(real_folder, entry.name), rel + "/")
            elif entry.name.endswith(".md"):
                found.append(rel)

    def _symlink_target(path: str, rel: str, real_folder: str, problems: list[Problem]) -> str | None:
        target = os.readlink(path)
        try:
            real = os.path.realpath(path, strict=True)
        except OSError as exc:
            what = "loops back on itself" if exc.errno == errno.ELOOP else "points nowhere"
            problems.append(Problem(rel, "", f"is a symbolic link to {target!r}, which {what}",
                                    "delete the link, or point it at a file inside the docs folder"))
            return None
        if not _inside(root, real):
            problems.append(Problem(rel, "", f"is a symbolic link to {target!r}, outside the docs folder",
                                    "copy what it points at into the docs folder instead of linking to it"))
            return None
        if os.path.isdir(real) and _inside(real, real_folder):
            problems.append(Problem(rel, "", f"is a symbolic link to {target!r}, a folder that contains "
                                    "the link itself (a loop)", "delete the link"))
            return None
        return real

    walk(root, root, "")
    return sorted(found)


def layout_problems(layout: Layout) -> list[Problem]:
    """Folders of the layout that would leave the docs folder (`guide_dir: ../..`)."""
    problems = []
    for key, value, example in (("plugins.winwin.guide_dir", layout.guide_dir, "guide"),
                                ("plugins.blog.blog_dir", layout.blog_dir, "blog")):
        parts = value.replace("\\", "/").split("/")
        if os.path.isabs(value) or value.startswith(("/", "\\")) or ".." in parts:
            problems.append(Problem("mkdocs.yml", key, f"{value!r} leaves the docs folder",
                                    f"give a folder inside the docs folder, e.g. {example}"))
    return problems


def load_authors(docs: Path, layout: Layout, problems: list[Problem]) -> dict[str, Author]:
    path = docs / layout.authors_file
    if not path.exists() and not path.is_symlink():
        # A blog without named authors needs no file; a post naming one is
        # then reported as an unknown author.
        if "authors" in layout.post_required:
            problems.append(Problem(layout.authors_file, "", "is missing",
                                    "create it with 'authors:' and one entry per author id"))
        return {}
    if not path.is_file():
        problems.append(Problem(layout.authors_file, "", "is not a file",
                                "replace it with a YAML file: 'authors:' and one entry per author id"))
        return {}
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8-sig")) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(layout.authors_file, "", f"is not valid YAML{yaml_position(exc)}",
                                "check that line for a missing colon, quote or indent: each author id "
                                "indented under 'authors:', its keys indented under the id"))
        return {}
    except (OSError, UnicodeDecodeError, RecursionError) as exc:
        problems.append(Problem(layout.authors_file, "", f"cannot be read ({exc})", "save it as UTF-8 text"))
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
        wrong = _author_problems(layout.authors_file, str(ident), info)
        problems.extend(wrong)
        if missing or wrong:
            continue
        authors[ident] = Author(
            id=ident, name=info["name"], description=info.get("description", ""),
            email=info.get("email", ""), url=info.get("url", ""),
        )
    return authors


def _author_problems(where: str, ident: str, info: dict[str, Any]) -> list[Problem]:
    """An author's values that a page could not show safely: Material prints them in its templates."""
    key = f"authors.{ident}"
    problems = [p for k, v in info.items() for p in value_problems(where, f"{key}.{k}", v)]
    if problems:
        return problems
    name = info.get("name")
    if isinstance(name, str) and (wrong := text_problem(name, plain=True, max_length=NAME_MAX)):
        problems.append(Problem(where, f"{key}.name", wrong, wrong.fix))
    description = info.get("description")
    if isinstance(description, str) and (wrong := text_problem(description, max_length=DESCRIPTION_MAX)):
        problems.append(Problem(where, f"{key}.description", wrong, wrong.fix))
    email = info.get("email")
    if email is not None and (not isinstance(email, str) or not EMAIL.match(email.strip())):
        problems.append(Problem(where, f"{key}.email", f"is not one email address: {email!r}",
                                "write one address, e.g. ann@example.org"))
    url = info.get("url")
    if url is not None and not is_http_url(url):
        problems.append(Problem(where, f"{key}.url", f"is not an http(s) URL with a host: {url!r}",
                                "write a full link starting with https://, e.g. https://example.org/ann"))
    avatar = info.get("avatar")
    if isinstance(avatar, str) and avatar.strip() and not is_safe_link(avatar, images=True):
        problems.append(Problem(where, f"{key}.avatar", f"is not an image path or an http(s) URL: {avatar!r}",
                                AUTHOR_KEYS["avatar"]))
    slug = info.get("slug")
    if slug is not None and (wrong := validate({"slug": slug}, {"slug": MATERIAL_FIELDS["slug"]}, where,
                                               material=False)):
        problems += [Problem(where, f"{key}.slug", p.message, p.fix) for p in wrong]
    return problems


def load_chapters(docs: Path, layout: Layout, problems: list[Problem],
                  markdown: list[str] | None = None) -> list[Chapter]:
    chapters = []
    seen: dict[str, str] = {}
    if markdown is None:
        markdown = scan_docs(docs, [])
    for rel in _markdown_files(docs, layout.guide_dir, markdown):
        doc = _read(docs, rel, problems)
        if doc is None:
            continue
        found = validate(doc.metadata, CHAPTER_FIELDS, rel, _template_choices(layout))
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


def _template_choices(layout: Layout) -> dict[str, set[str]]:
    return {"templates": set(layout.templates)} if layout.templates is not None else {}


def load_posts(docs: Path, layout: Layout, choices: dict[str, set[str]],
               problems: list[Problem], markdown: list[str] | None = None) -> list[Post]:
    """Every post; `themes` is required only when the site has a guide (themes to choose from)."""
    required = frozenset(layout.post_required) | {"date"}
    if choices.get("themes"):
        required |= {"themes"}
    choices = {**choices, **_template_choices(layout)}
    posts = []
    if markdown is None:
        markdown = scan_docs(docs, [])
    settings = (tuple(sorted((k, frozenset(v)) for k, v in choices.items())), required)
    for rel in _markdown_files(docs, layout.posts_dir, markdown):
        text = _read_text(docs, rel, problems)
        if text is None:
            continue
        found, post = _post(rel, text, settings)
        problems.extend(found)
        if post is not None:
            posts.append(post)
    posts.sort(key=lambda p: (p.date, p.path), reverse=True)
    return posts


@functools.lru_cache(maxsize=8192)
def _post(rel: str, text: str, settings: tuple) -> tuple[tuple[Problem, ...], Post | None]:
    """A post from its text, and what is wrong with it: the same text under the same settings
    gives the same answer, so `winwin serve` reads again only the posts that changed (the
    Post, its meta included, is shared between builds: read it, never change it)."""
    choices, required = dict(settings[0]), settings[1]
    doc, problem = _parse(rel, text)
    if doc is None:
        return (problem,), None
    found = validate(doc.metadata, POST_FIELDS, rel, choices, required)
    meta = doc.metadata
    title = meta.get("title") or first_heading(doc.content) or Path(rel).stem.replace("-", " ")
    if not meta.get("title") and (wrong := text_problem(title, plain=True, max_length=TITLE_MAX)):
        found.append(Problem(rel, "title", f"(from the first heading) {wrong}", wrong.fix))
    if any(not p.warning for p in found):
        return tuple(found), None
    return tuple(found), Post(
        path=rel, title=title, date=as_datetime(meta["date"]),
        authors=tuple(meta.get("authors") or ()), themes=tuple(meta.get("themes") or ()),
        tags=tuple(meta.get("tags") or ()), description=meta.get("description") or "",
        draft=bool(meta.get("draft", False)), meta=dict(meta),
    )


def load_pages(docs: Path, layout: Layout, problems: list[Problem], markdown: list[str]) -> dict[str, dict]:
    """Every other page's front matter, checked for Material's keys and what Material prints raw."""
    ours = (layout.guide_dir.strip("/") + "/", layout.posts_dir + "/")
    pages = {}
    for rel in markdown:
        if rel.startswith(ours) and not rel.endswith("index.md"):
            continue
        doc = _read(docs, rel, problems)
        if doc is not None:
            problems.extend(validate(doc.metadata, PAGE_FIELDS, rel, _template_choices(layout), typos=False))
            pages[rel] = dict(doc.metadata)
    return pages


def post_address(post: Post, url_format: str) -> tuple:
    """What Material's blog builds a post's address from, under `post_url_format`."""
    from pymdownx.slugs import slugify  # Material's default post_slugify

    slug = post.meta.get("slug") or slugify(case="lower")(post.title, "-")
    categories = post.meta.get("categories") or [""]
    return (
        slug,
        post.date.date() if "{date}" in url_format else None,
        categories[0] if "{categories}" in url_format else None,
        Path(post.path).stem if "{file}" in url_format else None,
    )


def address_clashes(posts: list[Post], url_format: str) -> list[Problem]:
    """Posts Material's blog would write to the same address: one of them would be lost."""
    seen: dict[tuple, Post] = {}
    problems = []
    for post in sorted(posts, key=lambda p: p.path):
        key = post_address(post, url_format)
        if key in seen:
            how = "its 'slug:'" if post.meta.get("slug") else "its title"
            problems.append(Problem(post.path, "slug", f"gives the same address as {seen[key].path} "
                                    f"(the slug '{key[0]}', from {how}), so one of the two posts would be lost",
                                    "give one of them another 'slug:' or title"))
        seen.setdefault(key, post)
    return problems


def load_site(docs_dir: str | os.PathLike, layout: Layout = Layout()) -> Site:
    """Read and validate every chapter, post, page and author; never stop at the first problem."""
    docs = Path(docs_dir)
    problems: list[Problem] = layout_problems(layout)
    if problems:
        return Site((), (), {}, tuple(problems))
    markdown = scan_docs(docs, problems)
    authors = load_authors(docs, layout, problems)
    chapters = load_chapters(docs, layout, problems, markdown)
    choices = {"authors": set(authors), "themes": {c.theme for c in chapters}}
    posts = load_posts(docs, layout, choices, problems, markdown)
    pages = load_pages(docs, layout, problems, markdown)
    problems += address_clashes(posts, layout.post_url_format)
    return Site(tuple(chapters), tuple(posts), authors, tuple(problems), pages)
