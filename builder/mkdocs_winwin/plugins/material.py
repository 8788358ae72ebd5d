"""Workarounds for Material's blog at scale, each a no-op when upstream changes shape.

- Constant-time `page in blog.posts` and `page in view.pages` (PostList, speed_up).
- Each post's excerpt converted once, relinked per listing page (render_excerpts_once).
- Post front matter through libyaml, each distinct text parsed once (fast_front_matter).
- Templates not re-checked on disk within one build (templates_fixed_per_build).
- Excerpt Markdown converters built on first use (lazy_excerpt_markdown).
- The site navigation rendered once per state, not once per page (nav_once).
- Material's translations looked up once per key (translations_once).
- Posts made again as copies in `winwin serve` (MadePost, post_makers).
- Babel's date formats remembered per date, format and language (remembered_dates).

Constant-time `page in blog.posts`:

Material's blog asks `page in self.blog.posts` in two handlers for every page
it renders. On a list that is a scan calling `Page.__eq__` for each post:
1.67 million calls in a 1000-post build, growing with the square of the post
count. The posts are the very Page objects MkDocs renders, so membership by
identity gives the same answers in constant time.

The same holds for a paginated view's pages (`page in nav_item.pages` in
Material's nav-item.html, `view.pages.index(view)` in its blog): asked for
every listing page the navigation is rendered for, a million comparisons at
5000 posts.

Touches attributes of Material's plugin and does nothing when they are not
what it expects, so a change upstream can only lose the speed-up.
"""

from __future__ import annotations

from ..content.loader import Layout
from ..content.yamlfile import remembered

import copy
import datetime as dt
import functools
import os
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit, urlunsplit

import yaml
from jinja2 import meta, nodes
from jinja2.environment import TemplateModule
from jinja2.utils import _PassArg  # Jinja's marker of context filters (private, stable since 3.0)
from mkdocs.config.base import Config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_build_date, get_relative_url


class PostList(list):
    """A list whose `in` and `index` go by identity through a mapping, kept in step with
    every change (an item that is not in it by identity is looked up as a list does)."""

    # Digested by its items (incremental.fingerprint): the mapping is derived from them,
    # and holds identities that differ from one build to the next.
    digest_as_list = True

    def __init__(self, items=()):
        super().__init__(items)
        self._reindex()

    def _reindex(self) -> None:
        self._at: dict[int, int] = {}
        for at, item in enumerate(self):
            self._at.setdefault(id(item), at)

    def __contains__(self, item) -> bool:
        return id(item) in self._at

    def index(self, item, *args):
        at = self._at.get(id(item))
        if at is not None and not args:
            return at
        return super().index(item, *args)

    def append(self, item) -> None:
        super().append(item)
        self._at.setdefault(id(item), len(self) - 1)


def _changes_reindex(name: str):
    change = getattr(list, name)

    def changed(self, *args, **kwargs):
        result = change(self, *args, **kwargs)
        self._reindex()
        return result

    changed.__name__ = name
    return changed


for _name in ("extend", "insert", "remove", "pop", "clear", "sort", "reverse", "__setitem__", "__delitem__",
              "__iadd__"):
    setattr(PostList, _name, _changes_reindex(_name))


def _views(view) -> list:
    """A blog's views (index, archive, categories, profiles), nested ones too, and their pages."""
    found, todo = [], [view]
    while todo:
        item = todo.pop()
        found.append(item)
        children = getattr(item, "views", None)
        todo.extend(children if isinstance(children, list) else ())
        pages = getattr(item, "pages", None)
        found.extend(pages if isinstance(pages, list) else ())
    return found


def speed_up(plugins) -> int:
    """Wrap the post list of every Material blog instance, and the page lists of its views
    (a paginated view and its pages 2, 3... share one); return how many posts lists were wrapped."""
    wrapped = 0
    for plugin in plugins.values():
        view = getattr(plugin, "blog", None)
        posts = getattr(view, "posts", None)
        if type(posts) is list:  # noqa: E721 - exactly a list, nothing of ours or theirs
            view.posts = PostList(posts)
            wrapped += 1
        if view is not None and isinstance(getattr(view, "views", None), list):
            lists: dict[int, PostList] = {}
            for item in _views(view):
                pages = getattr(item, "pages", None)
                if type(pages) is list:  # noqa: E721
                    item.pages = lists.setdefault(id(pages), PostList(pages))
    return wrapped


# -----------------------------------------------------------------------------
# Each post's excerpt converted once, not once per listing page.
#
# Material's blog converts a post's whole Markdown again for every listing page
# showing its excerpt (`_render_post` -> `Excerpt.render`), because its links
# are relative to that page: 2000 extra conversions at 1000 posts, a fifth of
# the build. The links are the only part that depends on the listing page, and
# only two tree processors write them: MkDocs' `relpath` (links to files) and
# the blog's `excerpt` (the post's own anchors). So the excerpt is converted
# once with those two writing a marker holding the target's site URL instead
# of a relative link, and each listing page gets the template with every
# marker replaced by `get_relative_url(target, page.url)`: what the two
# processors would have written. Anything unexpected (the processors missing,
# a link that does not decode, a post that contains the marker characters)
# leaves that excerpt on Material's own render.

_OPEN, _CLOSE = "\ue000", "\ue001"  # Unicode private use: never written by Markdown or MkDocs
_MARKED = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
# A directory URL no site has: a link relative to it is "../" + the target's URL.
_BASE_URL = "winwin-excerpt-base\ue002/"


class _CannotMark(Exception):
    """A link the marker scheme cannot represent exactly: render this excerpt as Material does."""


def _target_of(relative: str) -> str:
    """The site URL whose link from _BASE_URL is `relative` (exact, or _CannotMark)."""
    if relative == "..":
        target = ""
    elif relative.startswith("../"):
        target = relative[3:] or "./"
    else:
        raise _CannotMark(relative)
    if get_relative_url(target, _BASE_URL) != relative:
        raise _CannotMark(relative)
    return target


def _mark(relative: str) -> str:
    """A link written relative to _BASE_URL, as a marker (fragment and query kept as they are)."""
    _, _, path, query, fragment = urlsplit(relative)
    return urlunsplit(("", "", _OPEN + _target_of(path) + _CLOSE, query, fragment))


class _Base:
    """Stands in for the listing page while the template is rendered: only its URL is read."""

    url = _BASE_URL


class ExcerptOnce:
    """Replaces one excerpt's `render(page, separator)`: convert once, relink per page."""

    def __init__(self, excerpt, relpath, anchors, shortcut: ExcerptShortcut | None = None) -> None:
        self.excerpt, self.relpath, self.anchors = excerpt, relpath, anchors
        self.original = type(excerpt).render.__get__(excerpt)
        self.template: tuple | None = None  # (separator, content, more, toc tokens)
        self.fallback = False
        self.shortcut = shortcut
        self.shortened = False  # the last conversion was of the part before the separator only

    def __call__(self, page, separator: str):
        excerpt = self.excerpt
        if self.fallback:
            return self.original(page, separator)
        if self.template is None or self.template[0] != separator:
            try:
                self.template = self._convert(separator)
            except _CannotMark:
                self.fallback = True
                return self.original(page, separator)
        _, content, more, tokens = self.template
        excerpt.content = self._relink(content, page.url)
        if more is not None:
            excerpt.more = self._relink(more, page.url)
        excerpt.toc = get_toc(tokens)  # a new TableOfContents; get_toc only reads the tokens
        excerpt.file.url = excerpt.post.url

    @staticmethod
    def _relink(html: str, url: str) -> str:
        return _MARKED.sub(lambda m: get_relative_url(m.group(1), url), html)

    def _convert(self, separator: str) -> tuple:
        excerpt, relpath, anchors = self.excerpt, self.relpath, self.anchors
        source = excerpt.post.markdown + excerpt.post.title
        if _OPEN in source or _CLOSE in source:
            raise _CannotMark("marker characters in the post")
        to_url, run = relpath.path_to_url, anchors.run

        def path_to_url(url: str) -> str:
            out = to_url(url)
            # MkDocs returns the very string it was given when it leaves a
            # link alone (external, self-anchor, unresolved), a new one when
            # it made it relative to the page.
            return url if out is url else _mark(out)

        def run_anchors(root):
            own = [el for el in root.iter("a") if (el.get("href") or "").startswith("#")]
            run(root)
            for el in own:
                el.set("href", _mark(el.get("href")))

        relpath.path_to_url, anchors.run = path_to_url, run_anchors
        excerpt.more = None
        md, shortcut, self.shortened = excerpt.md, self.shortcut, False
        more_left = []  # what `excerpt.more` is when only the part before the separator was converted
        if shortcut is not None:
            convert, html = md.convert, getattr(excerpt.post, "content", None)

            def convert_excerpt(text: str) -> str:
                short = shortcut.source(text, separator, html)
                self.shortened = short is not None
                if short is None:
                    return convert(text)
                more_left[:] = [short[1]]
                return convert(short[0])

            md.convert = convert_excerpt
        try:
            self.original(_Base(), separator)
        finally:
            del relpath.path_to_url, anchors.run  # back to the class's methods
            if shortcut is not None:
                del md.convert
        if self.shortened:
            excerpt.more = more_left[0]
        return separator, excerpt.content, excerpt.more, copy.deepcopy(getattr(excerpt.md, "toc_tokens", []))


# -----------------------------------------------------------------------------
# An excerpt converted from the part of the post before its separator.
#
# Material converts a post's whole Markdown for its excerpt and cuts the HTML at
# the separator: for a long post with a short excerpt, most of that work is
# thrown away (the excerpts were a sixth of a clean build at 1000 posts). The
# part before the separator converts to the same HTML on its own when nothing
# after it reaches back: checked on each post, else the whole post is converted
# as Material does. The part after it is then not converted at all, so
# `excerpt.more` only says whether there is more (a placeholder, or ""): used
# only when every template but Material's reads no more of it than that
# (`{% if post.more %}`, as Material's post.html does). What is checked:
# - the settings: only Markdown extensions known to work within a document's
#   blocks (Python-Markdown's, PyMdown's, Material's);
# - the separator: on a line of its own after a blank line, once in the post,
#   and once in the post's own page, outside any element (every tag before it
#   closed);
# - after it: no definition of any kind (`]:` covers references, footnotes and
#   abbreviations), no explicit id (the table of contents numbers headings
#   around ids), no level-one heading (the excerpt's table of contents lists
#   them), no snippet;
# - before it: no table-of-contents or footnotes marker (they would gather
#   what comes after).

MORE_NOT_CONVERTED = "<!-- winwin: the rest of the post, not converted for the excerpt -->"
_LOCAL_EXTENSIONS = frozenset({
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks", "material.extensions.emoji",
    *(f"pymdownx.{name}" for name in (
        "arithmatex", "betterem", "caret", "critic", "details", "emoji", "escapeall", "highlight",
        "inlinehilite", "keys", "magiclink", "mark", "progressbar", "saneheaders", "smartsymbols", "snippets",
        "superfences", "tabbed", "tasklist", "tilde", "blocks.admonition", "blocks.details", "blocks.tab",
        "blocks.html", "blocks.definition", "blocks.caption")),
})
_REACHES_BACK = re.compile(r"\]:|\{[^}\n]*#|\bid\s*=|--8<--|<h1\b|^ {0,3}#(?:[ \t]|$)|^ {0,3}=+[ \t]*$",
                           re.MULTILINE | re.IGNORECASE)
_MENTIONS_MORE = re.compile(r"{[{%][^}]*\bmore\b[^}]*[}%]}")
_TESTS_MORE = re.compile(r"{%-?\s*if\s+\w+\.more\s*-?%}")  # Material's post.html: only whether there is more
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


class _OpenTags(HTMLParser):
    """How many elements are open at the end of some HTML (negative: a stray end tag)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.open += tag not in _VOID

    def handle_endtag(self, tag) -> None:
        self.open -= tag not in _VOID
        if self.open < 0:
            self.open = -(10**6)


def _top_level(html: str) -> bool:
    parser = _OpenTags()
    parser.feed(html)
    parser.close()
    return parser.open == 0 and not parser.rawdata


class ExcerptShortcut:
    """Whether, and from what, an excerpt can be converted without the rest of its post."""

    def __init__(self, markers: tuple[str, ...]) -> None:
        self.markers = markers  # text before the separator that gathers the whole document

    def source(self, text: str, separator: str, page_html: str | None) -> tuple[str, str] | None:
        """(the Markdown before the separator and the separator, what `excerpt.more` is then),
        or None: convert the whole post."""
        if not separator or text.count(separator) != 1:
            return None
        lines = text.split("\n")
        at = next((i for i, line in enumerate(lines) if line.rstrip() == separator), None)
        if at is None or at == 0 or lines[at - 1].strip() or (at + 1 < len(lines) and lines[at + 1].strip()):
            return None
        head, tail = "\n".join(lines[:at]), "\n".join(lines[at + 1:])
        if _REACHES_BACK.search(tail) or any(marker and marker in head for marker in self.markers):
            return None
        if not page_html or page_html.count(separator) != 1 or not _top_level(page_html[:page_html.find(separator)]):
            return None
        return head + "\n" + separator + "\n", MORE_NOT_CONVERTED if tail.strip() else ""


def excerpt_shortcut(config) -> ExcerptShortcut | None:
    """The shortcut for this site's settings and templates, or None when it cannot be used."""
    names = [name.removeprefix("markdown.extensions.") for name in getattr(config, "markdown_extensions", None) or ()
             if isinstance(name, str)]
    if len(names) != len(config.markdown_extensions or ()) or not set(names) <= _LOCAL_EXTENSIONS:
        return None
    if not templates_only_test_more(config):
        return None
    mdx = config.mdx_configs or {}
    markers = (str((mdx.get("toc") or {}).get("marker", "[TOC]")),
               str((mdx.get("footnotes") or {}).get("PLACE_MARKER", "///Footnotes Go Here///")))
    return ExcerptShortcut(markers)


def templates_only_test_more(config) -> bool:
    """Whether the theme's templates read no more of an excerpt's `more` than whether there is
    any (`{% if post.more %}`, as Material's own do): no other template mentions `more`.
    Read once per build (the config of the last build asked is remembered)."""
    if _MORE_CHECKED[0] is config:
        return _MORE_CHECKED[1]
    answer = _only_test_more(config)
    _MORE_CHECKED[:] = [config, answer]
    return answer


_MORE_CHECKED: list = [None, False]  # [the config last asked about, its answer]


def _only_test_more(config) -> bool:
    material = _installed_material()
    for folder in getattr(config.theme, "dirs", ()):
        if material and os.path.realpath(folder).startswith(material):
            continue
        for root, _, files in os.walk(folder):
            for name in files:
                if name.endswith(".html"):
                    with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                        if any(not _TESTS_MORE.fullmatch(m.group()) for m in _MENTIONS_MORE.finditer(f.read())):
                            return False
    return True


def render_excerpts_once(plugins, shortcut: ExcerptShortcut | None = None) -> int:
    """Give every post excerpt of every Material blog a convert-once render; return how many."""
    done = 0
    for plugin in plugins.values():
        posts = getattr(getattr(plugin, "blog", None), "posts", None)
        for post in posts if isinstance(posts, list) else ():
            excerpt = getattr(post, "excerpt", None)
            md = getattr(excerpt, "md", None)
            processors = getattr(md, "treeprocessors", None)
            try:
                relpath, anchors = processors["relpath"], processors["excerpt"]
            except (TypeError, KeyError):
                continue
            if not (hasattr(relpath, "path_to_url") and hasattr(anchors, "run") and hasattr(anchors, "base")
                    and hasattr(excerpt, "post") and hasattr(excerpt, "file")
                    and callable(getattr(type(excerpt), "render", None))):
                continue
            once = excerpt.__dict__.get("render")
            if not isinstance(once, ExcerptOnce):
                once = excerpt.render = ExcerptOnce(excerpt, relpath, anchors)
            once.shortcut = shortcut
            done += 1
    return done


# -----------------------------------------------------------------------------
# Posts made again as copies in `winwin serve` (MadePost, post_makers).
#
# Material's blog makes every post anew from its file on every build
# (`_resolve_post`: it reads the file, parses and validates the front matter,
# works out the URL): a sixth of a one-post rebuild at 1000 posts. A post is
# made from its file's text and the settings alone, so a caller that keys
# those (incremental.memo) can keep what the blog made and hand a later build
# a deep copy of it, as the blog would have made it, before any later step of
# the blog touched it.


class MadePost:
    """The state of a post just as the blog's `_resolve_post` made it, and where its file goes."""

    def __init__(self, post, logs: list) -> None:
        file = post.file
        self.type = type(post)
        self.state = _copied({name: value for name, value in vars(post).items() if name != "file"}, {})
        self.dest = (file.dest_uri, file.abs_dest_path, file.url)
        self.logs = logs  # what making it logged (a validation warning), to log again

    def make(self, file):
        post = self.type.__new__(self.type)
        vars(post).update(_copied(self.state, {}))
        post.file = file
        file.page = post
        file.dest_uri, file.abs_dest_path, file.url = self.dest
        if "update_date" in self.state:
            post.update_date = get_build_date()  # the build's date, as Page.__init__ sets it
        return post


_IMMUTABLE = (str, bytes, int, float, bool, type(None), dt.date, dt.time, dt.timedelta, dt.tzinfo)
_PLAIN = frozenset({str, int, float, bool, type(None), dt.datetime, dt.date})  # the common ones, by type


def _copied(value, memo: dict):
    """A deep copy that keeps shared parts shared (`memo`, by identity, as copy.deepcopy's), and
    copies by their state the objects deepcopy cannot: a post's settings (a Config) and its date
    (a dict whose attribute look-up answers every name)."""
    t = type(value)
    if t in _PLAIN or isinstance(value, _IMMUTABLE):
        return value
    known = memo.get(id(value))
    if known is not None:
        return known
    memo.setdefault("alive", []).append(value)  # no id reused while the copy runs
    if t is dict:
        twin = memo[id(value)] = {}
        for k, v in value.items():
            twin[k] = v if type(v) in _PLAIN else _copied(v, memo)
        return twin
    if t is list:
        twin = memo[id(value)] = []
        twin.extend(v if type(v) in _PLAIN else _copied(v, memo) for v in value)
        return twin
    if t in (set, frozenset) and all(type(v) in _PLAIN for v in value):
        twin = memo[id(value)] = t(value)
        return twin
    if hasattr(value, "__dict__") and (isinstance(value, (Config, dict))
                                         or t.__module__.startswith(("mkdocs.", "material."))):
        twin = memo[id(value)] = t.__new__(t)
        if isinstance(value, dict):
            dict.update(twin, ((k, _copied(v, memo)) for k, v in value.items()))
        if isinstance(value, list):
            list.extend(twin, (_copied(item, memo) for item in value))
        vars(twin).update((k, _copied(v, memo)) for k, v in vars(value).items())
        return twin
    return copy.deepcopy(value, memo)


def post_makers(config) -> list:
    """The Material blog instances whose posts can be made as copies: none when the meta
    plugin is on (it merges files other than the post's into its front matter)."""
    if "material/meta" in config.plugins:
        return []
    try:
        from material.plugins.blog.plugin import BlogPlugin
    except ImportError:
        return []
    return [plugin for plugin in config.plugins.values()
            if isinstance(plugin, BlogPlugin) and callable(getattr(plugin, "_resolve_post", None))]


# -----------------------------------------------------------------------------
# Front matter of posts through libyaml, each distinct text parsed once.
#
# Material's blog parses every post's front matter with PyYAML's pure-Python
# SafeLoader (a tenth of the build at 1000 posts); the C loader builds the same
# values with the same constructor, about ten times faster. And in `winwin
# serve` it parses all of them again on every rebuild: a text seen before is
# given a copy of its values instead. Only the name the blog module looks up is
# swapped, and only while it is PyYAML's SafeLoader.


def _safe_load(stream):
    loader = yaml.CSafeLoader(stream)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


_remembered_safe_load = remembered(_safe_load)


class RememberedSafeLoader:
    """For `yaml.load(text, RememberedSafeLoader)`: libyaml's safe loading, a copy of the values
    when the same text was parsed before (Material changes the mapping it gets)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def get_single_data(self):
        if isinstance(self._stream, str):
            return _remembered_safe_load(self._stream)
        return _safe_load(self._stream)

    def dispose(self) -> None:
        pass


def fast_front_matter() -> bool:
    """Point Material's blog at RememberedSafeLoader; True when it now uses it."""
    try:
        from material.plugins.blog import structure
    except ImportError:
        return False
    if getattr(yaml, "CSafeLoader", None) is None:
        return False
    if getattr(structure, "SafeLoader", None) in (yaml.SafeLoader, yaml.CSafeLoader):
        structure.SafeLoader = RememberedSafeLoader
    return getattr(structure, "SafeLoader", None) is RememberedSafeLoader


# -----------------------------------------------------------------------------
# Dates formatted once per date, format and language (remembered_dates).
#
# Material's blog formats every post's date with Babel twice per build for its
# archive (its name and its URL), and a template's `date` filter once per
# page that shows it: about 25 microseconds each, the same answers every
# build. Babel's answer depends on the date, its time zone, the format and the
# language only.


class _RememberedDates:
    def __init__(self, original) -> None:
        self.original = original
        self.cached = functools.lru_cache(maxsize=16384)(self._format)

    def _format(self, date, kind, zone, format, locale):
        return self.original(date, format=format, locale=locale)

    def __call__(self, *args, **kwargs):
        # Material's call, (date, format=..., locale=...), through the cache; any other as asked.
        date, format, locale = (args or (None,))[0], kwargs.get("format"), kwargs.get("locale")
        if len(args) != 1 or kwargs.keys() != {"format", "locale"} or not isinstance(date, (dt.date, dt.time)) \
                or not isinstance(format, str) or not isinstance(locale, str):
            return self.original(*args, **kwargs)
        zone = getattr(date, "tzinfo", None)
        # Equal instants in two zones are equal datetimes: the zone is part of the key.
        return self.cached(date, type(date), (repr(zone), date.utcoffset() if zone else None), format, locale)


def remembered_dates() -> bool:
    """Give Material's blog Babel's date formatting through a cache; True when it has it."""
    try:
        import babel.dates
        from material.plugins.blog import plugin
    except ImportError:
        return False
    for name in ("format_date", "format_datetime"):
        if getattr(plugin, name, None) is getattr(babel.dates, name):
            setattr(plugin, name, _RememberedDates(getattr(babel.dates, name)))
    return all(isinstance(getattr(plugin, name, None), _RememberedDates) for name in ("format_date", "format_datetime"))


# -----------------------------------------------------------------------------
# Templates checked for changes once per build, not on every include.
#
# Jinja's default `auto_reload` stats a template's file each time it is looked
# up: 49,000 look-ups (includes and imports) in a 1000-post build. MkDocs makes
# a new environment for every build, so within one build nothing can change.


def templates_fixed_per_build(env) -> None:
    if getattr(env, "auto_reload", None) is True:
        env.auto_reload = False


# -----------------------------------------------------------------------------
# Excerpt converters built when first used.
#
# Material's blog builds a Markdown converter for every post's excerpt when it
# reads the post (5 ms each with the usual extensions: 1000 of them are a
# tenth of an incremental rebuild), although a rebuild whose excerpts are
# unchanged never converts them. The module's `Markdown` is replaced by a
# stand-in that records the processors the blog registers and builds the real
# converter, with them, on first use.


class _PendingProcessors:
    """The tree processors registered before the converter exists; anything else builds it."""

    def __init__(self, lazy: LazyMarkdown) -> None:
        self._lazy = lazy

    def register(self, item, name: str, priority: float) -> None:
        self._lazy._pending.append((item, name, priority))

    def __getitem__(self, key):
        if isinstance(key, str):
            for item, name, _ in self._lazy._pending:
                if name == key:
                    return item
        return self._lazy.materialize().treeprocessors[key]

    def __getattr__(self, name: str):
        return getattr(self._lazy.materialize().treeprocessors, name)

    def __contains__(self, key) -> bool:
        return key in self._lazy.materialize().treeprocessors

    def __iter__(self):
        return iter(self._lazy.materialize().treeprocessors)

    def __len__(self) -> int:
        return len(self._lazy.materialize().treeprocessors)


class LazyMarkdown:
    """markdown.Markdown(**kwargs), built on first use with the processors registered meanwhile."""

    def __init__(self, **kwargs) -> None:
        self._kwargs = kwargs
        self._pending: list[tuple] = []
        self._real = None
        self.treeprocessors = _PendingProcessors(self)

    def materialize(self):
        if self._real is None:
            import markdown

            real = markdown.Markdown(**self._kwargs)
            for item, name, priority in self._pending:
                real.treeprocessors.register(item, name, priority)
            self._real = real
            self.treeprocessors = real.treeprocessors
        return self._real

    def __getattr__(self, name: str):
        return getattr(self.materialize(), name)


def lazy_excerpt_markdown() -> bool:
    """Have Material's excerpts build their converter on first use; True when they now do."""
    try:
        import markdown
        from material.plugins.blog import structure
    except ImportError:
        return False
    if getattr(structure, "Markdown", None) is markdown.Markdown:
        structure.Markdown = LazyMarkdown
    return getattr(structure, "Markdown", None) is LazyMarkdown


def blog_layout(config, **more) -> Layout:
    """The content Layout with where Material's blog keeps its posts (its blog_dir, post_dir
    and post_url_format settings), or Material's defaults when the site has no blog."""
    blog = config.plugins.get("material/blog")
    if blog is not None:
        more = {"blog_dir": blog.config.blog_dir, "post_dir": blog.config.post_dir,
                "post_url_format": blog.config.post_url_format, **more}
    return Layout(**more)


def blog_posts(plugins) -> list:
    """The posts of Material's blog (drafts it leaves out already gone), or [] when its shape changed."""
    blog = plugins.get("material/blog")
    posts = getattr(getattr(blog, "blog", None), "posts", None)
    return list(posts) if isinstance(posts, list) else []


# -----------------------------------------------------------------------------
# The site navigation rendered once per state, not once per page.
#
# Every page carries the whole navigation (partials/nav.html, included by the
# `site_nav` block: a tenth of a build at 1000 posts, and the same on all
# posts). For a page outside the navigation (a blog post, a tag page) its HTML
# can differ between two pages only through what the templates read of them:
# which items are active, the context values they read, and the links the
# `url` filter makes relative to the page. So each render is kept with every
# link it made, and given again to a page whose navigation state and context
# values are the same objects and for which the filter, called again, gives
# the same links. Not reused (rendered as usual):
# - a page the navigation lists (it reads its table of contents);
# - when a template of the navigation other than Material's or winwin's reads
#   `page` or uses a filter, test or function that reads the whole context
#   (found as each template is first loaded: it turns the reuse off for the
#   rest of the build).
# A new Jinja environment comes with every build, and so a new NavOnce.

NAV_TEMPLATE = "partials/nav.html"
_SCALARS = (str, int, float, bool, type(None))


class NavOnce:
    """Per build (per Jinja environment): the navigation's renders and the links each made."""

    MAX_VARIANTS = 16  # per state: pages at other depths write other relative links

    def __init__(self, env, trusted: tuple[str, ...]) -> None:
        self.env, self.trusted = env, trusted
        self.renders: dict[tuple, list[tuple[list, list[str]]]] = {}
        self.reads: set[str] = set()  # names the navigation's templates read from their context
        self.analysed: set[str] = set()
        self.alive: list[object] = []  # objects whose id() is in a key stay alive: no id reuse
        self.members: dict[int, _Members] = {}  # id(nav) -> its items, sections and listing pages
        self.modules: set[str] = set()  # templates of the imported modules the navigation reads
        self.disabled = False
        self.hits = self.renders_done = 0
        self._recording: list | None = None
        self._loaded: list | None = None
        url = env.filters.get("url")
        if url is None or _PassArg.from_obj(url) is not _PassArg.context:
            self.disabled = True
            return
        self.url = url

        def recorded_url(context, value):
            out = url(context, value)
            if self._recording is not None:
                self._recording.append((value, out))
            return out

        recorded_url.jinja_pass_arg = _PassArg.context
        env.filters["url"] = recorded_url
        get = env.get_template

        def get_template(name, parent=None, globals=None):
            template = get(name, parent, globals)
            if self._loaded is not None:
                self._loaded.append(template)
            if name == NAV_TEMPLATE and parent is not None and not self.disabled:
                return _NavPartial(template, self)
            return template

        env.get_template = get_template

    # -- the key --------------------------------------------------------------

    def _members(self, nav) -> _Members:
        tree, listed, todo = [], [], list(nav.items)
        while todo:
            item = todo.pop()
            tree.append(item)
            todo.extend(getattr(item, "children", None) or ())
            pages = getattr(item, "pages", None)
            if isinstance(pages, list):
                listed.extend(pages)
        return _Members(tree, [*tree, *listed])

    def key(self, context) -> tuple | None:
        page, nav = context.get("page"), context.get("nav")
        if self.disabled or page is None or nav is None:
            return None
        members = self.members.get(id(nav))
        if members is None:
            members = self.members[id(nav)] = self._members(nav)
            self.alive.append(nav)
        if members.holds(page):
            return None
        values = tuple((name, self._value_key(context.get(name, _MISSING))) for name in sorted(self.reads - {"page"}))
        return id(nav), tuple(bool(getattr(item, "active", False)) for item in members.tree), values

    def _value_key(self, value) -> tuple:
        """Equal for two values a template cannot tell apart."""
        if isinstance(value, _SCALARS):
            return (type(value).__name__, value)
        if type(value) in (list, tuple) and all(isinstance(v, _SCALARS) for v in value):
            return (type(value).__name__, *map(self._value_key, value))
        if isinstance(value, TemplateModule) and isinstance(getattr(value, "__name__", None), str):
            # `lang`, imported anew for every page: the same when its template is (see _learn).
            self.modules.add(value.__name__)
            return ("module", value.__name__)
        self.alive.append(value)
        return ("id", id(value))

    # -- rendering ------------------------------------------------------------

    def render(self, template, context):
        key = self.key(context)
        if key is not None:
            for links, parts in self.renders.get(key, ()):
                if all(self.url(context, value) == out for value, out in links):
                    self.hits += 1
                    yield from parts
                    return
        self._recording, self._loaded = [], [template]  # the navigation never includes itself
        try:
            parts = list(template.root_render_func(context))
            links, templates = self._recording, self._loaded
        finally:
            self._recording = self._loaded = None
        self.renders_done += 1
        if key is not None and self._learn(templates):
            # The templates read names the key did not have yet: the key changed shape.
            self.renders.clear()
        elif key is not None and len(self.renders.setdefault(key, [])) < self.MAX_VARIANTS:
            self.renders[key].append((links, parts))
        yield from parts

    def _learn(self, templates) -> bool:
        """Read what newly loaded templates read; True when that adds names (or turns reuse off)."""
        before = set(self.reads)
        for name in sorted(self.modules - self.analysed):
            try:
                templates.append(self.env.get_template(name))
            except Exception:  # noqa: BLE001 - a module we cannot load again: do not reuse
                self.disabled = True
                return True
        for template in templates:
            name = getattr(template, "name", None)
            if name in self.analysed:
                continue
            self.analysed.add(name)
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
                tree = self.env.parse(source)
            except Exception:  # noqa: BLE001 - a template we cannot read again: do not reuse
                self.disabled = True
                return True
            names = meta.find_undeclared_variables(tree)
            self.reads |= names
            if self._is_trusted(filename):
                continue
            context_readers = [n.name for n in tree.find_all((nodes.Filter, nodes.Test))
                               if n.name != "url" and self._reads_context(self.env.filters.get(n.name)
                                                                         or self.env.tests.get(n.name))]
            context_readers += [n.node.name for n in tree.find_all(nodes.Call) if isinstance(n.node, nodes.Name)
                                and self._reads_context(self.env.globals.get(n.node.name))]
            if "page" in names or context_readers:
                self.disabled = True
                return True
        return self.reads != before

    def _is_trusted(self, filename: str | None) -> bool:
        return bool(filename) and os.path.realpath(filename).startswith(self.trusted)

    def _reads_context(self, function) -> bool:
        return function is not None and _PassArg.from_obj(function) is _PassArg.context


_MISSING = object()


class _Members:
    """What a navigation holds, asked of every page: in constant time, not one comparison
    per item (a 5000-post blog's navigation lists a thousand listing pages)."""

    def __init__(self, tree: list, every: list) -> None:
        self.tree = tree  # items and sections: their `active` flags are the state
        self.ids = {id(item) for item in every}
        # Equal to a page (what `page in items` and `item == page` ask) means, for
        # MkDocs' pages, the same title and file: the same source file is enough here.
        self.sources = {item.file.src_uri for item in every if isinstance(getattr(item, "file", None), File)}
        self.odd = [item for item in every if type(item).__eq__ not in (object.__eq__, Page.__eq__)]

    def holds(self, page) -> bool:
        file = getattr(page, "file", None)
        return (id(page) in self.ids or (isinstance(file, File) and file.src_uri in self.sources)
                or any(item == page for item in self.odd))


class _TemplateProxy:
    """A Jinja template as the code that loaded it sees it, one method changed by a subclass."""

    def __init__(self, template, helper) -> None:
        self._template, self._helper = template, helper

    def __getattr__(self, name: str):
        return getattr(self._template, name)


class _NavPartial(_TemplateProxy):
    """The navigation template as an include sees it, rendered through NavOnce."""

    def root_render_func(self, context):
        return self._helper.render(self._template, context)


def _installed_material() -> str | None:
    """Material's installed folder (with a trailing separator), or None."""
    try:
        import material
    except ImportError:
        return None
    return os.path.realpath(os.path.dirname(material.__file__)) + os.sep


def _material_folder(env) -> str | None:
    """Material's folder, or None when it or the Jinja environment is not as expected."""
    if not callable(getattr(env, "get_template", None)) or not hasattr(env, "filters"):
        return None
    return _installed_material()


def nav_once(env) -> NavOnce | None:
    """Render the navigation once per state in this environment's build; None when it cannot."""
    material = _material_folder(env)
    if material is None:
        return None
    here = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    once = NavOnce(env, (material, here + os.sep))
    return None if once.disabled else once


# -----------------------------------------------------------------------------
# Material's translations looked up once per key and build.
#
# Each page imports partials/language.html anew, and each `lang.t(key)` (about
# thirty a page) renders Material's macro, which builds the whole mapping of
# its language file to pick one value: 3% of a build at 1000 posts. The macro
# reads nothing of the page (its language files are imported without context),
# so its value for a key is kept per Jinja environment (one per build) and
# given again. Only Material's own language.html: a site's copy is left alone.

LANGUAGE_TEMPLATE = "partials/language.html"


class _TranslationsOnce(_TemplateProxy):
    """Material's language template, whose modules answer `t(key)` from one shared mapping."""

    def make_module(self, *args, **kwargs):
        module = self._template.make_module(*args, **kwargs)
        original, values = getattr(module, "t", None), self._helper
        if callable(original):
            def t(*key, **options):
                if options or len(key) != 1 or not isinstance(key[0], str):
                    return original(*key, **options)
                try:
                    return values[key[0]]
                except KeyError:
                    value = values[key[0]] = original(key[0])
                    return value

            module.t = t
        return module


def translations_once(env) -> dict | None:
    """Have this environment's pages share Material's translations; the mapping, or None when it cannot."""
    root = _material_folder(env)
    if root is None:
        return None
    values: dict = {}
    get = env.get_template

    def get_template(name, parent=None, globals=None):
        template = get(name, parent, globals)
        filename = getattr(template, "filename", None) or ""
        if name == LANGUAGE_TEMPLATE and os.path.realpath(filename).startswith(root):
            return _TranslationsOnce(template, values)
        return template

    env.get_template = get_template
    return values
