"""Where pulled comments land: merged into each page's file, written only when changed.

A page whose file has errors or keys winwin does not know is left alone
(neither is in the model, so rewriting the file would drop them): the report
names the file and says to fix it first. Every other page is merged and
written atomically, in the canonical form of `files.dump` (YAML `#` comments
of a hand-written file are not kept).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..content.schema import Problem
from .files import read_conversation, write
from .load import UNKNOWN_KEY
from .merge import Changes, merge
from .model import Comment, Conversation, Reaction, comments_file


@dataclass(frozen=True)
class Stored:
    changes: Changes = Changes()
    written: tuple[str, ...] = ()  # files, docs-relative
    refused: tuple[Problem, ...] = ()  # files left alone, and why


def existing(docs: Path, page: str, now: dt.datetime) -> tuple[Conversation, list[Problem]]:
    rel = comments_file(page)
    if not (docs / rel).is_file():
        return Conversation(page), []
    conversation, problems = read_conversation(docs, rel, now)
    # Errors leave entries out of the model, unknown keys are not in it: rewriting would lose both.
    return conversation, [p for p in problems if not p.warning or p.message == UNKNOWN_KEY]


def store(docs_dir: str | os.PathLike, comments: Mapping[str, Iterable[Comment]],
          reactions: Mapping[str, Iterable[Reaction]] = {}, now: dt.datetime | None = None) -> Stored:
    docs = Path(docs_dir)
    now = now or dt.datetime.now(dt.timezone.utc)
    total, written, refused = Changes(), [], []
    for page in sorted(set(comments) | set(reactions)):
        current, errors = existing(docs, page, now)
        if errors:
            refused.append(Problem(comments_file(page), "", f"has {len(errors)} problem(s), so nothing was pulled into it "
                                   f"(first: {errors[0]})", "fix the file, then pull again"))
            continue
        merged, changes = merge(current, comments.get(page, ()), reactions.get(page, ()))
        total += changes
        if changes.changed and write(docs, merged):
            written.append(merged.file)
    return Stored(total, tuple(written), tuple(refused))
