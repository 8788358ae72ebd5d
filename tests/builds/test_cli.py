"""The `winwin` command: build (atomic, --site-dir, --strict), check, new post, serve."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from mkdocs_winwin.cli.main import main
from mkdocs_winwin.content.loader import Layout, load_site
from mkdocs_winwin.prompts.isso import free_port
from tests.support import DRAFT_POST, small_site, write_tree

WINWIN = str(Path(sys.executable).parent / "winwin")

BAD_POST = {
    "content/blog/posts/bad.md": """
        ---
        title: Bad
        date: 2026-02-01
        authors: [nobody]
        themes: [first]
        description: An unknown author.
        ---
        Text.
    """,
}

BROKEN_LINK = {"content/broken.md": "# Broken\n\nSee [a page that does not exist](missing.md).\n"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- build -------------------------------------------------------------------


def test_build_writes_the_site(tmp_path):
    root = small_site(tmp_path)
    result = run("build", "--strict", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    assert f"Site written to {root / 'site'}" in result.output
    assert (root / "site" / "guide" / "first" / "index.html").is_file()
    assert (root / "site" / "rss.xml").is_file()


def test_a_failing_build_leaves_the_previous_site_byte_identical(tmp_path):
    root = small_site(tmp_path)
    config = str(root / "mkdocs.yml")
    assert run("build", "-f", config).exit_code == 0
    before = snapshot(root / "site")
    write_tree(root, BAD_POST)
    result = run("build", "-f", config)
    assert result.exit_code == 1
    assert "blog/posts/bad.md" in result.output and "'nobody'" in result.output
    assert "nothing was written" in result.output
    assert snapshot(root / "site") == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "mkdocs.yml", "site", "theme"]


def test_a_successful_rebuild_replaces_the_site(tmp_path):
    root = small_site(tmp_path)
    config = str(root / "mkdocs.yml")
    assert run("build", "-f", config).exit_code == 0
    stale = root / "site" / "stale.txt"
    stale.write_text("from an older build")
    assert run("build", "-f", config).exit_code == 0
    assert not stale.exists()
    assert (root / "site" / "index.html").is_file()


def test_site_dir_option(tmp_path):
    root = small_site(tmp_path / "src")
    out = tmp_path / "elsewhere" / "public"
    result = run("build", "-f", str(root / "mkdocs.yml"), "--site-dir", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "atom.xml").is_file()
    assert not (root / "site").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == ["public"]


def test_a_site_dir_inside_the_docs_folder_is_refused_before_anything_is_written(tmp_path):
    root = small_site(tmp_path / "src")
    before = snapshot(root / "content")
    result = run("build", "-f", str(root / "mkdocs.yml"), "--site-dir", str(root / "content" / "public"))
    assert result.exit_code == 1
    assert "'site_dir' should not be within the 'docs_dir'" in result.output
    assert snapshot(root / "content") == before and not (root / "content" / "public").exists()
    assert [p.name for p in (root / "content").iterdir() if p.name.startswith(".public")] == []


def test_strict_turns_a_warning_into_a_failure(tmp_path):
    root = small_site(tmp_path, BROKEN_LINK)
    config = str(root / "mkdocs.yml")
    loose = run("build", "-f", config, "-d", str(tmp_path / "loose"))
    assert loose.exit_code == 0, loose.output
    assert "missing.md" in loose.output  # the warning is shown, not swallowed
    strict = run("build", "--strict", "-f", config, "-d", str(tmp_path / "strict"))
    assert strict.exit_code == 1
    assert "missing.md" in strict.output and "strict" in strict.output
    assert not (tmp_path / "strict").exists()


def test_a_missing_config_file_is_named(tmp_path):
    result = run("check", "-f", str(tmp_path / "nope.yml"))
    assert result.exit_code != 0
    assert "nope.yml" in result.output


# --- check -------------------------------------------------------------------


def test_check_ok(tmp_path):
    root = small_site(tmp_path, DRAFT_POST)
    result = run("check", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    assert "OK: 2 chapters, 2 posts, 1 authors." in result.output
    assert not (root / "site").exists()  # checking builds nothing


def test_check_lists_problems_and_exits_1(tmp_path):
    root = small_site(tmp_path, BAD_POST)
    result = run("check", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 1
    assert "error: blog/posts/bad.md: 'authors': unknown value 'nobody'" in result.output
    assert "use one of: ann" in result.output


# --- new post ----------------------------------------------------------------

# The day `new post` dates a post: fixed through SOURCE_DATE_EPOCH, so a test
# run across midnight (or in any time zone) gets the date it checks.
POST_DAY = dt.date(2024, 2, 29)


@pytest.fixture
def post_day(monkeypatch) -> dt.date:
    epoch = dt.datetime.combine(POST_DAY, dt.time(12), dt.timezone.utc).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    return POST_DAY


def test_new_post_writes_a_valid_draft_and_prints_its_path(tmp_path, post_day):
    root = small_site(tmp_path)
    config = str(root / "mkdocs.yml")
    result = run("new", "post", "Coffee: the ten-minute kind", "-f", config,
                 "--author", "ann", "--theme", "second", "--theme", "first")
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.is_file()
    assert path.parent == root / "content" / "blog" / "posts"
    assert path.name == f"{post_day.isoformat()}-coffee-the-ten-minute-kind.md"
    post = frontmatter.load(path)
    assert post["title"] == "Coffee: the ten-minute kind"
    assert post["authors"] == ["ann"] and post["themes"] == ["second", "first"]
    assert post["draft"] is True and post["date"] == post_day
    check = run("check", "-f", config)
    assert check.exit_code == 0, check.output
    assert "warning" not in check.output
    site = load_site(root / "content", Layout())
    (new,) = [p for p in site.posts if p.title == post["title"]]
    assert new.draft
    # A draft: the build accepts it (strict) and leaves it out.
    build = run("build", "--strict", "-f", config)
    assert build.exit_code == 0, build.output
    assert not any("ten-minute" in p.as_posix() for p in (root / "site").rglob("*"))


def test_new_post_refuses_to_overwrite(tmp_path, post_day):
    root = small_site(tmp_path)
    args = ["new", "post", "Same title", "-f", str(root / "mkdocs.yml"), "--author", "ann", "--theme", "first"]
    first = run(*args)
    path = Path(first.output.strip())
    path.write_text(path.read_text() + "\nMy own words.\n")
    edited = path.read_bytes()
    second = run(*args)
    assert second.exit_code == 1
    assert "already exists" in second.output and path.name in second.output
    assert path.read_bytes() == edited


@pytest.mark.parametrize("option, value, valid", [
    ("--author", "zed", "ann"),
    ("--theme", "third", "first, second"),
])
def test_new_post_rejects_unknown_ids_naming_the_valid_ones(tmp_path, option, value, valid):
    root = small_site(tmp_path)
    args = {"--author": "ann", "--theme": "first"}
    args[option] = value
    result = run("new", "post", "Nope", "-f", str(root / "mkdocs.yml"),
                 "--author", args["--author"], "--theme", args["--theme"])
    assert result.exit_code == 1
    assert f"'{value}'" in result.output and valid in result.output
    assert sorted(p.name for p in (root / "content" / "blog" / "posts").iterdir()) == ["hello.md"]


# --- serve -------------------------------------------------------------------


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def poll(url: str, until, seconds: float = 60) -> str:
    """GET `url` until `until(status, body)` holds; bounded by `seconds`."""
    deadline = time.monotonic() + seconds
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if until(status, body):
            return body
        time.sleep(0.3)
    raise AssertionError(f"{url}: gave up after {seconds}s (last status {status})")


@pytest.fixture
def served(tmp_path):
    """`winwin serve --port N` on a small site with a draft; yields (root, base URL)."""
    root = small_site(tmp_path, DRAFT_POST)
    port = free_port()
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([WINWIN, "serve", "--port", str(port), "-f", "mkdocs.yml"],
                            cwd=root, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        yield root, f"http://127.0.0.1:{port}/"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


def test_serve_shows_drafts_and_reloads_on_edit(served):
    root, base = served
    home = poll(base, lambda status, body: status == 200)
    assert "Home" in home
    # The draft is visible while serving: its page and the chapter's pointers.
    assert "Draft text" in poll(base + "blog/2026/03/01/secret-draft/", lambda s, b: s == 200)
    chapter = poll(base + "guide/first/", lambda s, b: s == 200)
    assert "Secret draft" in chapter

    # Live reload: an edited chapter is rebuilt and served.
    source = root / "content" / "guide" / "second.md"
    source.write_text(source.read_text().replace("# Second", "# Second\n\nFreshly edited words."))
    poll(base + "guide/second/", lambda s, b: s == 200 and "Freshly edited words." in b, seconds=60)

    # The same site built for publishing leaves the draft out.
    result = run("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    built = (root / "site" / "guide" / "first" / "index.html").read_text()
    assert "Secret draft" not in built
    assert not (root / "site" / "blog" / "2026" / "03").exists()


def test_new_post_keeps_an_awkward_title_intact(tmp_path, post_day):
    root = small_site(tmp_path)
    title = 'Café: "quotes", #hashes & a trailing colon:'
    result = run("new", "post", title, "-f", str(root / "mkdocs.yml"), "--author", "ann", "--theme", "first")
    assert result.exit_code == 0, result.output
    path = Path(result.output.strip())
    assert path.name == f"{post_day.isoformat()}-cafe-quotes-hashes-a-trailing-colon.md"
    assert frontmatter.load(path)["title"] == title
    assert run("check", "-f", str(root / "mkdocs.yml")).exit_code == 0
