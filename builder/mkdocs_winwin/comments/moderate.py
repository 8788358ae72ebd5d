"""Moderation in version control: hide comments (and reactions) by id, with a reason.

The rules come from the moderation file (`content/comments-moderation.yml`).
A rule with a page hides that id on that page only; without one, on every
page. A hidden comment's replies stay and show top-level: they were
published by their own authors and are moderated on their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..content.schema import Problem
from .model import Conversation, Hidden, HideRule


def _reasons(page: str, rules: Iterable[HideRule]) -> dict[str, str]:
    return {r.id: r.reason for r in rules if not r.page or r.page == page}


def moderate(conversation: Conversation, rules: Iterable[HideRule]) -> tuple[Conversation, tuple[Hidden, ...]]:
    """(what the build shows, what it hides and why)."""
    reasons = _reasons(conversation.page, rules)
    if not reasons:
        return conversation, ()
    shown = tuple(c for c in conversation.comments if c.id not in reasons)
    hidden = tuple(Hidden(c, reasons[c.id]) for c in conversation.comments if c.id in reasons)
    reactions = tuple(r for r in conversation.reactions if r.id not in reasons)
    return Conversation(conversation.page, shown, reactions), hidden


def unused_rules(rules: Iterable[HideRule], conversations: Mapping[str, Conversation], path: str) -> list[Problem]:
    """Warnings for rules that hide nothing: a typo in an id would otherwise leave spam online."""
    out = []
    for index, rule in enumerate(rules):
        pages = [conversations[rule.page]] if rule.page in conversations else [] if rule.page else conversations.values()
        ids = {x.id for conv in pages for x in (*conv.comments, *conv.reactions)}
        if rule.id not in ids:
            where = f"on {rule.page}" if rule.page else "on any page"
            out.append(Problem(path, f"hidden[{index + 1}].id", f"'{rule.id}' matches no comment {where}",
                               "check the id and page against `winwin comments list`", warning=True))
    return out
