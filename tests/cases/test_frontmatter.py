"""Bad input as data files: one case per file, its expectation beside it.

Two folders of cases, one runner:

- tests/cases/frontmatter/: each `<case>.md` is dropped into a small valid
  site (a post under blog/posts/, or a chapter under guide/ when its
  `<case>.expected` says `folder: guide`).
- tests/cases/bad_content/: each `<case>.expected` names where its input file
  `<case>.<ext>` goes (`dest:`: a post, .authors.yml, picks.yml or the whole
  mkdocs.yml), and may add plugins to the config (`plugins:`), turn a path
  into a folder (`folders:`) or make symbolic links (`symlinks:`); see
  bad_content/README.md.

The `.expected` file lists, per problem, the substrings one reported line must
contain: the file, the key, the bad value, the valid values, the fix
(`config_errors:` / `config_warnings:` for what MkDocs' own config check
refuses / warns about). Then:

- `winwin check` exits 1 and reports exactly those problems (all of them),
  never a traceback;
- `winwin build --strict` fails with the same messages (each line `check`
  reports is in the build's output word for word) and writes nothing: no
  site folder where there was none, the previous site byte-identical where
  there was one, and no temporary build folder left behind.

A case with no problems (`errors: []`, no warnings) must pass both.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_winwin.cli.main import main
from tests.support import MINIMAL_CONFIG, build_tree, small_site

CASES = Path(__file__).parent / "frontmatter"
CASE_NAMES = sorted(p.stem for p in CASES.glob("*.md"))
BAD_CONTENT = Path(__file__).parent / "bad_content"
BAD_NAMES = sorted(p.stem for p in BAD_CONTENT.glob("*.expected"))
ALL_CASES = [("frontmatter", n) for n in CASE_NAMES] + [("bad_content", n) for n in BAD_NAMES]


def _parts(items) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(x) for x in item) for item in items or ())


@dataclass(frozen=True)
class Case:
    name: str
    text: bytes
    dest: str  # path inside the small site
    errors: tuple[tuple[str, ...], ...]
    warnings: tuple[tuple[str, ...], ...]
    config_errors: tuple[tuple[str, ...], ...] = ()
    config_warnings: tuple[tuple[str, ...], ...] = ()  # MkDocs' own: fail only under --strict
    plugins: str = ""  # lines added under `plugins:` of the small site's mkdocs.yml
    folders: tuple[str, ...] = ()
    symlinks: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str, kind: str = "frontmatter") -> "Case":
        folder_path = CASES if kind == "frontmatter" else BAD_CONTENT
        expected = yaml.safe_load((folder_path / f"{name}.expected").read_text(encoding="utf-8")) or {}
        if kind == "frontmatter":
            folder = {"guide": "content/guide", "blog/posts": "content/blog/posts"}[expected.get("folder", "blog/posts")]
            source, dest = CASES / f"{name}.md", f"{folder}/{name}.md"
        else:
            inputs = [p for p in BAD_CONTENT.glob(f"{name}.*") if p.suffix != ".expected"]
            source = inputs[0] if inputs else None
            dest = expected.get("dest", f"content/blog/posts/{name}.md")
        return cls(
            name=name,
            text=source.read_bytes() if source else b"",
            dest=dest if source else "",
            errors=_parts(expected.get("errors")),
            warnings=_parts(expected.get("warnings")),
            config_errors=_parts(expected.get("config_errors")),
            config_warnings=_parts(expected.get("config_warnings")),
            plugins=expected.get("plugins", ""),
            folders=tuple(expected.get("folders") or ()),
            symlinks=dict(expected.get("symlinks") or {}),
        )

    @property
    def fails(self) -> bool:
        return bool(self.errors or self.config_errors)

    def site(self, root: Path) -> Path:
        """The small site with this case's input in place; returns its folder."""
        config = MINIMAL_CONFIG + self.plugins
        small_site(root, config=config)
        for folder in self.folders:
            path = root / folder
            if path.is_file():
                path.unlink()
            path.mkdir(parents=True, exist_ok=True)
        if self.dest:
            (root / self.dest).parent.mkdir(parents=True, exist_ok=True)
            (root / self.dest).write_bytes(self.text)
        for link, target in self.symlinks.items():
            os.symlink(target, root / link)
        return root


def test_every_case_has_its_expectation():
    assert len(CASE_NAMES) >= 15
    assert sorted(p.stem for p in CASES.glob("*.expected")) == CASE_NAMES
    assert len(BAD_NAMES) >= 30
    inputs = {p.name.split(".")[0] for p in BAD_CONTENT.iterdir() if p.suffix != ".expected"} - {"README"}
    assert inputs <= set(BAD_NAMES), f"inputs without an expectation: {sorted(inputs - set(BAD_NAMES))}"

def run(*args: str):
    # Exceptions are caught and asserted on: a traceback is a failure of its own.
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("traceback instead of a message:\n" + "".join(
            traceback.format_exception(result.exception)))
    assert "Traceback" not in result.output, result.output
    return result


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


def has_line(output: str, parts: tuple[str, ...]) -> bool:
    return any(all(p in line for p in parts) for line in output.splitlines())


@pytest.mark.parametrize("kind, name", ALL_CASES, ids=[f"{k}/{n}" for k, n in ALL_CASES])
def test_check_reports_every_problem(tmp_path, kind, name):
    case = Case.load(name, kind)
    config = str(case.site(tmp_path) / "mkdocs.yml")
    result = run("check", "-f", config)
    assert result.exit_code == (1 if case.fails else 0), result.output
    for parts in case.config_errors + case.config_warnings:
        assert has_line(result.output, parts), (parts, result.output)
    if case.config_errors:
        return
    assert_matches(reported(result.output, "error"), case.errors)
    assert_matches(reported(result.output, "warning"), case.warnings)
    if case.errors:
        assert f"{len(case.errors)} error(s)" in result.output


@pytest.mark.parametrize("kind, name", ALL_CASES, ids=[f"{k}/{n}" for k, n in ALL_CASES])
def test_strict_build_fails_with_the_messages_and_writes_nothing(tmp_path, good_site, kind, name):
    case = Case.load(name, kind)
    root = case.site(tmp_path)
    config = str(root / "mkdocs.yml")

    result = run("build", "--strict", "-f", config)
    # `check --strict` agrees: both fail or both pass, and what it reports the build says word for word.
    checked = run("check", "--strict", "-f", config)
    assert checked.exit_code == result.exit_code, (checked.output, result.output)
    if not (case.fails or case.warnings or case.config_warnings):
        assert result.exit_code == 0, result.output
        assert (root / "site" / "index.html").is_file()
        return
    assert result.exit_code == 1, result.output
    for parts in case.errors + case.warnings + case.config_errors + case.config_warnings:
        assert has_line(result.output, parts), (parts, result.output)
    for line in reported(checked.output, "error") + reported(checked.output, "warning"):
        assert line.split(": ", 1)[1] in result.output, (line, result.output)
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
    root = small_site(tmp_path, {case.dest: case.text.decode()})
    result = run("build", "-f", str(root / "mkdocs.yml"))
    assert result.exit_code == 0, result.output
    assert "did you mean 'tags'" in result.output
    assert (root / "site" / "index.html").is_file()


def test_every_problem_in_every_file_at_once(tmp_path):
    """All the bad posts in one site: one check run reports each of their problems."""
    cases = [Case.load(n) for n in CASE_NAMES]
    config = str(small_site(tmp_path, {c.dest: c.text.decode() for c in cases}) / "mkdocs.yml")
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
    root = small_site(tmp_path, {case.dest: case.text.decode()})
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
