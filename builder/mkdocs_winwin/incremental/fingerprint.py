"""Digests of what a template render reads: equal digests, equal HTML.

A page's HTML is a function of its template context (and of the templates and
the Jinja environment, folded in once per build as the `salt`). The digest
walks that context:

- the page being rendered in depth: content, table of contents, metadata,
  post settings, authors, everything in its attributes;
- any other page it reaches (previous/next, parents, the posts of a listing)
  by what a template shows of a neighbour: class, source, URL, title,
  metadata and post settings;
- the navigation, the config and the list of pages once per build (the
  same objects for every page);
- plain values by value, functions by their code and the values they close
  over, MkDocs/Material/winwin objects by their attributes.

Anything else (an object of a type it does not know) makes the context
uncacheable: that page is rendered as usual. A cache can then only be
missed, never wrong about a value it walked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import operator
import types
from collections.abc import Callable

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

# Objects of these packages are walked by their attributes.
_KNOWN_MODULES = ("mkdocs.", "material.", "mkdocs_winwin.", "paginate")
# Attributes that hold machinery, not content: a Markdown converter (its output
# is in `content`), the convert-once render of an excerpt.
_SKIPPED_ATTRIBUTES = frozenset({"md", "render"})
# What Material's Excerpt.render (and plugins.material.ExcerptOnce) sets anew on every
# render of an excerpt, once per listing page; the rest of it does not change
# within a build (its markdown is set again to the same text).
_EXCERPT_RENDERED = ("content", "more", "toc", "file")
# Attributes of a page its shallow digest (Fingerprint._page_shallow) takes in full.
_IN_SHALLOW = frozenset({"file", "meta"})


_HANDLERS: dict[type, Callable] = {}
_LONG = 64  # a list this long is looked up by its items' identities (see Fingerprint._sequence)


def _handler_for(t: type) -> Callable:  # noqa: C901 - one dispatch, read top to bottom
    """The Fingerprint method that digests values of type `t` (the first rule that matches)."""
    f = Fingerprint
    rules: list[tuple[tuple[type, ...], Callable]] = [
        ((type(None), bool, int, float), f._scalar),
        ((str,), f._str),
        ((bytes,), f._bytes),
        ((dt.datetime, dt.date, dt.time), f._time),
        ((enum.Enum,), f._enum),
        ((Page,), f._page),
        ((MkDocsConfig,), f._mkdocs_config),
        ((Navigation,), f._nav),
        ((Section,), f._section_token),
        ((Link,), f._link),
        ((File,), f._file_token),
        ((Files,), f._files),
        ((TableOfContents,), f._toc),
        ((AnchorLink,), f._attributes),
        ((BasePlugin,), f._plugin),
        ((Config,), f._settings),
        ((types.FunctionType, types.MethodType), f._callable),
        ((functools.partial,), f._partial),
        ((types.BuiltinFunctionType, type), f._named),
    ]
    if t in (list, tuple) or (issubclass(t, list) and getattr(t, "digest_as_list", False)):
        return f._sequence
    if t is dict:
        return f._mapping
    if t in (set, frozenset):
        return f._set
    for kinds, handler in rules:
        if issubclass(t, kinds):
            return handler
    if dataclasses.is_dataclass(t):
        return f._dataclass
    return f._unknown  # lists and dicts of other classes (paginate.Page) are walked by attributes


class Uncacheable(Exception):
    """The context holds something the digest cannot vouch for."""


def digest_bytes(*parts: str | bytes) -> bytes:
    h = hashlib.sha256()  # SHA-256: hardware-assisted on current CPUs, twice BLAKE2b's speed here
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()[:20]


def digest_tokens(tokens: list[str]) -> bytes:
    """The digest of a walk's tokens: strings carry their length, so one separator is unambiguous."""
    return hashlib.sha256("\x1f".join(tokens).encode("utf-8", "surrogatepass")).digest()[:20]


class Fingerprint:
    """Context digests for one build (objects that stay the same in a build are digested once)."""

    def __init__(self, salt: bytes = b"", lenient: bool = False) -> None:
        self.salt = salt
        self.lenient = lenient  # unknown objects by type name instead of Uncacheable (config, globals)
        self._once: dict[int, str] = {}  # id -> digest of objects constant during this build
        self._alive: list[object] = []  # keeps those ids from being reused
        self._lists: dict[int, tuple] = {}  # id of a long list -> (its items, their ids, digest or None)
        self._excerpts: dict[int, str] = {}  # id -> digest of what an excerpt's render leaves alone
        self._current: object | None = None
        self.skipped: frozenset[str] = frozenset()
        # Set when no template reads more of an excerpt's `more` (the rest of the post,
        # converted) than whether it is empty: its truth is what the digest takes then.
        self.more_only_tested = False
        self._stack: set[int] = set()

    # -- public ---------------------------------------------------------------

    def context_key(self, template: str, context: dict) -> bytes | None:
        """The digest of rendering `template` with `context`, or None when it cannot be trusted."""
        self._current = context.get("page")
        out: list[str] = [template]
        try:
            for name in sorted(context):
                if name in self.skipped:
                    continue  # site-wide values no template reads (see memo.SITE_WIDE)
                out.append(name)
                self._walk(context[name], out)
        except (Uncacheable, RecursionError):
            return None
        finally:
            self._current = None
        return digest_bytes(self.salt, digest_tokens(out))

    def value(self, obj: object) -> str:
        """The digest of any value (lenient or strict as set), as hex."""
        out: list[str] = []
        self._walk(obj, out)
        return digest_tokens(out).hex()

    def once(self, obj: object, compute: Callable[[], str]) -> str:
        """A digest computed once per build for an object that does not change during it."""
        key = id(obj)
        if key not in self._once:
            self._once[key] = compute()
            self._alive.append(obj)
        return self._once[key]

    # -- walking --------------------------------------------------------------

    def _walk(self, obj: object, out: list[str]) -> None:
        t = type(obj)
        handler = _HANDLERS.get(t)
        if handler is None:
            handler = _HANDLERS[t] = _handler_for(t)
        handler(self, obj, out)

    # One handler per kind of value; _handler_for picks it once per type.

    def _scalar(self, obj, out: list[str]) -> None:
        out.append(f"{type(obj).__name__}:{obj!r}")

    def _str(self, obj: str, out: list[str]) -> None:
        out.append(f"s{len(obj)}:")
        out.append(obj)

    def _bytes(self, obj: bytes, out: list[str]) -> None:
        out.append("b:" + obj.hex())

    def _time(self, obj, out: list[str]) -> None:
        out.append(f"{type(obj).__name__}:{obj.isoformat()}:{getattr(obj, 'tzinfo', None)!r}")

    def _enum(self, obj: enum.Enum, out: list[str]) -> None:
        out.append(f"enum:{type(obj).__qualname__}.{obj.name}")

    def _sequence(self, obj, out: list[str]) -> None:
        if len(obj) >= _LONG:
            known = self._long(obj)
            if known is not None:
                out.append(known)
                return
        out.append(f"{type(obj).__name__}{len(obj)}[")
        walk, once, current = self._walk, self._once, self._current
        for item in obj:
            # A listing holds a thousand posts: those already digested in this
            # build (neighbours, by what a template shows of them) are looked up.
            known = once.get(id(item))
            if known is not None and item is not current:
                out.append(known)
            else:
                walk(item, out)
        out.append("]")

    def _long(self, obj) -> str | None:
        """The digest of a listing's thousand posts, met on every one of its pages: made once per
        build when every item is an object already digested once (a neighbour page), and found
        again while the same list holds the same items (compared by identity); None when the
        page being rendered is among them or an item was not digested once."""
        seen = self._lists.get(id(obj))
        if (seen is None or seen[2] is None or len(seen[0]) != len(obj)
                or not all(map(operator.is_, seen[0], obj))):
            items = tuple(obj)
            for item in items:  # neighbour pages: digested once now, so the first sight gives this form too
                if id(item) not in self._once and isinstance(item, Page) and item is not self._current \
                        and not isinstance(getattr(item, "post", None), Page):
                    self.once(item, functools.partial(self._page_shallow, item))
            tokens = [self._once.get(id(item)) for item in items]
            digest = None if None in tokens else "list:" + digest_tokens(tokens).hex()
            seen = self._lists[id(obj)] = (items, frozenset(map(id, items)), digest)
            self._alive.append(obj)
        return None if id(self._current) in seen[1] else seen[2]

    def _mapping(self, obj: dict, out: list[str]) -> None:
        out.append(f"dict{len(obj)}{{")
        walk = self._walk
        for k, v in obj.items():
            walk(k, out)
            walk(v, out)
        out.append("}")

    def _set(self, obj, out: list[str]) -> None:
        out.append(f"set{len(obj)}{{")
        out.extend(sorted(self.value(item) for item in obj))
        out.append("}")

    def _page(self, obj: Page, out: list[str]) -> None:
        if obj is self._current:
            self._guarded(obj, out, lambda: self._page_deep(obj, out))
        elif isinstance(getattr(obj, "post", None), Page):
            # A blog excerpt: what its render writes changes with the listing page
            # (walked every time); the rest is set before pages render (digested once).
            out.append(self._excerpt_stable(obj))
            for name in _EXCERPT_RENDERED:
                out.append(name)
                value = getattr(obj, name, None)
                if name == "more" and self.more_only_tested:
                    out.append(f"more:{bool(value)}")  # an edit below the separator leaves listings alone
                else:
                    self._walk(value, out)
        else:
            out.append(self.once(obj, lambda: self._page_shallow(obj)))

    def _excerpt_stable(self, obj) -> str:
        known = self._excerpts.get(id(obj))
        if known is None:
            t = type(obj)
            parts = [f"excerpt:{t.__module__}.{t.__qualname__}"]
            self._guarded(obj, parts, lambda: self._attributes_except(obj, parts, _EXCERPT_RENDERED))
            known = self._excerpts[id(obj)] = digest_tokens(parts).hex()
            self._alive.append(obj)
        return known

    def _attributes_except(self, obj, out: list[str], left_out: tuple[str, ...]) -> None:
        for name, value in sorted(vars(obj).items()):
            if name in _SKIPPED_ATTRIBUTES or name in left_out:
                continue
            out.append(name)
            self._walk(value, out)

    def _mkdocs_config(self, obj: MkDocsConfig, out: list[str]) -> None:
        out.append(self.once(obj, lambda: "config:" + self._config(obj)))

    def _nav(self, obj: Navigation, out: list[str]) -> None:
        out.append(self.once(obj, lambda: self._navigation(obj)))

    def _section_token(self, obj: Section, out: list[str]) -> None:
        out.append(self.once(obj, lambda: self._section(obj)))

    def _link(self, obj: Link, out: list[str]) -> None:
        out.append(f"link:{obj.title!r}:{obj.url!r}")

    def _file_token(self, obj: File, out: list[str]) -> None:
        out.append(self._file(obj))

    def _files(self, obj: Files, out: list[str]) -> None:
        out.append(self.once(obj, lambda: digest_bytes(*map(self._file, obj)).hex()))

    def _toc(self, obj: TableOfContents, out: list[str]) -> None:
        self._sequence(list(obj.items), out)

    def _attributes(self, obj, out: list[str]) -> None:
        self._guarded(obj, out, lambda: self._object(obj, out))

    def _plugin(self, obj: BasePlugin, out: list[str]) -> None:
        # By its settings, which stay the same through a build.
        out.append(self.once(obj, lambda: self._plugin_settings(obj)))

    def _plugin_settings(self, obj: BasePlugin) -> str:
        t = type(obj)
        parts = [f"plugin:{t.__module__}.{t.__qualname__}"]
        self._walk(obj.config, parts)
        return digest_tokens(parts).hex()

    def _settings(self, obj: Config, out: list[str]) -> None:
        # Settings (a post's front matter as Material's blog validated it) are
        # set before templates render, when this digest is made: once per build.
        out.append(self.once(obj, lambda: self._settings_digest(obj)))

    def _settings_digest(self, obj: Config) -> str:
        parts = [f"cfg:{type(obj).__qualname__}"]
        self._mapping(dict(obj.items()), parts)
        return digest_tokens(parts).hex()

    def _callable(self, obj, out: list[str]) -> None:
        self._guarded(obj, out, lambda: self._function(obj, out))

    def _partial(self, obj: functools.partial, out: list[str]) -> None:
        out.append("partial")
        self._walk([obj.func, obj.args, obj.keywords], out)

    def _named(self, obj, out: list[str]) -> None:
        out.append(f"callable:{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}")

    def _dataclass(self, obj, out: list[str]) -> None:
        t = type(obj)
        out.append(f"dc:{t.__module__}.{t.__qualname__}")
        self._sequence([getattr(obj, f.name) for f in dataclasses.fields(obj)], out)

    def _unknown(self, obj, out: list[str]) -> None:
        t = type(obj)
        if t.__module__.startswith(_KNOWN_MODULES) and hasattr(obj, "__dict__"):
            self._attributes(obj, out)
        elif self.lenient:
            text = repr(obj)
            out.append(f"opaque:{t.__module__}.{t.__qualname__}" + ("" if " at 0x" in text else ":" + text))
        else:
            raise Uncacheable(f"{t.__module__}.{t.__qualname__}")

    def _guarded(self, obj: object, out: list[str], walk: Callable[[], None]) -> None:
        key = id(obj)
        if key in self._stack:
            out.append("cycle")
            return
        self._stack.add(key)
        try:
            walk()
        finally:
            self._stack.discard(key)

    def _object(self, obj: object, out: list[str]) -> None:
        t = type(obj)
        out.append(f"obj:{t.__module__}.{t.__qualname__}{{")
        if isinstance(obj, (list, tuple)):  # e.g. paginate.Page: a list with attributes
            self._walk(list(obj), out)
        if isinstance(obj, dict):
            self._walk(dict(obj), out)
        for name, value in sorted(vars(obj).items()):
            if name in _SKIPPED_ATTRIBUTES:
                continue
            out.append(name)
            self._walk(value, out)
        out.append("}")

    def _function(self, fn, out: list[str]) -> None:
        if isinstance(fn, types.MethodType):
            out.append("method")
            self._walk(fn.__self__, out)
            fn = fn.__func__
        code = fn.__code__
        out.append(f"fn:{fn.__module__}.{fn.__qualname__}:{hashlib.blake2b(code.co_code).hexdigest()}")
        self._walk(fn.__defaults__, out)
        for cell in fn.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                value = None
            self._walk(value, out)

    def _page_deep(self, page: Page, out: list[str]) -> None:
        t = type(page)
        out.append(f"current:{t.__module__}.{t.__qualname__}")
        out.append(self._page_shallow(page))  # afresh: its own events may have changed it
        for name, value in sorted(vars(page).items()):
            if name in _SKIPPED_ATTRIBUTES or name in _IN_SHALLOW:
                continue
            out.append(name)
            if name == "parent":
                chain = []
                while value is not None:
                    chain.append(value)
                    value = getattr(value, "parent", None)
                self._walk(chain, out)
            else:
                self._walk(value, out)

    def _page_shallow(self, page: Page) -> str:
        """What a template shows of a page it links to."""
        t = type(page)
        parts: list[str] = [f"page:{t.__module__}.{t.__qualname__}", self._file(page.file)]
        saved = self._current
        self._current = None  # a neighbour is never walked in depth
        try:
            self._walk(page.title, parts)
            self._walk(page.url, parts)
            self._walk(page.is_index if hasattr(page, "is_index") else None, parts)
            self._walk(page.meta, parts)
            config = getattr(page, "config", None)
            if isinstance(config, Config):
                self._walk(config, parts)
            for name in ("authors", "categories"):  # Material blog posts and excerpts
                value = getattr(page, name, None)
                if isinstance(value, list):
                    self._walk([v.title if isinstance(v, Page) else v for v in value], parts)
        finally:
            self._current = saved
        return digest_tokens(parts).hex()

    def _navigation(self, nav: Navigation) -> str:
        parts: list[str] = ["nav"]
        self._walk(list(nav.items), parts)
        self._walk(list(nav.pages), parts)
        self._walk(nav.homepage, parts)
        return digest_tokens(parts).hex()

    def _section(self, section: Section) -> str:
        parts: list[str] = [f"section:{section.title!r}"]
        self._walk(list(section.children or ()), parts)
        return digest_tokens(parts).hex()

    @staticmethod
    def _file(file: File) -> str:
        inclusion = getattr(file, "inclusion", None)
        return f"file:{file.src_uri!r}:{file.dest_uri!r}:{file.url!r}:{getattr(inclusion, 'name', inclusion)}"

    def _config(self, config: MkDocsConfig) -> str:
        """The settings, lenient: a config only changes with its file, which the salt also covers."""
        parts: list[str] = []
        lenient, self.lenient = self.lenient, True
        try:
            for name, value in sorted(config.items()):
                if name == "site_dir":
                    continue  # where the output goes (a new temporary folder per `winwin build`)
                parts.append(name)
                if name == "plugins":
                    for plugin_name, plugin in value.items():
                        parts.append(plugin_name)
                        self._walk(getattr(plugin, "config", None), parts)
                elif name == "theme":
                    self._walk({k: v for k, v in vars(value).items() if not k.startswith("_env")}, parts)
                else:
                    self._walk(value, parts)
        finally:
            self.lenient = lenient
        return digest_tokens(parts).hex()
