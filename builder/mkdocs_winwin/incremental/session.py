"""Repeated builds of one site in one process, each as correct as a clean build.

A Session keeps the IncrementalLayer's memo between builds and builds into
the same folder: every page still goes through every MkDocs event (so what it
shows is current), a file is written only when its bytes changed, and files
no longer produced are deleted. Each build reports which output files changed,
which the preview server turns into reloads of exactly those pages.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.plugins import event_priority

from ..collector import fewer_collections
from .memo import IncrementalLayer, Memo

LAYER_NAME = "winwin-incremental"


@dataclass(frozen=True)
class BuildReport:
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU time: steadier on a shared machine
    changed: frozenset[str]  # site-relative POSIX paths written with new bytes (or new files)
    deleted: frozenset[str]
    hits: dict[str, int] = field(default_factory=dict)
    misses: dict[str, int] = field(default_factory=dict)

    def changed_urls(self) -> set[str]:
        """URL paths ('/blog/x/', '/blog/x/index.html') of the changed and deleted HTML files."""
        urls = set()
        for path in self.changed | self.deleted:
            if path.endswith(".html"):
                urls.add("/" + path)
                if path == "index.html" or path.endswith("/index.html"):
                    urls.add("/" + path[: -len("index.html")])
        return urls


class _Layer(IncrementalLayer):
    """The memo layer plus what a session needs to know about the build's files."""

    remember_posts = True

    def __init__(self, memo: Memo) -> None:
        super().__init__(memo)
        self.static_dests: set[str] = set()

    # After every plugin has added or moved files (Material's blog at -50, ours at -60).
    @event_priority(-1000)
    def on_files(self, files, *, config):
        # MkDocs' `dirty` skips pages whose source is older than their output;
        # here every page is built (from the memo where unchanged) and only
        # the writing is spared, so no page is ever left stale.
        for file in files:  # all of them: Material's blog has its posts excluded until on_nav
            if file.is_documentation_page():
                file.is_modified = _always
        self.static_dests = {f.abs_dest_path for f in files if not f.is_documentation_page()}
        return files


def _always() -> bool:
    return True


class Session:
    """Builds of the site of `config_file` into `site_dir`, sharing one memo."""

    def __init__(self, config_file: str, site_dir: str | os.PathLike, *, command: str = "serve",
                 site_url: str | None = None) -> None:
        self.config_file = str(config_file)
        self.site_dir = str(Path(site_dir).resolve())
        self.command = command
        self.site_url = site_url
        self.memo = Memo()
        self.layer = _Layer(self.memo)
        self.digests: dict[str, bytes] = {}  # absolute output path -> digest of its bytes
        self._started = None
        self.last: BuildReport | None = None

    def load_config(self):
        from mkdocs.config import load_config

        config = load_config(self.config_file, site_dir=self.site_dir)
        if self.site_url:
            config.site_url = self.site_url
        config.plugins[LAYER_NAME] = self.layer
        return config

    def build(self) -> BuildReport:
        """One build; raises what MkDocs raises (the folder keeps the last good build's files then)."""
        from mkdocs.commands.build import build

        start, cpu = time.perf_counter(), time.process_time()
        config = self.load_config()
        if self._started is None:
            config.plugins.on_startup(command=self.command, dirty=False)
            self._started = config
        os.makedirs(self.site_dir, exist_ok=True)
        written: dict[str, bool] = {}
        before = self._snapshot()
        collector = _collector_paused() if self.last is not None else fewer_collections()
        with _tracked_writes(self.digests, written), _no_dirty_warning(), collector:
            build(config, serve_url=self.site_url if self.command == "serve" else None, dirty=True)
        deleted = self._delete_stale(set(written) | self.layer.static_dests, before)
        root = self.site_dir + os.sep
        changed = frozenset(p[len(root):].replace(os.sep, "/") for p, new in written.items() if new)
        report = BuildReport(time.perf_counter() - start, time.process_time() - cpu, changed, frozenset(deleted),
                             dict(self.memo.hits), dict(self.memo.misses))
        self.last = report
        return report

    def close(self) -> None:
        if self._started is not None:
            with contextlib.suppress(FileNotFoundError):  # see cli.build._shut_down
                self._started.plugins.on_shutdown()
            self._started = None

    def _snapshot(self) -> dict[str, tuple[int, int, int]]:
        """Every output file's (inode, size, mtime) before a build."""
        found = {}
        for folder, _, names in os.walk(self.site_dir):
            for name in names:
                path = os.path.join(folder, name)
                st = os.stat(path)
                found[path] = (st.st_ino, st.st_size, st.st_mtime_ns)
        return found

    def _delete_stale(self, keep: set[str], before: dict[str, tuple[int, int, int]]) -> list[str]:
        """Delete what this build did not produce: files of the folder before the build that were
        neither written (or found unchanged) through write_file, nor static, nor written some
        other way during the build (the gzipped sitemap, a plugin's own files: changed since the
        snapshot taken before it). Files new since the snapshot were made by this build."""
        deleted, folders = [], set()
        for path, seen in before.items():
            if path in keep:
                continue
            try:
                st = os.stat(path)
            except FileNotFoundError:
                continue
            if seen == (st.st_ino, st.st_size, st.st_mtime_ns):
                os.remove(path)
                self.digests.pop(path, None)
                deleted.append(os.path.relpath(path, self.site_dir).replace(os.sep, "/"))
                folders.add(os.path.dirname(path))
        for folder in sorted(folders, key=len, reverse=True):  # emptied folders, deepest first
            while folder != self.site_dir and folder.startswith(self.site_dir + os.sep):
                try:
                    os.rmdir(folder)
                except OSError:  # not empty
                    break
                folder = os.path.dirname(folder)
        return deleted


@contextlib.contextmanager
def _tracked_writes(digests: dict[str, bytes], written: dict[str, bool]):
    """MkDocs' write_file, skipping files whose bytes are unchanged; `written[path]` is True when new."""
    from mkdocs import utils

    original = utils.write_file

    def write_file(content: bytes, output_path: str) -> None:
        path = os.path.abspath(output_path)
        digest = hashlib.sha256(content).digest()
        if digests.get(path) == digest and os.path.isfile(path):
            written.setdefault(path, False)
            return
        original(content, output_path)
        digests[path] = digest
        written[path] = True

    utils.write_file = write_file
    try:
        yield
    finally:
        utils.write_file = original


class _DirtyWarning(logging.Filter):
    # MkDocs warns that a `dirty` build leaves navigation stale; a Session's is
    # not (every page is built), and under --strict the warning would fail it.
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextlib.contextmanager
def _no_dirty_warning():
    logger, dirty = logging.getLogger("mkdocs.commands.build"), _DirtyWarning()
    logger.addFilter(dirty)
    try:
        yield
    finally:
        logger.removeFilter(dirty)


@contextlib.contextmanager
def _collector_paused():
    """No cycle collection during a rebuild: with a site's worth of results in the memo, each
    full collection walks all of them (a sixth of a one-post rebuild). The first build only
    collects less often (it makes most of the garbage); the caller collects between builds
    (preview.py)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
