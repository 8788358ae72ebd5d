"""Pulling again is safe: merge what a source returned into what the repository holds.

Keyed by id: a new id is added, a known id whose content changed is
updated, the same content counts as unchanged. Comments the source no
longer returns are kept (the repository is the archive; hiding is done in
the moderation file). Pure: the caller writes the result, and leaves the
file alone when nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .model import Comment, Conversation, Reaction


@dataclass(frozen=True)
class Changes:
    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def __add__(self, other: "Changes") -> "Changes":
        return Changes(self.added + other.added, self.updated + other.updated, self.unchanged + other.unchanged)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _merge(old: tuple, new: Iterable) -> tuple[tuple, Changes]:
    items = {x.id: x for x in old}
    added = updated = unchanged = 0
    for x in new:
        before = items.get(x.id)
        if before is None:
            added += 1
        elif before != x:
            updated += 1
        else:
            unchanged += 1
        items[x.id] = x
    return tuple(items.values()), Changes(added, updated, unchanged)


def merge(existing: Conversation, comments: Iterable[Comment] = (),
          reactions: Iterable[Reaction] = ()) -> tuple[Conversation, Changes]:
    merged_comments, c = _merge(existing.comments, comments)
    merged_reactions, r = _merge(existing.reactions, reactions)
    return Conversation(existing.page, merged_comments, merged_reactions), c + r
