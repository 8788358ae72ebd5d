"""A real local Isso comment server for previews and tests.

`winwin serve --comments` runs one beside the preview so authors see the real
comment box. Isso (the pip package `isso`) reads an INI config; here it is
written under `.cache/winwin/isso/` with the SQLite database beside it:

- `[general] host` is the site's origin (Isso answers CORS requests from it
  only, and fetches pages from it to name new threads);
- `[server] listen` is a free port on 127.0.0.1, never another interface.

Use it as a context manager; the process is stopped on exit, also on errors::

    with IssoServer(Path(".cache/winwin/isso"), site_origin="http://127.0.0.1:8000") as isso:
        print(isso.url)  # http://127.0.0.1:PORT/, for the prompts plugin's isso.url

Isso stops with us, however we stop. Inside the `with` block SIGTERM and
SIGHUP act as Ctrl-C does (KeyboardInterrupt: the preview shuts down and the
context manager's exit stops Isso); the previous handlers come back on exit.
Should we be killed outright (SIGKILL), Linux sends Isso SIGTERM itself
(PR_SET_PDEATHSIG), so no Isso is left listening either way.
"""

from __future__ import annotations

import ctypes
import importlib.util
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import WinwinError
from ..urls import is_http_url

START_TIMEOUT = 20.0
"""Seconds to wait for Isso to answer before giving up."""

STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""Signals that stop `winwin serve --comments` as Ctrl-C does (SIGINT is Python's KeyboardInterrupt already)."""
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child, before exec: Linux sends it SIGTERM when the process that started it dies."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the signal handlers below still cover TERM and HUP
        pass


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")


class IssoError(WinwinError):
    """Isso is missing, misconfigured or did not start; the message says how to fix it."""

    def __init__(self, message: str) -> None:
        super().__init__("", message)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def origin(url: str) -> str:
    """The scheme://host:port of a URL, as browsers send it in the Origin header."""
    if not is_http_url(url):
        raise IssoError(f"Isso needs the site's http(s) origin, got {url!r}.")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def config_text(*, dbpath: Path, site_origins: list[str], port: int, salt: str) -> str:
    """Isso's configuration for a local preview: loopback only, no mail, no moderation."""
    hosts = "\n    ".join(origin(o) for o in site_origins)
    return f"""\
# Written by winwin for a local preview; rewritten on every start.
[general]
dbpath = {dbpath}
host =
    {hosts}
notify = stdout
gravatar = false
latest-enabled = false

[admin]
enabled = false

[moderation]
enabled = false

[server]
listen = http://127.0.0.1:{port}/
reload = false

[guard]
enabled = true
# An author tries a few comments in a row while previewing.
ratelimit = 20
direct-reply = 20
reply-to-self = true
require-author = false
require-email = false

[hash]
salt = {salt}
"""


class IssoServer:
    """An Isso process on 127.0.0.1, started on enter and stopped on exit."""

    def __init__(self, folder: Path, *, site_origin: str | list[str], port: int | None = None):
        self.folder = Path(folder)
        self.site_origins = [site_origin] if isinstance(site_origin, str) else list(site_origin)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.db = self.folder / "comments.db"
        self.config_file = self.folder / "isso.cfg"
        self.log_file = self.folder / "isso.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> "IssoServer":
        if importlib.util.find_spec("isso") is None:
            raise IssoError(
                "The 'isso' package is not installed, so no local comment server can run. "
                "Fix: pip install 'winwin[comments]' (or pip install isso)."
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        self.config_file.write_text(config_text(
            dbpath=self.db.resolve(), site_origins=self.site_origins, port=self.port,
            salt=secrets.token_hex(12),
        ), encoding="utf-8")
        log = self.log_file.open("wb")
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", "from isso import main; main()",
                 "-c", str(self.config_file.resolve()), "run"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
            )
        finally:
            log.close()
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.stop()
                raise IssoError(f"Isso exited with code {self.process.returncode}:\n{self._log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "info", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        raise IssoError(f"Isso did not answer on {self.url} within {START_TIMEOUT:.0f} s:\n{self._log_tail()}")

    def _log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:]) or "(empty log)"

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> "IssoServer":
        self._previous = {}
        if threading.current_thread() is threading.main_thread():  # Python allows handlers only there
            for signum in STOP_SIGNALS:
                self._previous[signum] = signal.signal(signum, _interrupt)
        try:
            return self.start()
        except BaseException:  # also a signal while Isso starts: __exit__ would not run
            try:
                self.stop()
            finally:
                self._restore()
            raise

    def __exit__(self, *exc) -> None:
        try:
            self.stop()
        finally:
            self._restore()

    def _restore(self) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        self._previous = {}
