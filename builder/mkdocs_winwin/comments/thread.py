"""Replies under their parent, oldest first: a conversation's comments as a tree.

Robust to what the checker only warns about or reports: a reply whose parent
is missing (or hidden by moderation) and the members of a reply loop show as
top-level comments, so every comment appears exactly once. Nesting stops at
`MAX_DEPTH`: deeper replies line up at the last level, still saying whom they
answer, so a long back-and-forth stays readable on a phone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .load import loops
from .model import Comment

MAX_DEPTH = 4


@dataclass(frozen=True)
class Node:
    comment: Comment
    replies: tuple["Node", ...] = ()
    in_reply_to: Comment | None = None  # the comment it answers, None at the top level
    depth: int = 0


def _order(comment: Comment) -> tuple:
    return (comment.date, comment.id)


def thread(comments: Iterable[Comment], max_depth: int = MAX_DEPTH) -> tuple[Node, ...]:
    comments = list(comments)
    by_id = {c.id: c for c in comments}
    in_loop = {ident for loop in loops(comments) for ident in loop}
    children: dict[str, list[Comment]] = {}
    roots: list[Comment] = []
    for c in comments:
        if c.parent and c.parent in by_id and c.id not in in_loop:
            children.setdefault(c.parent, []).append(c)
        else:
            roots.append(c)

    def descendants(comment: Comment) -> list[Comment]:
        out, stack = [], list(children.get(comment.id, ()))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(children.get(c.id, ()))
        return sorted(out, key=_order)

    def node(comment: Comment, depth: int) -> Node:
        parent = by_id.get(comment.parent) if depth else None
        if depth + 1 >= max_depth:
            flat = tuple(Node(c, (), by_id[c.parent], depth + 1) for c in descendants(comment))
            return Node(comment, flat, parent, depth)
        replies = tuple(node(c, depth + 1) for c in sorted(children.get(comment.id, ()), key=_order))
        return Node(comment, replies, parent, depth)

    return tuple(node(c, 0) for c in sorted(roots, key=_order))


def walk(nodes: Iterable[Node]) -> Iterable[Node]:
    """Every node, depth first, in reading order."""
    for n in nodes:
        yield n
        yield from walk(n.replies)
