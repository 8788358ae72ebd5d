"""Build time of winwin against vanilla mkdocs-material + mkdocs-rss-plugin.

Generates N synthetic pointer posts (with guide chapters and authors) into a
temporary folder and builds the SAME content with winwin and with stock
Material (blog, tags, search) plus mkdocs-rss-plugin. winwin is built twice:
"core" (the site plugin: validation, cross-links, 12 feeds) and "full" (plus
the "Your turn" section and share row under every post). Prints the times
(wall clock, and CPU seconds, steadier when the machine is shared) and the
ratio winwin/vanilla (the target: at most 0.7 at N = 1000), each from a clean
state (no .cache/winwin/), then the time of `winwin build` after one post
changed, with the cache (`build_cache: true`) the previous build left.

    .venv/bin/python benchmarks/build.py            # N = 100 and 1000
    .venv/bin/python benchmarks/build.py 1000 --repeat 5

mkdocs-rss-plugin pins mkdocs==1.6.1 and pulls in `properdocs`, so the vanilla
build runs in its own throwaway venv (.cache/bench-vanilla, created on first
use with the same mkdocs and Material versions as ours) unless the current
interpreter already has the plugin.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from textwrap import dedent

REPO = Path(__file__).resolve().parents[1]
VANILLA_VENV = REPO / ".cache" / "bench-vanilla"

CHAPTERS = ["give-first", "good-conversation", "avoid-arguments", "be-of-help", "follow-up"]
AUTHORS = ["amara", "jonas", "priya"]
TAGS = ["meetups", "email", "conferences", "mentoring", "online", "coffee"]

SHARED_CONFIG = """\
site_name: Bench
site_url: https://bench.example.org/
docs_dir: content
theme:
  name: material
{theme_extra}  font: false
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
plugins:
  - search
{plugins}"""

# Two winwin builds of the same content: "core" is what issue 2 asks to
# compare (validation, cross-links, feeds: the site plugin alone); "full" adds
# the "Your turn" section and share row under every post (winwin-prompts).
# The reading list has its own benchmark (benchmarks/feeds.py).
_CORE = """\
  - winwin
"""
_REST = """\
  - blog:
      post_url_format: "{date}/{slug}"
  - tags
"""
WINWIN_VARIANTS = {
    "core": _CORE + _REST,
    "full": _CORE + "  - winwin-prompts:\n      email: owner@bench.example.org\n" + _REST,
}

VANILLA_PLUGINS = """\
  - blog:
      post_url_format: "{date}/{slug}"
  - tags
  - rss:
      match_path: "blog/posts/.*"
      use_git: false
      date_from_meta:
        as_creation: date
      categories:
        - tags
"""


def post_text(i: int) -> str:
    date = dt.date(2020, 1, 1) + dt.timedelta(days=i)
    themes = sorted({CHAPTERS[i % 5], CHAPTERS[(i * 3 + 1) % 5]})
    return dedent(f"""\
        ---
        title: "Pointer post number {i}"
        date: {date.isoformat()}
        authors: [{AUTHORS[i % 3]}]
        themes: [{", ".join(themes)}]
        tags: [{TAGS[i % 6]}, {TAGS[(i + 2) % 6]}]
        description: Why pointer set {i} helps you give first.
        ---

        Where pointer set {i} comes from: a [chapter](../../guide/{themes[0]}.md)
        and an image ![logo](../../assets/logo.svg).

        <!-- more -->

        ## My pointers

        1. **Ask first.** Ask about their work before you talk about yours; it
           works at meetups and in email alike.
        2. **Offer something small.** An introduction, an article, a tip. Keep
           it concrete enough to try this week.
        3. **Follow up.** Within a week, with a short note and one question.

        !!! tip "Try it"
            Pick one person you met recently and send the note today.
        """)


def chapter_text(order: int, theme: str) -> str:
    title = theme.replace("-", " ").capitalize()
    body = " ".join(["Networking works when both sides win; give before you ask."] * 40)
    return f"---\ntitle: {title}\ntheme: {theme}\norder: {order}\ndescription: About {title}.\n---\n\n# {title}\n\n{body}\n"


def generate(root: Path, posts: int) -> None:
    """The content folder shared by both builds."""
    content = root / "content"
    (content / "blog" / "posts").mkdir(parents=True)
    (content / "guide").mkdir()
    (content / "assets").mkdir()
    shutil.copy(REPO / "content" / "assets" / "logo.svg", content / "assets" / "logo.svg")
    (content / "index.md").write_text("# Bench\n\nA synthetic site.\n")
    (content / "blog" / "index.md").write_text("# Blog\n")
    (content / "blog" / ".authors.yml").write_text(
        "authors:\n" + "".join(
            f"  {a}:\n    name: {a.capitalize()} Example\n    description: Writer\n"
            f"    avatar: https://bench.example.org/{a}.png\n" for a in AUTHORS)
    )
    for order, theme in enumerate(CHAPTERS, 1):
        (content / "guide" / f"{theme}.md").write_text(chapter_text(order, theme))
    for i in range(posts):
        (content / "blog" / "posts" / f"post-{i:05d}.md").write_text(post_text(i))


def vanilla_python() -> str:
    """An interpreter with mkdocs-rss-plugin and our mkdocs/Material versions."""
    if importlib.util.find_spec("mkdocs_rss_plugin"):
        return sys.executable
    python = VANILLA_VENV / "bin" / "python"
    if not python.exists():
        print(f"Creating {VANILLA_VENV} for mkdocs-rss-plugin (once)...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VANILLA_VENV)], check=True)
        subprocess.run([
            str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
            f"mkdocs=={version('mkdocs')}", f"mkdocs-material=={version('mkdocs-material')}",
            "mkdocs-rss-plugin",
        ], check=True)
    return str(python)


@dataclass(frozen=True)
class Timing:
    wall: float  # seconds on the clock
    cpu: float  # user + system seconds of the build process: steadier on a busy machine


def timed_build(project: Path, command: list[str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        sys.exit(f"Build failed in {project}:\n{result.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def best(timings: list[Timing]) -> Timing:
    return Timing(min(t.wall for t in timings), min(t.cpu for t in timings))


def bench(posts: int, repeat: int, workdir: Path) -> tuple[dict[str, Timing], Timing]:
    """Best timings of each winwin variant and of vanilla, on the same generated content."""
    base = workdir / f"n{posts}"
    shutil.rmtree(base, ignore_errors=True)  # a --keep folder from an earlier run
    generate(base / "seed", posts)
    projects = {name: base / name for name in WINWIN_VARIANTS}
    vanilla = base / "vanilla"
    for project in (*projects.values(), vanilla):
        shutil.copytree(base / "seed" / "content", project / "content")
    for name, project in projects.items():
        shutil.copytree(REPO / "theme", project / "theme")
        (project / "mkdocs.yml").write_text(
            SHARED_CONFIG.format(theme_extra="  custom_dir: theme\n", plugins=WINWIN_VARIANTS[name]))
    (vanilla / "mkdocs.yml").write_text(SHARED_CONFIG.format(theme_extra="", plugins=VANILLA_PLUGINS))
    ours = [str(Path(sys.executable).parent / "winwin"), "build", "-f", "mkdocs.yml"]
    theirs = [vanilla_python(), "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml"]
    # Best of `repeat`, alternating, so a noisy neighbour hurts all alike.
    ours_t: dict[str, list[Timing]] = {name: [] for name in projects}
    theirs_t = []
    for _ in range(repeat):
        for name, project in projects.items():
            ours_t[name].append(timed_build(project, ours))
        theirs_t.append(timed_build(vanilla, theirs))
    for project in projects.values():
        pages = [len(list((p / "site").rglob("*.html"))) for p in (project, vanilla)]
        if pages[0] != pages[1] or pages[0] < posts:
            sys.exit(f"The two builds differ: {pages[0]} pages with winwin, {pages[1]} without.")
        feeds = sorted(p.name for p in (project / "site").glob("*.xml") if p.name != "sitemap.xml")
        if len(feeds) != 2 * (1 + len(CHAPTERS)):
            sys.exit(f"winwin wrote {len(feeds)} feeds, expected {2 * (1 + len(CHAPTERS))}: {feeds}")
    # And a rebuild after one post changed, with the cache (build_cache: true) the last build left.
    cached = base / "cached"
    shutil.copytree(projects["core"], cached, ignore=shutil.ignore_patterns("site", ".cache"))
    config = cached / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - winwin\n", "  - winwin:\n      build_cache: true\n", 1))
    timed_build(cached, ours)
    warm = []
    for i in range(repeat):
        post = cached / "content" / "blog" / "posts" / f"post-{posts // 2:05d}.md"
        post.write_text(post.read_text() + f"\n\nEdited {i}.\n")
        warm.append(timed_build(cached, ours))
    WARM[posts] = best(warm)
    return {name: best(t) for name, t in ours_t.items()}, best(theirs_t)


WARM: dict[int, Timing] = {}  # posts -> `winwin build` (core, build_cache) after one post changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", nargs="*", type=int, default=[100, 1000], help="numbers of posts")
    parser.add_argument("--repeat", type=int, default=3, help="builds per tool; the best time counts")
    parser.add_argument("--keep", type=Path, help="generate and build here, and keep it")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="winwin-bench-"))
    try:
        print(f"{'posts':>6} {'winwin':>7} {'winwin s':>9} {'vanilla s':>10} {'ratio':>6}"
              f"   {'winwin cpu s':>12} {'vanilla cpu s':>13} {'cpu ratio':>9}")
        for n in args.posts:
            variants, theirs = bench(n, args.repeat, workdir)
            for name, ours in variants.items():
                print(f"{n:>6} {name:>7} {ours.wall:>9.2f} {theirs.wall:>10.2f} {ours.wall / theirs.wall:>6.2f}"
                      f"   {ours.cpu:>12.2f} {theirs.cpu:>13.2f} {ours.cpu / theirs.cpu:>9.2f}", flush=True)
            print(f"{n:>6} {'one post':>7} {WARM[n].wall:>9.2f} {'':>10} {'':>6}   {WARM[n].cpu:>12.2f}"
                  "   (winwin build, core + build_cache, after one post changed)", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
