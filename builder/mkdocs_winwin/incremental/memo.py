"""The incremental layer: a plugin that memoises the costly pure steps of a build.

Every build still runs every MkDocs and plugin event for every page, so
whatever a page shows is recomputed from the current content; only these
steps, each a pure function of inputs that are digested in full, are reused
when those inputs are unchanged:

1. Markdown to HTML of a page (`page.render`): keyed by its Markdown after
   every plugin's `on_page_markdown`, its source path and URL, and the
   Markdown settings; valid while every file lookup it made (the links it
   resolved) still finds the same file at the same URL. Its log messages
   (broken links) are replayed, so `--strict` sees them on every build.
2. A post's excerpt, converted once per build by plugins.material: the same
   key and link check, on the post's Markdown and title.
3. Template rendering (`template.render(context)`): keyed by the digest of
   the whole context (incremental.fingerprint) with the templates, the Jinja
   environment's globals and filters, the config and the tool versions.
4. Material's search entries of a page (its HTML, URL, title, metadata and
   table of contents) and a post's read time (its HTML).
5. Compiled templates (Jinja's bytecode cache, checked against the source;
   on disk in .cache/winwin/templates/ for `winwin build`).

Keys carry the versions of MkDocs, Material, Markdown, pymdown-extensions,
Jinja, PyYAML and winwin. `winwin serve` keeps the memo in memory
(incremental.session); `winwin build` with `build_cache: true` saves it in
.cache/winwin/build-memo.pickle (DiskLayer).

Entries not used by a build are dropped at its end, so memory stays at one
site's worth however many edits a session sees.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import jinja2
import jinja2.bccache
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..plugins.material import MadePost, post_makers, templates_only_test_more
from .fingerprint import Fingerprint, digest_bytes

TOOLS = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "mkdocs-winwin", "pyyaml")


def tool_versions() -> str:
    found = []
    for name in TOOLS:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}==none")
    return ",".join(found)


# -----------------------------------------------------------------------------


def _file_sig(file) -> tuple | None:
    if file is None:
        return None
    inclusion = getattr(file, "inclusion", None)
    return (file.src_uri, file.dest_uri, file.url, getattr(inclusion, "name", inclusion))


class RecordingFiles:
    """Files, with every `get_file_from_path` answer recorded; any other use marks it untracked."""

    def __init__(self, files) -> None:
        self._files = files
        self.deps: dict[str, tuple | None] = {}
        self.untracked = False

    def get_file_from_path(self, path: str):
        file = self._files.get_file_from_path(path)
        self.deps[path] = _file_sig(file)
        return file

    def __getattr__(self, name: str):
        self.untracked = True
        return getattr(self._files, name)

    def __iter__(self):
        self.untracked = True
        return iter(self._files)

    def __len__(self) -> int:
        self.untracked = True
        return len(self._files)

    def __contains__(self, item) -> bool:
        self.untracked = True
        return item in self._files


def deps_hold(deps: dict[str, tuple | None], files) -> bool:
    return all(_file_sig(files.get_file_from_path(path)) == sig for path, sig in deps.items())


class _Capture(logging.Handler):
    """The records MkDocs' loggers emit while a step runs, to replay when the step is reused."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append((record.name, record.levelno, record.getMessage()))

    def __enter__(self) -> _Capture:
        logging.getLogger("mkdocs").addHandler(self)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger("mkdocs").removeHandler(self)


def replay(records) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


class _NotPlain(Exception):
    pass


_PLAIN = (str, int, bool, type(None))


def copy_toc(toc):
    """A deep copy of a page's table of contents: MkDocs' plain one built directly (a fifth
    of the time copy.deepcopy takes, once per page and rebuild), anything else by deepcopy."""
    try:
        if type(toc) is not TableOfContents or vars(toc).keys() != {"items"}:
            raise _NotPlain
        return TableOfContents([_copy_anchor(item) for item in toc.items])
    except _NotPlain:
        return copy.deepcopy(toc)


def _copy_anchor(anchor: AnchorLink) -> AnchorLink:
    fields = vars(anchor)
    children = fields.get("children")
    if type(anchor) is not AnchorLink or type(children) is not list or not all(
            isinstance(value, _PLAIN) for name, value in fields.items() if name != "children"):
        raise _NotPlain
    twin = AnchorLink.__new__(AnchorLink)
    twin.__dict__.update(fields)
    twin.children = [_copy_anchor(child) for child in children]
    return twin


@dataclass
class _Rendered:
    """What `Page.render` leaves on a page."""

    deps: dict[str, tuple | None]
    logs: list[tuple[str, int, str]]
    content: str
    toc: object
    title_from_render: str | None
    anchor_ids: set | None
    links_to_anchors: dict[str, dict[str, str]] | None
    has_links: bool

    @classmethod
    def take(cls, page, deps, logs) -> _Rendered:
        links = page.__dict__.get("links_to_anchors")
        return cls(
            deps=dict(deps), logs=list(logs), content=page.content, toc=copy_toc(page.toc),
            title_from_render=page._title_from_render,
            anchor_ids=set(page.present_anchor_ids) if page.present_anchor_ids is not None else None,
            links_to_anchors=None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            has_links="links_to_anchors" in page.__dict__,
        )

    def restore(self, page, files) -> None:
        page.content = self.content
        page.toc = copy_toc(self.toc)  # Material's blog appends to a listing's toc
        page._title_from_render = self.title_from_render
        page.present_anchor_ids = None if self.anchor_ids is None else set(self.anchor_ids)
        if self.has_links:
            page.links_to_anchors = None if self.links_to_anchors is None else {
                files.get_file_from_path(uri): dict(v) for uri, v in self.links_to_anchors.items()}


@dataclass
class Memo:
    """Results by key; `prune()` keeps only those the last build used."""

    entries: dict[tuple, object] = field(default_factory=dict)
    used: set[tuple] = field(default_factory=set)
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)

    def get(self, kind: str, key: bytes):
        value = self.entries.get((kind, key))
        if value is None:
            self.misses[kind] = self.misses.get(kind, 0) + 1
        else:
            self.used.add((kind, key))
            self.hits[kind] = self.hits.get(kind, 0) + 1
        return value

    def put(self, kind: str, key: bytes, value) -> None:
        self.entries[(kind, key)] = value
        self.used.add((kind, key))

    def prune(self) -> None:
        for stale in self.entries.keys() - self.used:
            del self.entries[stale]
        self.used = set()

    def reset_counts(self) -> None:
        self.hits, self.misses = {}, {}


# -----------------------------------------------------------------------------
# On disk: the memo of the last build, in .cache/winwin/, for the next process.

CACHE_FORMAT = 2  # 2: keys are SHA-256 digests


def load_memo(path: str | os.PathLike) -> Memo:
    """The memo saved at `path`, or an empty one (missing, unreadable, other versions)."""
    try:
        with open(path, "rb") as f:
            header = pickle.load(f)
            if header != (CACHE_FORMAT, tool_versions()):
                return Memo()
            entries = pickle.load(f)  # noqa: S301 - our own cache file, in the project's .cache/
    except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache
        return Memo()
    return Memo(entries=entries) if isinstance(entries, dict) else Memo()


def save_memo(memo: Memo, path: str | os.PathLike) -> None:
    """Write the memo atomically (a concurrent build reads the old file or the new one)."""
    folder = os.path.dirname(os.fspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".memo-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump((CACHE_FORMAT, tool_versions()), f, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(memo.entries, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temp)
        raise


def cache_folder(config) -> str:
    """<folder of mkdocs.yml>/.cache/winwin"""
    base = os.path.dirname(config.config_file_path) if config.config_file_path else os.getcwd()
    return os.path.join(base, ".cache", "winwin")


class MemoTemplate:
    """A page template whose render is reused while the context's digest is unchanged."""

    def __init__(self, template, layer: IncrementalLayer) -> None:
        self._template, self._layer = template, layer

    def render(self, *args, **kwargs):
        layer = self._layer
        context = args[0] if len(args) == 1 and not kwargs else None
        # Only the page template MkDocs renders with the context every plugin
        # has seen; a plugin's own partial renders (cheap) are left alone.
        if context is None or context is not layer.page_context or layer.fingerprint is None:
            return self._template.render(*args, **kwargs)
        key = layer.fingerprint.context_key(self._template.name or "", context)
        if key is None:
            layer.memo.misses["uncacheable"] = layer.memo.misses.get("uncacheable", 0) + 1
            return self._template.render(*args, **kwargs)
        html = layer.memo.get("template", key)
        if html is None:
            html = self._template.render(*args, **kwargs)
            layer.memo.put("template", key, html)
        return html

    def __getattr__(self, name: str):
        return getattr(self._template, name)


class IncrementalLayer(BasePlugin):
    """Injected into a build's plugins by incremental.session; lives as long as its Memo."""

    # Keep the posts Material's blog makes, to copy in the next build: for the Session's
    # memo only (a post holds Material objects that pickle cannot save for the disk cache).
    remember_posts = False

    def __init__(self, memo: Memo | None = None) -> None:
        super().__init__()
        self.memo = memo or Memo()
        self.fingerprint: Fingerprint | None = None
        self.page_context: dict | None = None
        self._configured = None
        self.md_salt = b""
        self.versions = tool_versions()
        self.bytecode = MemoryBytecodeCache()

    def on_config(self, config):
        if self._configured is config:  # added by a plugin's on_config, which also ran this
            return config
        self._configured = config
        self._memoise_readtime()
        self.fingerprint = None
        self.memo.reset_counts()
        source = b""
        if config.config_file_path and os.path.isfile(config.config_file_path):
            with open(config.config_file_path, "rb") as f:
                source = f.read()
        lenient = Fingerprint(lenient=True)
        markdown = lenient.value([config.markdown_extensions, dict(config.mdx_configs),
                                  dict(config.validation.items()) if config.validation else None,
                                  config.use_directory_urls, config.docs_dir])
        self.md_salt = digest_bytes(self.versions, source, markdown)
        if self.remember_posts:
            self._memoise_posts(config)
        return config

    # Last: after every plugin has changed the Markdown.
    @event_priority(-1000)
    def on_page_markdown(self, markdown, *, page, config, files):
        if "render" not in page.__dict__:
            self._memoise_render(page)
        return markdown

    # Last: after Material's blog has wrapped the `url` filter and made its
    # excerpts, and after every plugin has added its globals.
    @event_priority(-1000)
    def on_env(self, env, *, config, files):
        theme_files, reads = _theme_state(tuple(config.theme.dirs), frozenset(config.theme.static_templates))
        lenient = Fingerprint(lenient=True)
        environment = lenient.value([sorted(env.globals.items(), key=lambda kv: kv[0]),
                                     sorted(env.filters.items(), key=lambda kv: kv[0]),
                                     sorted(env.tests.items(), key=lambda kv: kv[0])])
        config_digest = lenient.value(config)
        salt = digest_bytes(self.md_salt, theme_files, environment, config_digest)
        self.fingerprint = Fingerprint(salt)
        self.fingerprint.skipped = frozenset(SITE_WIDE) - reads
        self.fingerprint.more_only_tested = templates_only_test_more(config)
        if not getattr(env.get_template, "winwin_memo", False):
            get = env.get_template

            def get_template(name, parent=None, globals=None):
                template = get(name, parent, globals)
                # Includes, imports and extends name their parent: only the
                # page template itself is memoised, as one unit.
                return template if parent is not None else MemoTemplate(template, self)

            get_template.winwin_memo = True
            env.get_template = get_template
        env.bytecode_cache = self.bytecode  # templates compiled once per session, not per build
        self._memoise_excerpts(config)
        self._memoise_search(config)
        return env

    # Last: the context MkDocs renders the page with, once every plugin has added to it.
    @event_priority(-1000)
    def on_page_context(self, context, *, page, config, nav):
        self.page_context = context
        return context

    def on_post_build(self, *, config):
        self.fingerprint = None
        self.page_context = None
        self._configured = None
        self.memo.prune()

    # -------------------------------------------------------------------------

    def _memoise_render(self, page) -> None:
        original, memo = page.render, self.memo

        def render(config, files):
            # Keyed here, not in on_page_markdown: MkDocs sets page.markdown to
            # what the plugins' on_page_markdown return only after all of them ran.
            file = page.file
            key = digest_bytes(self.md_salt, type(page).__qualname__, page.markdown or "", file.src_uri,
                               file.url, str(getattr(file.inclusion, "name", file.inclusion)))
            done = memo.get("page", key)
            if done is not None and deps_hold(done.deps, files):
                done.restore(page, files)
                replay(done.logs)
                return
            recording = RecordingFiles(files)
            with _Capture() as capture:
                original(config, recording)
            if not recording.untracked:
                memo.put("page", key, _Rendered.take(page, recording.deps, capture.records))

        page.render = render

    def _memoise_posts(self, config) -> None:
        """Material's blog makes a post from its file's text and the settings: a post made
        before from the same text, source and settings is made again as a copy of it."""
        salt: list[bytes] = []

        def key(file) -> bytes | None:
            try:
                with open(file.abs_src_path, "rb") as f:
                    text = f.read()
            except OSError:
                return None  # the blog reports it
            if not salt:  # once, after every plugin's on_config: the settings as the blog reads them
                salt.append(digest_bytes(self.md_salt, Fingerprint(lenient=True).value(config), config.site_dir))
            return digest_bytes(salt[0], file.src_uri, file.abs_src_path, file.dest_uri, file.url, text)

        # MkDocs keeps a plugin that has on_startup (the blog has) for every later build in
        # the process, so the one wrapper stays: each build puts its own, around the blog's.
        for plugin in post_makers(config):
            resolve = plugin._resolve_post
            plugin._resolve_post = self._post_maker(getattr(resolve, "winwin_original", resolve), key, config)

    def _post_maker(self, resolve, key, built):
        memo = self.memo

        def resolve_post(file, config):
            if config is not built:  # a build this layer is not part of
                return resolve(file, config)
            k = key(file)
            made = None if k is None else memo.get("post", k)
            if made is not None:
                replay(made.logs)
                return made.make(file)
            with _Capture() as capture:
                post = resolve(file, config)
            if k is not None:
                memo.put("post", k, MadePost(post, capture.records))
            return post

        resolve_post.winwin_original = resolve
        return resolve_post

    def _memoise_excerpts(self, config) -> None:
        from ..plugins.material import ExcerptOnce

        for plugin in config.plugins.values():
            posts = getattr(getattr(plugin, "blog", None), "posts", None)
            for post in posts if isinstance(posts, list) else ():
                once = getattr(getattr(post, "excerpt", None), "__dict__", {}).get("render")
                if isinstance(once, ExcerptOnce) and "_convert" not in once.__dict__:
                    once._convert = self._excerpt_convert(once, post)

    def _memoise_readtime(self) -> None:
        """Material's blog times each post by parsing its HTML: a pure function, reused per HTML."""
        try:
            from material.plugins.blog import plugin as blog
        except ImportError:
            return
        original = getattr(blog, "readtime", None)
        if original is None:
            return
        if getattr(original, "winwin_memo", False):
            original.memo = self.memo  # patched once per process, used by the layer building now
            return
        versions = self.versions

        def readtime(html: str, words_per_minute: int):
            memo = readtime.memo
            key = digest_bytes(versions, html, str(words_per_minute))
            done = memo.get("readtime", key)
            if done is None:
                done = (original(html, words_per_minute),)
                memo.put("readtime", key, done)
            return done[0]

        readtime.winwin_memo = True
        readtime.original = original
        readtime.memo = self.memo
        blog.readtime = readtime

    def _memoise_search(self, config) -> None:
        """Material's search index: a page's entries reused while what they are made of is unchanged."""
        for plugin in config.plugins.values():
            index = getattr(plugin, "search_index", None)
            entries = getattr(index, "entries", None)
            add = getattr(index, "add_entry_from_context", None)
            if not isinstance(entries, list) or add is None or "add_entry_from_context" in vars(index):
                continue
            index.add_entry_from_context = self._search_entries(index, add, plugin)

    def _search_entries(self, index, add, plugin):
        memo = self.memo
        settings = Fingerprint(lenient=True).value(getattr(plugin, "config", None))

        def add_entry_from_context(page):
            try:
                key = digest_bytes(self.versions, settings, Fingerprint().value(
                    [page.content, page.url, page.title, page.meta, page.toc]))
            except Exception:  # noqa: BLE001 - anything the digest cannot vouch for: index as usual
                return add(page)
            done = memo.get("search", key)
            if done is not None:
                index.entries.extend(map(_copy_entry, done))
                return None
            before = len(index.entries)
            result = add(page)
            memo.put("search", key, [_copy_entry(e) for e in index.entries[before:]])
            return result

        return add_entry_from_context

    def _excerpt_convert(self, once, post):
        original, memo, relpath, excerpt = once._convert, self.memo, once.relpath, once.excerpt

        def convert(separator: str):
            # With the shortcut (plugins.material.ExcerptShortcut) the result also
            # depends on the post's own HTML, and on whether the theme allows it.
            shortcut = once.shortcut
            key = digest_bytes(self.md_salt, post.markdown or "", post.title or "", post.url,
                               str(bool(post._title_from_render)), post.file.src_uri, separator,
                               "whole" if shortcut is None else repr(shortcut.markers),
                               "" if shortcut is None else getattr(post, "content", None) or "")
            done = memo.get("excerpt", key)
            files = relpath.files
            if done is not None and deps_hold(done[0], files):
                excerpt.markdown = done[2]
                return done[1]
            relpath.files = recording = RecordingFiles(files)
            try:
                result = original(separator)
            finally:
                relpath.files = files
            if not recording.untracked:
                memo.put("excerpt", key, (dict(recording.deps), result, excerpt.markdown))
            return result

        return convert


def _copy_entry(entry: dict) -> dict:
    """A search entry (strings, and a list of tag strings) copied; anything else deeply."""
    if all(isinstance(v, (str, int, float)) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
           for v in entry.values()):
        return {k: list(v) if isinstance(v, list) else v for k, v in entry.items()}
    return copy.deepcopy(entry)


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja itself checks each against its source's checksum."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


class DiskBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept in .cache/winwin/templates/ for the next `winwin build` (Jinja
    checks each against its source's checksum); a folder that cannot be written costs only
    the compiling."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):  # unreadable or cut short: compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _theme_state(dirs: tuple[str, ...], static: frozenset[str]) -> tuple[str, set[str]]:
    """A digest of every template and asset file of the theme (path, size, mtime), and
    which of the SITE_WIDE variables its page templates read (the static templates,
    e.g. sitemap.xml, are rendered without a page and never memoised)."""
    parts: list[str] = []
    reads: set[str] = set()
    for root in dirs:
        if _installed(root):
            # An installed theme changes only with its version (in the salt).
            parts.append(root)
            reads |= _installed_reads(root, static)
            continue
        for folder, subdirs, names in os.walk(root):
            subdirs.sort()
            for name in sorted(names):
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
                if _is_page_template(root, path, static) and len(reads) < len(SITE_WIDE):
                    with open(path, encoding="utf-8", errors="replace") as f:
                        reads |= _names_read(f.read())
    return digest_bytes(*parts).hex(), reads


# Context variables of every page that change with any page of the site (the
# list of all files, moved by a renamed post) or with every build (the build
# time). Material's templates never read them; a page's key includes them
# only when some template of the theme names them in a tag.
SITE_WIDE = ("pages", "build_date_utc")
_TAG = re.compile(r"{{.*?}}|{%.*?%}", re.DOTALL)


def _names_read(source: str) -> set[str]:
    tags = " ".join(_TAG.findall(source))
    return {name for name in SITE_WIDE if re.search(rf"(?<![.\w]){name}(?!\w)", tags)}


@functools.lru_cache(maxsize=None)
def _installed_reads(root: str, static: frozenset[str]) -> frozenset[str]:
    reads: set[str] = set()
    for folder, _, names in os.walk(root):
        for name in names:
            if _is_page_template(root, os.path.join(folder, name), static):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    reads |= _names_read(f.read())
    return frozenset(reads)


def _is_page_template(root: str, path: str, static: frozenset[str]) -> bool:
    return path.endswith((".html", ".xml", ".j2")) and os.path.relpath(path, root).replace(os.sep, "/") not in static


def _installed(folder: str) -> bool:
    import sysconfig

    purelib = os.path.realpath(sysconfig.get_paths()["purelib"])
    return os.path.realpath(folder).startswith(purelib + os.sep)


class DiskLayer(IncrementalLayer):
    """The memo layer for `winwin build`: loaded from .cache/winwin/ and saved back after a build."""

    FILE = "build-memo.pickle"

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, self.FILE)
        super().__init__(load_memo(self.path))
        self.bytecode = DiskBytecodeCache(os.path.join(folder, "templates"))

    def on_post_build(self, *, config):
        super().on_post_build(config=config)
        try:
            save_memo(self.memo, self.path)
        except OSError as exc:
            logging.getLogger("mkdocs.plugins.winwin").info(
                f"Build cache not saved ({exc}); the next build is a full one.")


def add_disk_layer(config, name: str = "winwin-incremental") -> DiskLayer | None:
    """Give a build (not a Session's, which has its own) the memo of the previous one."""
    if name in config.plugins:
        return None
    layer = DiskLayer(cache_folder(config))
    config.plugins[name] = layer
    layer.on_config(config)
    return layer
