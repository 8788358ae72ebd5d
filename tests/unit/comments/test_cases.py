"""The data-file cases of tests/cases/comments: each conversation file beside its expected messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mkdocs_winwin.comments.load import parse_conversation
from mkdocs_winwin.comments.thread import thread, walk

REPO = Path(__file__).resolve().parents[3]
CASES = REPO / "tests" / "cases" / "comments"
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def shown(conversation) -> str:
    return ", ".join("  " * n.depth + n.comment.id for n in walk(thread(conversation.comments)))


@pytest.mark.parametrize("case", sorted(CASES.glob("*.comments.yml")), ids=lambda p: p.name.split(".")[0])
def test_case(case: Path):
    rel = case.relative_to(REPO).as_posix()
    conversation, problems = parse_conversation(case.read_text(encoding="utf-8"), rel, "x.md", NOW)
    got = [("WARNING " if p.warning else "") + str(p) for p in problems] + [f"shown: {shown(conversation)}".rstrip()]
    expected = case.with_name(case.name.replace(".comments.yml", ".expected")).read_text(encoding="utf-8")
    assert got == expected.splitlines()


def test_every_case_has_its_expectation():
    assert len(list(CASES.glob("*.comments.yml"))) >= 7
    for case in CASES.glob("*.comments.yml"):
        assert case.with_name(case.name.replace(".comments.yml", ".expected")).is_file(), case
