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
import hashlib
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


class Uncacheable(Exception):
    """The context holds something the digest cannot vouch for."""


def digest_bytes(*parts: str | bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


class Fingerprint:
    """Context digests for one build (objects that stay the same in a build are digested once)."""

    def __init__(self, salt: bytes = b"", lenient: bool = False) -> None:
        self.salt = salt
        self.lenient = lenient  # unknown objects by type name instead of Uncacheable (config, globals)
        self._once: dict[int, str] = {}  # id -> digest of objects constant during this build
        self._alive: list[object] = []  # keeps those ids from being reused
        self._current: object | None = None
        self.skipped: frozenset[str] = frozenset()
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
        return digest_bytes(self.salt, *out)

    def value(self, obj: object) -> str:
        """The digest of any value (lenient or strict as set), as hex."""
        out: list[str] = []
        self._walk(obj, out)
        return digest_bytes(*out).hex()

    def once(self, obj: object, compute: Callable[[], str]) -> str:
        """A digest computed once per build for an object that does not change during it."""
        key = id(obj)
        if key not in self._once:
            self._once[key] = compute()
            self._alive.append(obj)
        return self._once[key]

    # -- walking --------------------------------------------------------------

    def _walk(self, obj: object, out: list[str]) -> None:  # noqa: C901 - one dispatch, read top to bottom
        t = type(obj)
        if obj is None or t is bool or t is int or t is float:
            out.append(f"{t.__name__}:{obj!r}")
        elif isinstance(obj, str):
            out.append(f"s{len(obj)}:")
            out.append(obj)
        elif t is bytes:
            out.append("b:" + obj.hex())
        elif isinstance(obj, (dt.datetime, dt.date, dt.time)):
            out.append(f"{t.__name__}:{obj.isoformat()}:{getattr(obj, 'tzinfo', None)!r}")
        elif isinstance(obj, enum.Enum):
            out.append(f"enum:{t.__qualname__}.{obj.name}")
        elif t is list or t is tuple:
            out.append(f"{t.__name__}{len(obj)}[")
            for item in obj:
                self._walk(item, out)
            out.append("]")
        elif t is dict:
            out.append(f"dict{len(obj)}{{")
            for k, v in obj.items():
                self._walk(k, out)
                self._walk(v, out)
            out.append("}")
        elif t is set or t is frozenset:
            out.append(f"set{len(obj)}{{")
            out.extend(sorted(self.value(item) for item in obj))
            out.append("}")
        elif obj is self._current:
            self._guarded(obj, out, lambda: self._page_deep(obj, out))
        elif isinstance(obj, Page) and isinstance(getattr(obj, "post", None), Page):
            # A blog excerpt: its content changes with the listing page, walk it all.
            self._guarded(obj, out, lambda: self._object(obj, out))
        elif isinstance(obj, Page):
            out.append(self.once(obj, lambda: self._page_shallow(obj)))
        elif isinstance(obj, MkDocsConfig):
            out.append(self.once(obj, lambda: "config:" + self._config(obj)))
        elif isinstance(obj, Navigation):
            out.append(self.once(obj, lambda: self._navigation(obj)))
        elif isinstance(obj, Section):
            out.append(self.once(obj, lambda: self._section(obj)))
        elif isinstance(obj, Link):
            out.append(f"link:{obj.title!r}:{obj.url!r}")
        elif isinstance(obj, File):
            out.append(self._file(obj))
        elif isinstance(obj, Files):
            out.append(self.once(obj, lambda: digest_bytes(*map(self._file, obj)).hex()))
        elif isinstance(obj, TableOfContents):
            self._walk(list(obj.items), out)
        elif isinstance(obj, AnchorLink):
            self._guarded(obj, out, lambda: self._walk(vars(obj), out))
        elif isinstance(obj, BasePlugin):
            out.append(f"plugin:{t.__module__}.{t.__qualname__}")
            self._walk(obj.config, out)
        elif isinstance(obj, Config):
            out.append(f"cfg:{t.__qualname__}")
            self._walk(dict(obj.items()), out)
        elif isinstance(obj, (types.FunctionType, types.MethodType)):
            self._guarded(obj, out, lambda: self._function(obj, out))
        elif isinstance(obj, (types.BuiltinFunctionType, type)):
            out.append(f"callable:{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}")
        elif dataclasses.is_dataclass(obj):
            out.append(f"dc:{t.__module__}.{t.__qualname__}")
            self._walk([getattr(obj, f.name) for f in dataclasses.fields(obj)], out)
        elif type(obj).__module__.startswith(_KNOWN_MODULES) and hasattr(obj, "__dict__"):
            self._guarded(obj, out, lambda: self._object(obj, out))
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
        out.append(self._page_shallow(page))
        for name, value in sorted(vars(page).items()):
            if name in _SKIPPED_ATTRIBUTES:
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
        return digest_bytes(*parts).hex()

    def _navigation(self, nav: Navigation) -> str:
        parts: list[str] = ["nav"]
        self._walk(list(nav.items), parts)
        self._walk(list(nav.pages), parts)
        self._walk(nav.homepage, parts)
        return digest_bytes(*parts).hex()

    def _section(self, section: Section) -> str:
        parts: list[str] = [f"section:{section.title!r}"]
        self._walk(list(section.children or ()), parts)
        return digest_bytes(*parts).hex()

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
        return digest_bytes(*parts).hex()
