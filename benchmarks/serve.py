"""Edit-to-reload of `winwin serve` against `mkdocs serve` and `mkdocs serve --dirty`, one run.

Generates N posts (benchmarks/build.py's corpus, the winwin "core" site) and,
for each server in turn on 127.0.0.1, times three edits: a post's body, a
guide chapter, a new post. The time is from writing the file to the page
(the post, the chapter, the new post) being served with the change, found by
fetching it over HTTP every 50 ms (MkDocs' server holds requests while it
builds). Medians over `--repeat` rounds are printed side by side, then for
winwin serve: the rebuild time of a one-post edit as the server logs it, and
the peak memory (VmHWM) after the first build and after 20 more edits.

    .venv/bin/python benchmarks/serve.py            # N = 1000, 3 rounds
    .venv/bin/python benchmarks/serve.py 200 --repeat 2

`mkdocs serve --dirty` is timed as it behaves: it rebuilds only the edited
page, so its other pages (indexes, chapter lists, feeds) stay stale.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as corpus  # noqa: E402 - the generator of benchmarks/build.py
from mkdocs_winwin.prompts.isso import free_port  # noqa: E402

BIN = Path(sys.executable).parent
POST_URL = "blog/{date}/pointer-post-number-{i}/"
TIMEOUT = 600.0  # seconds: the longest any wait may take (a first build at 5000 posts)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 - 127.0.0.1 only
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, marker: str, deadline: float) -> float:
    """Seconds until `url` is served containing `marker` (polling every 50 ms, bounded)."""
    start = time.perf_counter()
    while time.perf_counter() - start < deadline:
        status, body = fetch(url)
        if status == 200 and marker in body:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {marker!r} within {deadline:.0f} s")


@dataclass
class Server:
    name: str
    command: list[str]
    project: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> float:
        self.log = self.project / f"{self.name.replace(' ', '-')}.log"
        command = [part.replace("{port}", str(self.port)) for part in self.command]
        self.process = subprocess.Popen(command, cwd=self.project, stdout=self.log.open("w"),
                                        stderr=subprocess.STDOUT)
        start = time.perf_counter()
        wait_for(self.base, "</html>", TIMEOUT)
        return time.perf_counter() - start

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
            self.process = None

    def peak_memory_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024


def settle(server: Server) -> None:
    """Let a rebuild triggered by an editor's several file events finish before the next edit."""
    time.sleep(0.5)
    fetch(server.base)  # held by the server until no build is running


def post_url(i: int) -> str:
    import datetime as dt

    date = dt.date(2020, 1, 1) + dt.timedelta(days=i)
    return POST_URL.format(date=date.strftime("%Y/%m/%d"), i=i)


def _mark(path: Path, marker: str) -> None:
    """A last paragraph 'Edit <marker>' (replacing the previous one): what an author's save changes."""
    text = re.sub(r"\n\nEdit \S+\n$", "\n", path.read_text())
    path.write_text(text.rstrip("\n") + f"\n\nEdit {marker}\n")


def edit_post(content: Path, i: int, marker: str) -> str:
    _mark(content / "blog" / "posts" / f"post-{i:05d}.md", marker)
    return post_url(i)


def edit_chapter(content: Path, marker: str) -> str:
    _mark(content / "guide" / "give-first.md", marker)
    return "guide/give-first/"


def add_post(content: Path, i: int, marker: str) -> str:
    text = corpus.post_text(i).replace("Ask first.", f"Ask first. {marker}")
    (content / "blog" / "posts" / f"post-{i:05d}.md").write_text(text)
    return post_url(i)


def time_edits(server: Server, content: Path, posts: int, repeat: int, tag: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"edit a post": [], "edit a chapter": [], "add a post": []}
    for r in range(repeat):
        for scenario in times:
            marker = f"m{tag}{r}{scenario.split()[-1]}"
            settle(server)
            if scenario == "edit a post":
                url = edit_post(content, posts // 2 + r, marker)
            elif scenario == "edit a chapter":
                url = edit_chapter(content, marker)
            else:
                url = add_post(content, posts + 100 * (ord(tag[0]) % 7) + r, marker)
            times[scenario].append(wait_for(server.base + url, marker, TIMEOUT))
    return times


def rebuilds_logged(log: Path) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of every incremental rebuild winwin serve logged, the first build aside."""
    found = re.findall(r"Rebuilt in ([0-9.]+) s \(([0-9.]+) s CPU\)", log.read_text())
    return [(float(w), float(c)) for w, c in found][1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", nargs="?", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three edits per server")
    parser.add_argument("--memory-edits", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="generate here and keep it")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="winwin-serve-bench-"))
    try:
        seed = workdir / "seed"
        shutil.rmtree(workdir / "seed", ignore_errors=True)
        corpus.generate(seed, args.posts)
        servers = [
            Server("winwin serve", [str(BIN / "winwin"), "serve", "-f", "mkdocs.yml", "-p", "{port}"], workdir / "winwin"),
            Server("mkdocs serve", [sys.executable, "-m", "mkdocs", "serve", "-f", "mkdocs.yml",
                                    "-a", "127.0.0.1:{port}"], workdir / "mkdocs"),
            Server("mkdocs serve --dirty", [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", "mkdocs.yml",
                                            "-a", "127.0.0.1:{port}"], workdir / "dirty"),
        ]
        results: dict[str, dict[str, list[float]]] = {}
        first: dict[str, float] = {}
        memory: tuple[float, float] | None = None
        rebuilds: list[tuple[float, float]] = []
        for server in servers:
            shutil.rmtree(server.project, ignore_errors=True)
            shutil.copytree(seed / "content", server.project / "content")
            shutil.copytree(corpus.REPO / "theme", server.project / "theme")
            (server.project / "mkdocs.yml").write_text(corpus.SHARED_CONFIG.format(
                theme_extra="  custom_dir: theme\n", plugins=corpus.WINWIN_VARIANTS["core"]))
            print(f"{server.name}: first build...", flush=True)
            try:
                first[server.name] = server.start()
                if server.name == "winwin serve":
                    settle(server)
                    after_first = server.peak_memory_mb()
                results[server.name] = time_edits(server, server.project / "content", args.posts, args.repeat,
                                                  tag=server.name[0] + str(len(server.name)))
                if server.name == "winwin serve":
                    rebuilds = rebuilds_logged(server.log)
                    for n in range(args.memory_edits):
                        settle(server)
                        url = edit_post(server.project / "content", n * 37 % args.posts, f"mem{n}")
                        wait_for(server.base + url, f"mem{n}", TIMEOUT)
                    memory = (after_first, server.peak_memory_mb())
            finally:
                server.stop()
        print(f"\nEdit to reload at {args.posts} posts, median of {args.repeat} (seconds, wall clock):")
        names = [s.name for s in servers]
        print(f"{'':16}" + "".join(f"{n:>24}" for n in names))
        print(f"{'first build':16}" + "".join(f"{first[n]:>24.2f}" for n in names))
        for scenario in ("edit a post", "edit a chapter", "add a post"):
            print(f"{scenario:16}" + "".join(f"{statistics.median(results[n][scenario]):>24.2f}" for n in names))
        if rebuilds:
            walls, cpus = zip(*rebuilds)
            print(f"\nwinwin serve rebuilds ({len(rebuilds)} after the first): median {statistics.median(walls):.2f} s "
                  f"wall, {statistics.median(cpus):.2f} s CPU")
        if memory:
            print(f"winwin serve peak memory: {memory[0]:.0f} MB after the first build, {memory[1]:.0f} MB after "
                  f"the timed edits and {args.memory_edits} more ({memory[1] / memory[0]:.2f}x)")
        print("(mkdocs serve --dirty leaves indexes, chapter lists and feeds stale; see its docstring)")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
