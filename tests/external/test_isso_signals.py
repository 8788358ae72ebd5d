"""`winwin serve --comments` stops its Isso however it is stopped: SIGINT, SIGTERM, SIGHUP,
even SIGKILL (Linux then tells Isso itself). A real Isso on 127.0.0.1 in a child process.

No timed assertions: each wait is a bounded loop that fails only when a process
never stops or a port never closes within a minute.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mkdocs_winwin.prompts.isso import free_port
from tests.support import prompts_config as config, small_site, winwin_serve_comments

BOUND = 60  # seconds: far above what stopping takes even on a loaded machine


def _isso_port(root: Path, serve: subprocess.Popen) -> int:
    """Isso's port once `winwin serve --comments` answers on it."""
    deadline = time.monotonic() + BOUND
    cfg = root / ".cache/winwin/isso/isso.cfg"
    while True:
        assert serve.poll() is None, serve.stdout.read()
        if cfg.exists() and "listen = http://127.0.0.1:" in cfg.read_text():
            port = int(cfg.read_text().split("listen = http://127.0.0.1:")[1].split("/")[0])
            if _answers(port):
                return port
        assert time.monotonic() < deadline, "Isso never answered"
        time.sleep(0.2)


def _answers(port: int, path: str = "info") -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=2):
            return True
    except OSError:
        return False


def _start(tmp_path: Path) -> tuple[subprocess.Popen, int]:
    """`winwin serve --comments` once both Isso and the preview answer; (the process, Isso's port)."""
    root = small_site(tmp_path, {"mkdocs.yml": config()})
    site_port = free_port()
    serve = winwin_serve_comments(root, site_port)
    isso_port = _isso_port(root, serve)
    deadline = time.monotonic() + BOUND
    while not _answers(site_port, ""):
        assert serve.poll() is None and time.monotonic() < deadline, "the preview never answered"
        time.sleep(0.2)
    return serve, isso_port


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_stop_signal_stops_isso_too(tmp_path, signum):
    serve, port = _start(tmp_path)
    try:
        serve.send_signal(signum)
        output, _ = serve.communicate(timeout=BOUND)
    finally:
        if serve.poll() is None:
            serve.kill()
    # A clean shutdown through the context manager, not a death by signal (status -signum).
    assert serve.returncode == 0 and "Shutting down..." in output, output[-2000:]
    assert not _answers(port), f"Isso still listens on {port} after {signum.name} to winwin serve"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_isso_stops_even_when_winwin_is_killed_outright(tmp_path):
    serve, port = _start(tmp_path)
    serve.kill()
    serve.communicate(timeout=BOUND)
    deadline = time.monotonic() + BOUND
    while _answers(port):
        assert time.monotonic() < deadline, f"Isso still listens on {port} after winwin was killed"
        time.sleep(0.2)
