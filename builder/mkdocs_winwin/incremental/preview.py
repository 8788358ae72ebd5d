"""`winwin serve`: the site kept built in one process, rebuilt incrementally on every edit.

MkDocs' live-reload server, driven differently in three ways:

- each change is an incremental Session build (every page current, only
  changed files written), not a clean build into a new folder;
- a browser tab reloads only when the page it shows changed: the reload poll
  carries the page's address (Referer), and the answer waits for a build that
  changed that page's file;
- a failed build (a content error) keeps the last good site, names the file
  and the fix in the terminal and in an overlay on every open page, and the
  next good build clears it.
"""

from __future__ import annotations

import contextlib
import gc
import html
import logging
import os
import re
import shutil
import tempfile
import threading
from urllib.parse import urlsplit

import watchdog.events
from mkdocs.livereload import LiveReloadServer

from .session import Session

log = logging.getLogger("mkdocs.winwin.serve")

_POLL = re.compile(r"/livereload/([0-9]+)/[0-9]+")
# File events that change content ("opened" and "closed_no_write" are reads).
_CHANGES = frozenset({"created", "deleted", "modified", "moved", "closed"})
_CHANGE_EVENTS = [
    watchdog.events.FileCreatedEvent, watchdog.events.FileDeletedEvent, watchdog.events.FileModifiedEvent,
    watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent, watchdog.events.DirCreatedEvent,
    watchdog.events.DirDeletedEvent, watchdog.events.DirMovedEvent, watchdog.events.DirModifiedEvent,
]
OVERLAY_ID = "winwin-build-error"


def overlay(message: str) -> bytes:
    """The error box shown over every page while the last change does not build."""
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="position:fixed;left:0;right:0;bottom:0;z-index:10000;'
        "max-height:60vh;overflow:auto;margin:0;padding:1em 1.5em;background:#fff4f4;color:#5c0000;"
        "border-top:4px solid #b00020;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;"
        'white-space:pre-wrap"><strong>Your last change did not build: this is the last good version '
        "of the page. Fix the file below and save; the page reloads by itself.</strong>\n"
        f"{html.escape(message)}</div>"
    ).encode("utf-8")


def describe(exc: BaseException) -> str:
    """One message for a failed build: ours and MkDocs' errors already name the file and the fix."""
    text = str(exc).strip()
    if isinstance(exc, SystemExit) or not text:
        text = "The build stopped; the messages above say where."
    name = type(exc).__name__
    return text if name in {"PluginError", "ConfigurationError", "Abort", "BuildError"} else f"{name}: {text}"


class PreviewServer(LiveReloadServer):
    """LiveReloadServer reloading per page, with a build-error overlay."""

    def __init__(self, session: Session, host: str, port: int, mount_path: str = "/") -> None:
        super().__init__(builder=self.rebuild, host=host, port=port, root=session.site_dir,
                         mount_path=mount_path)
        self.session = session
        self.page_epochs: dict[str, int] = {}  # URL path -> epoch of the build that last changed it
        self.all_epoch = 0  # a build that changes every open page (the error overlay came or went)
        self.error: str | None = None
        self.collector = IdleCollector()
        self.build_delay = 0.05  # MkDocs waits 0.1 s for more events; an editor's save is one
        _native_observer(self)

    # -- building -------------------------------------------------------------

    def rebuild(self) -> None:
        """Build; on failure keep the last good site and show the error instead of raising."""
        epoch = self._wanted_epoch
        errors = _Errors()
        logging.getLogger("mkdocs").addHandler(errors)
        try:
            with self.collector.building():
                report = self.session.build()
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - every failure is shown, none stops the server
            # MkDocs logs a build error and raises a bare Abort: the logged message is the one to show.
            message = "\n".join(errors.messages) or describe(exc)
            if message != self.error:  # an editor's save can be several events: reload once per error
                self.error = message
                self.all_epoch = epoch
            log.error("Build failed; still serving the last good build (the error is shown on every open page).")
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(errors)
        if self.error is not None:
            self.error = None
            self.all_epoch = epoch
        urls = report.changed_urls()
        for url in urls:
            self.page_epochs[url] = epoch
        log.info(f"Rebuilt in {report.seconds:.2f} s ({report.cpu_seconds:.2f} s CPU): "
                 f"{sum(1 for u in urls if u.endswith('/'))} page(s) changed")

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """MkDocs' watch, deaf to reads: the native observer also reports every file the
        build opens, which would start the next build for nothing."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event) -> None:
            if event.is_directory or event.event_type not in _CHANGES:
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        try:
            # Asked of the kernel (inotify's mask): the build's own reads of every
            # file then cost nothing, instead of two events per file read.
            watch = self.observer.schedule(handler, path, recursive=recursive, event_filter=_CHANGE_EVENTS)
        except TypeError:  # watchdog before 4.0: every event, filtered in the callback
            watch = self.observer.schedule(handler, path, recursive=recursive)
        self._watch_refs[path] = watch

    # -- serving --------------------------------------------------------------

    def changed_since(self, page: str, epoch: int) -> bool:
        """Whether a build made visible after `epoch` changed `page` (a URL path)."""
        visible = self._visible_epoch
        stamp = max(self.all_epoch, self.page_epochs.get(page, 0))
        return epoch < stamp <= visible

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        poll = _POLL.fullmatch(path)
        if poll is None:
            return super()._serve_request(environ, start_response)
        epoch = int(poll[1])
        page = urlsplit(environ.get("HTTP_REFERER", "")).path or "/"
        start_response("200 OK", [("Content-Type", "text/plain")])
        with self._epoch_cond:
            if not self.changed_since(page, epoch):
                self._epoch_cond.wait_for(lambda: self.changed_since(page, epoch) or self._shutdown,
                                          timeout=self.poll_response_timeout)
            # The script reloads when the answer is above the epoch it sent.
            return [b"%d" % (self._visible_epoch if self.changed_since(page, epoch) else epoch)]

    def _inject_js_into_html(self, content, epoch):
        content = super()._inject_js_into_html(content, epoch)
        if self.error is None:
            return content
        at = content.rfind(b"</body>")
        at = len(content) if at < 0 else at
        return content[:at] + overlay(self.error) + content[at:]


class IdleCollector:
    """The garbage of rebuilds (the session pauses the cycle collector while it builds),
    collected while the author reads the page: `delay` seconds after a build, never
    during one (a collection walks the whole site in memory, a sixth of a rebuild), and
    before a build once `most` builds in a row left no idle moment for it."""

    def __init__(self, delay: float = 0.3, most: int = 2) -> None:
        self.delay, self.most = delay, most
        self.pending = 0  # builds whose garbage is not collected yet
        self.collections = 0
        self._building = threading.Lock()
        self._timer: threading.Timer | None = None

    @contextlib.contextmanager
    def building(self):
        if self._timer is not None:
            self._timer.cancel()
        with self._building:
            if self.pending >= self.most:
                self._collect()
            try:
                yield
            finally:
                self.pending += 1
        self._timer = threading.Timer(self.delay, self._when_idle)
        self._timer.daemon = True
        self._timer.start()

    def _when_idle(self) -> None:
        if self._building.acquire(blocking=False):  # a build started meanwhile: it collects later
            try:
                self._collect()
            finally:
                self._building.release()

    def _collect(self) -> None:
        gc.collect()
        self.pending = 0
        self.collections += 1


class _Errors(logging.Handler):
    """The error messages logged during one build."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _native_observer(server: LiveReloadServer) -> None:
    """inotify instead of MkDocs' polling every 0.5 s of every file of a 1000-post site."""
    try:
        from watchdog.observers import Observer

        server.observer = Observer()
    except Exception:  # noqa: BLE001 - keep MkDocs' polling observer
        pass


def serve(config_file: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Build, serve and rebuild on change until interrupted."""
    from mkdocs.config import load_config

    probe = load_config(config_file)
    mount_path = urlsplit(probe.site_url or "/").path or "/"
    site_dir = tempfile.mkdtemp(prefix="winwin-serve-")
    session = Session(config_file, site_dir, command="serve", site_url=f"http://{host}:{port}{mount_path}")
    server = PreviewServer(session, host, port, mount_path)
    stop = _stop_on_sigterm()
    try:
        server.rebuild()
        if server.error is not None:
            raise SystemExit(1)
        config = session.load_config()
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        for item in config.watch:
            server.watch(item)
        server.error_handler = lambda code: _error_page(site_dir, code)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        stop()
        session.close()
        shutil.rmtree(site_dir, ignore_errors=True)


def _stop_on_sigterm():
    """SIGTERM ends the preview like Ctrl-C (the temporary site is removed); returns the undo."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    return lambda: signal.signal(signal.SIGTERM, previous)


def _error_page(site_dir: str, code: int) -> bytes | None:
    path = os.path.join(site_dir, f"{code}.html")
    if code in (404, 500) and os.path.isfile(path):
        with open(path, "rb") as f:
            return f.read()
    return None
