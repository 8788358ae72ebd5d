"""Bad front matter: one file per case in tests/cases/frontmatter/, its expectation beside it.

Each `<case>.md` is dropped into a small valid site (a post under blog/posts/,
or a chapter under guide/ when its `<case>.expected` says `folder: guide`).
The `.expected` file lists, per problem, the substrings one reported line must
contain: the file, the key, the bad value, the valid values, the fix. Then:

- `winwin check` exits 1 and reports exactly those problems (all of them);
- `winwin build --strict` fails with the same messages and writes nothing:
  no site folder where there was none, the previous site byte-identical where
  there was one, and no temporary build folder left behind.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_winwin.cli.main import main
from tests.support import build_tree, small_site

CASES = Path(__file__).parent / "frontmatter"
CASE_NAMES = sorted(p.stem for p in CASES.glob("*.md"))


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    dest: str  # path inside the small site
    errors: tuple[tuple[str, ...], ...]
    warnings: tuple[tuple[str, ...], ...]

    @classmethod
    def load(cls, name: str) -> "Case":
        expected = yaml.safe_load((CASES / f"{name}.expected").read_text(encoding="utf-8"))
        folder = {"guide": "content/guide", "blog/posts": "content/blog/posts"}[expected.get("folder", "blog/posts")]
        return cls(
            name=name,
            text=(CASES / f"{name}.md").read_text(encoding="utf-8"),
            dest=f"{folder}/{name}.md",
            errors=tuple(tuple(e) for e in expected.get("errors") or ()),
            warnings=tuple(tuple(w) for w in expected.get("warnings") or ()),
        )


def test_every_case_has_its_expectation():
    assert len(CASE_NAMES) >= 15
    assert sorted(p.stem for p in CASES.glob("*.expected")) == CASE_NAMES


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def reported(output: str, label: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(f"{label}: ")]


def assert_matches(lines: list[str], expected: tuple[tuple[str, ...], ...]) -> None:
    """Each expected problem is in its own line; no line is left over."""
    remaining = list(lines)
    for parts in expected:
        hit = next((line for line in remaining if all(p in line for p in parts)), None)
        assert hit is not None, f"no reported line contains all of {parts}:\n" + "\n".join(lines)
        remaining.remove(hit)
    assert remaining == []


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site-"))


@pytest.fixture(scope="module")
def good_site(tmp_path_factory) -> Path:
    """The small site's output, built once, copied in as the 'previous site'."""
    return build_tree(small_site(tmp_path_factory.mktemp("good")))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_check_reports_every_problem(tmp_path, name):
    case = Case.load(name)
    config = str(small_site(tmp_path, {case.dest: case.text}) / "mkdocs.yml")
    result = run("check", "-f", config)
    assert result.exit_code == (1 if case.errors else 0), result.output
    assert_matches(reported(result.output, "error"), case.errors)
    assert_matches(reported(result.output, "warning"), case.warnings)
    if case.errors:
        assert f"{len(case.errors)} error(s)" in result.output


@pytest.mark.parametrize("name", CASE_NAMES)
def test_strict_build_fails_with_the_messages_and_writes_nothing(tmp_path, good_site, name):
    case = Case.load(name)
    root = small_site(tmp_path, {case.dest: case.text})
    config = str(root / "mkdocs.yml")

    result = run("build", "--strict", "-f", config)
    assert result.exit_code == 1, result.output
    for parts in case.errors + case.warnings:
        assert any(all(p in line for p in parts) for line in result.output.splitlines()), (parts, result.output)
    assert "Build failed" in result.output
    assert not (root / "site").exists()
    assert leftovers(root) == []

    shutil.copytree(good_site, root / "site")
    before = snapshot(root / "site")
    assert run("build", "--strict", "-f", config).exit_code == 1
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_warning_only_fails_under_strict(tmp_path):
    case = Case.load("typo-key")
    assert case.errors == () and case.warnings
    root = small_site(tmp_path, {case.dest: case.text})
    result = run("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    assert "did you mean 'tags'" in result.output
    assert (root / "site" / "index.html").is_file()


def test_every_problem_in_every_file_at_once(tmp_path):
    """All the bad posts in one site: one check run reports each of their problems."""
    cases = [Case.load(n) for n in CASE_NAMES]
    config = str(small_site(tmp_path, {c.dest: c.text for c in cases}) / "mkdocs.yml")
    result = run("check", "-f", config)
    assert result.exit_code == 1
    errors = reported(result.output, "error")
    # The duplicate theme is reported once, on one of the two chapters that share it.
    assert len(errors) == sum(len(c.errors) for c in cases)
    for case in cases:
        for parts in case.errors:
            assert any(all(p in line for p in parts) for line in errors), parts
    build = run("build", "-f", config)
    assert build.exit_code == 1
    assert f"{len(errors)} problem(s) in the content" in build.output


def test_unknown_author_is_ours_not_the_blog_plugins(tmp_path):
    """Material's blog stops at its first unknown author; ours runs first and names the fix."""
    case = Case.load("unknown-author")
    root = small_site(tmp_path, {case.dest: case.text})
    result = run("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 1
    assert "use one of: ann" in result.output
    assert "Couldn't find author" not in result.output


AUTHORS_MISSING_KEYS = {
    "content/blog/.authors.yml": """
        authors:
          ann:
            name: Ann Example
            description: Tester
            avatar: https://test.example.org/ann.png
          bob:
            description: No name, no avatar
    """,
    "content/blog/posts/by-bob.md": """
        ---
        title: By Bob
        date: 2026-02-01
        authors: [bob, zed]
        themes: [first]
        description: Bob is not a valid author yet, zed does not exist.
        ---
        Text.
    """,
}


def test_authors_file_problems_come_first_and_with_the_rest(tmp_path):
    """Material's blog reads .authors.yml before anything else and stops at its
    first problem without naming the author; ours names each, with the posts' problems."""
    root = small_site(tmp_path, AUTHORS_MISSING_KEYS)
    config = str(root / "mkdocs.yml")
    check = run("check", "-f", config)
    assert check.exit_code == 1
    errors = reported(check.output, "error")
    assert_matches(errors, (
        ("blog/.authors.yml", "'authors.bob.name'", "is missing", "add 'name:' under 'bob:'"),
        ("blog/.authors.yml", "'authors.bob.avatar'", "is missing", "https://"),
        ("blog/posts/by-bob.md", "'authors'", "'bob'", "use one of: ann"),
        ("blog/posts/by-bob.md", "'authors'", "'zed'", "use one of: ann"),
    ))
    assert [line.startswith("error: blog/.authors.yml:") for line in errors] == [True, True, False, False]
    build = run("build", "-f", config)
    assert build.exit_code == 1
    assert "4 problem(s) in the content" in build.output
    assert "authors.bob.avatar" in build.output and "'zed'" in build.output
    assert "Sub-option" not in build.output  # not Material's message
    assert not (root / "site").exists()


def test_a_missing_authors_file_is_named_with_the_fix(tmp_path):
    root = small_site(tmp_path)
    (root / "content" / "blog" / ".authors.yml").unlink()
    check = run("check", "-f", str(root / "mkdocs.yml"))
    assert check.exit_code == 1
    assert "error: blog/.authors.yml: is missing. Fix: create it with 'authors:'" in check.output


def test_a_broken_authors_file_names_the_line_and_the_fix(tmp_path):
    root = small_site(tmp_path, {"content/blog/.authors.yml": "authors:\n  ann:\n    name: Ann\n   bad: [\n"})
    check = run("check", "-f", str(root / "mkdocs.yml"))
    assert check.exit_code == 1
    [line] = [e for e in reported(check.output, "error") if e.startswith("error: blog/.authors.yml:")]
    assert line.startswith("error: blog/.authors.yml: is not valid YAML at line 4, column ")
    assert "Fix: check that line for a missing colon, quote or indent" in line
