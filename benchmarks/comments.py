"""Build time with comments kept in the repository against the same build without.

Generates N pointer posts (benchmarks/build.py's content) and builds them
twice with the "full" winwin plugins (core + prompts): once as they are, once
with a PAGE.comments.yml beside every post holding 10 comments (3 of them
replies, a third with Markdown, the rest plain prose) and 2 reactions. The
target is a ratio of at most 1.1 at N = 1000, judged on CPU seconds (user +
system of the build process): on a shared machine the wall clock moves by
more than the 10% being measured, the CPU time far less. Both are printed.

    .venv/bin/python benchmarks/comments.py            # N = 1000, best of 3
    .venv/bin/python benchmarks/comments.py 200 --repeat 2

Exits 1 when the ratio of the best CPU times is above --max-ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import REPO, SHARED_CONFIG, WINWIN_VARIANTS, best, generate, timed_build  # noqa: E402

PLAIN = ("Thanks for this, I tried the one-question follow-up after a meetup last week and got two replies.\n\n"
         "It works better than my usual recap. I will keep doing it.")
MARKDOWN = ("This is *exactly* what I needed. Two pointers of mine:\n\n"
            "- ask about **their** week\n- send the [article](https://example.org/a) you promised\n\n"
            "> give before you ask\n")


def conversation(i: int, count: int = 10) -> str:
    lines = ["comments:"]
    start = dt.datetime(2020, 1, 1, 9) + dt.timedelta(days=i + 1)
    for n in range(count):
        lines += [f"  - id: bench-{n}"]
        if n in (2, 5, 8):
            lines += [f"    parent: bench-{n - 1}"]
        lines += [f"    author: Reader {n}", f"    url: https://reader{n}.example/" if n % 2 else "",
                  f"    date: {(start + dt.timedelta(hours=n)).strftime('%Y-%m-%dT%H:%M:%SZ')}",
                  "    source: import", "    body: |"]
        body = MARKDOWN if n % 3 == 0 else PLAIN
        lines += ["      " + line for line in body.splitlines()]  # a blank body line stays (as indentation only)
    lines += ["reactions:", "  - {id: wm-1, kind: like}", "  - {id: wm-2, kind: repost}"]
    return "\n".join(line for line in lines if line != "") + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", nargs="?", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="builds per variant; the best time counts")
    parser.add_argument("--max-ratio", type=float, default=1.1)
    parser.add_argument("--keep", type=Path, help="generate and build here, and keep it")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="winwin-bench-comments-"))
    try:
        shutil.rmtree(workdir / "seed", ignore_errors=True)
        generate(workdir / "seed", args.posts)
        projects = {name: workdir / name for name in ("without", "with")}
        for project in projects.values():
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(workdir / "seed" / "content", project / "content")
            shutil.copytree(REPO / "theme", project / "theme")
            (project / "mkdocs.yml").write_text(
                SHARED_CONFIG.format(theme_extra="  custom_dir: theme\n", plugins=WINWIN_VARIANTS["full"]))
        posts = sorted((projects["with"] / "content" / "blog" / "posts").glob("*.md"))
        for i, post in enumerate(posts):
            post.with_suffix(".comments.yml").write_text(conversation(i))
        command = [str(Path(sys.executable).parent / "winwin"), "build", "-f", "mkdocs.yml"]
        times = {name: [] for name in projects}
        for _ in range(args.repeat):  # alternating, so a noisy neighbour hurts both alike
            for name, project in projects.items():
                times[name].append(timed_build(project, command))
        site = projects["with"] / "site"
        sample = next((site / "blog").rglob("pointer-post-number-0/index.html")).read_text()
        if "10 replies" not in sample or not (site / "atom-comments.xml").exists():
            sys.exit("The comments build shows no comments: nothing was measured.")
        without, with_ = best(times["without"]), best(times["with"])
        ratio = with_.wall / without.wall
        print(f"{'posts':>6} {'without s':>10} {'with s':>8} {'ratio':>6}   {'without cpu':>11} {'with cpu':>9} {'cpu ratio':>9}")
        print(f"{args.posts:>6} {without.wall:>10.2f} {with_.wall:>8.2f} {ratio:>6.3f}"
              f"   {without.cpu:>11.2f} {with_.cpu:>9.2f} {with_.cpu / without.cpu:>9.3f}")
        cpu_ratio = with_.cpu / without.cpu
        if cpu_ratio > args.max_ratio:
            sys.exit(f"With comments the build takes {cpu_ratio:.3f}x the CPU time, above {args.max_ratio}.")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
