"""Crash-safe builds: a build killed at any step leaves the old site or the new one, never
debris that lasts; the site gets mkdocs' folder mode; a full disk or a read-only target is
one clear sentence.

Each kill runs the build in a child process that SIGKILLs itself at a chosen call of one
of the swap's primitives (before or after it runs), then the parent looks at what is left
on disk. Plain `theme: mkdocs` sites keep each child build well under a second.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from mkdocs_winwin.cli import build as swap
from mkdocs_winwin.cli.build import SiteWriteError, build_site

REPO = Path(__file__).resolve().parents[2]

CONFIG = "site_name: Swap test\ndocs_dir: docs\ntheme:\n  name: mkdocs\n"

# The child: wrap one function so that its Nth call kills the process (before or after it runs).
CHILD = """
import os, signal, sys
import mkdocs.commands.build as mk
from mkdocs_winwin.cli import build as b

config, site, owner, name, nth, when, no_exchange = sys.argv[1:8]
nth = int(nth)
holder = {"b": b, "os": os, "mk": mk}[owner]
real = getattr(holder, name)
calls = 0

def dying(*args, **kwargs):
    global calls
    calls += 1
    if calls == nth and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    if calls == nth and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(holder, name, dying)
if no_exchange == "1":
    b._exchange = lambda new, target: False
b.build_site(config, site_dir=site)
"""


def write_site(root: Path, version: str, pages: int = 3) -> None:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    for old in (root / "docs").glob("*.md"):
        old.unlink()
    for n in range(pages):
        (root / "docs" / ("index.md" if n == 0 else f"page{n}.md")).write_text(f"# {version} {n}\n")
    (root / "mkdocs.yml").write_text(CONFIG)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a site and its bytes (the sitemap's by name only: it carries the build date)."""
    return {str(p.relative_to(folder)): b"" if p.name.startswith("sitemap.xml") else p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def debris(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(autouse=True)
def same_build_date(monkeypatch):
    """MkDocs writes the build date into every page: one fixed date makes two builds comparable."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The complete file trees of the old and the new site, built normally."""
    root = tmp_path_factory.mktemp("reference")
    os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # module scope: monkeypatch is not available here
    found = {}
    for version in ("Old", "New"):
        write_site(root, version)
        found[version] = tree(build_site(str(root / "mkdocs.yml"), site_dir=str(root / "site")))
    assert found["Old"] != found["New"]
    return found


def kill_during_build(root: Path, owner: str, name: str, nth: int, when: str, no_exchange: bool = False) -> int:
    env = {**os.environ, "PYTHONPATH": str(REPO / "builder")}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(root / "mkdocs.yml"), str(root / "site"), owner, name, str(nth), when,
         "1" if no_exchange else "0"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    return child.returncode


# (where the primitive lives, its name, which call, before or after it runs)
STEPS = [
    ("b", "_make_temp", 1, "after"),            # the empty temporary folder exists
    ("mk", "_build_page", 2, "before"),         # half the pages written into it
    ("mk", "build", 1, "after"),                # the whole new site built, not swapped
    ("b", "_exchange", 1, "before"),
    ("b", "_exchange", 1, "after"),             # swapped; the old site sits in the temporary folder
    ("b", "_remove", 1, "before"),              # about to remove the old site
    ("os", "unlink", 3, "before"),              # removing the old site, part way
    ("os", "rmdir", 1, "before"),
]


@pytest.mark.parametrize("owner,name,nth,when", STEPS, ids=[f"{n}-{i}-{w}" for _, n, i, w in STEPS])
def test_a_kill_at_any_step_leaves_the_old_or_the_new_site(tmp_path, versions, owner, name, nth, when):
    write_site(tmp_path, "Old")
    build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    write_site(tmp_path, "New")
    code = kill_during_build(tmp_path, owner, name, nth, when)
    assert code == -signal.SIGKILL, f"the child was not killed at {name} #{nth} ({when}); exit {code}"
    left = tree(tmp_path / "site")
    assert left in (versions["Old"], versions["New"]), f"a mixed site after a kill at {name} #{nth} {when}"
    # The next build cleans what the killed one left and swaps in the new site.
    build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert tree(tmp_path / "site") == versions["New"]
    assert debris(tmp_path) == []


FALLBACK_STEPS = [("os", "rename", 1, "after"), ("os", "rename", 2, "before"), ("os", "rename", 2, "after")]


@pytest.mark.parametrize("owner,name,nth,when", FALLBACK_STEPS, ids=[f"rename-{i}-{w}" for _, _, i, w in FALLBACK_STEPS])
def test_without_an_atomic_exchange_the_next_build_restores_the_old_site(tmp_path, versions, owner, name, nth, when):
    """The two-rename swap (no renameat2) may leave the site missing for an instant; nothing is lost."""
    write_site(tmp_path, "Old")
    build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    write_site(tmp_path, "New")
    assert kill_during_build(tmp_path, owner, name, nth, when, no_exchange=True) == -signal.SIGKILL
    if not (tmp_path / "site").exists():
        [old] = [p for p in tmp_path.iterdir() if p.name.startswith(".site-old-")]
        assert tree(old) == versions["Old"]
    swap.recover(tmp_path / "site")
    assert tree(tmp_path / "site") in (versions["Old"], versions["New"])
    assert debris(tmp_path) == []


def test_a_kill_during_the_first_build_leaves_no_site_and_no_lasting_debris(tmp_path, versions):
    write_site(tmp_path, "New")
    assert kill_during_build(tmp_path, "mk", "_build_page", 2, "before") == -signal.SIGKILL
    assert not (tmp_path / "site").exists()
    assert len(debris(tmp_path)) == 1  # the half-built temporary folder, until the next build
    build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert tree(tmp_path / "site") == versions["New"]
    assert debris(tmp_path) == []


def test_stale_temporary_folders_of_killed_builds_are_removed(tmp_path):
    write_site(tmp_path, "New")
    for name in (".site-dead1234.tmp", ".site-old-cafe0000"):
        (tmp_path / name / "assets").mkdir(parents=True)
        (tmp_path / name / "assets" / "x.css").write_text("x")
    (tmp_path / ".sitemap-keep.tmp").mkdir()  # another folder's name: not ours
    build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    assert debris(tmp_path) == []
    assert (tmp_path / ".sitemap-keep.tmp").exists()


def test_the_site_folder_gets_the_mode_mkdocs_gives_it(tmp_path):
    write_site(tmp_path, "New")
    previous = os.umask(0o022)
    try:
        site = build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        assert stat.S_IMODE(site.stat().st_mode) == 0o755
        os.umask(0o027)
        site = build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
        assert stat.S_IMODE(site.stat().st_mode) == 0o750
    finally:
        os.umask(previous)


@pytest.mark.parametrize("code,words", [
    (errno.ENOSPC, "the disk is full"),
    (errno.EROFS, "read-only file system"),
    (errno.EACCES, "permission denied"),
])
def test_a_full_disk_or_read_only_target_is_one_clear_sentence(tmp_path, monkeypatch, code, words):
    write_site(tmp_path, "Old")
    before = tree(build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    write_site(tmp_path, "New")
    import mkdocs.commands.build as mk

    def failing(config, **kwargs):
        raise OSError(code, os.strerror(code), str(Path(config.site_dir) / "index.html"))

    monkeypatch.setattr(mk, "build", failing)
    with pytest.raises(SiteWriteError) as info:
        build_site(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'site'}: ") and words in message and "Fix: " in message
    assert tree(tmp_path / "site") == before
    assert debris(tmp_path) == []


def test_the_cli_reports_a_full_disk_without_a_traceback(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import mkdocs.commands.build as mk
    from mkdocs_winwin.cli.main import main

    write_site(tmp_path, "New")

    def failing(config, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mk, "build", failing)
    result = CliRunner().invoke(main, ["build", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "the disk is full" in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, OSError)


def test_the_collector_runs_less_often_during_a_build_only():
    import gc

    from mkdocs_winwin.collector import fewer_collections

    before = gc.get_threshold()
    with fewer_collections((12_345, 50, 50)):
        assert gc.get_threshold() == (12_345, 50, 50)
    assert gc.get_threshold() == before
    try:
        with fewer_collections((12_345, 50, 50)):
            raise RuntimeError("a failed build")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
