"""`winwin comments add PAGE --name NAME`: a reply that came by e-mail, published with consent.

The id is `email-<hash>` of the author and text, so adding the same e-mail
twice adds it once (the command says it is already there). The reply is checked like any comment in a
file; `--reply-to` must name a comment of the page.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from ..content.schema import Problem
from .load import check_comment, iso
from .model import Comment, Conversation


def email_comment(conversation: Conversation, *, name: str, body: str, now: dt.datetime,
                  url: str = "", reply_to: str = "") -> tuple[Comment | None, list[Problem]]:
    date = iso(now)
    digest = hashlib.sha256(f"{name.strip()}\n{body.strip()}".encode()).hexdigest()[:12]
    raw = {"id": f"email-{digest}", "author": name, "date": date, "source": "email", "body": body}
    if url:
        raw["url"] = url
    if reply_to:
        raw["parent"] = reply_to
    comment, problems = check_comment(raw, conversation.file, 0, now)
    problems = [p for p in problems if not p.warning]
    if reply_to and reply_to not in conversation.by_id():
        known = ", ".join(c.id for c in conversation.comments) or "none yet"
        problems.append(Problem(conversation.file, "--reply-to", f"'{reply_to}' is not a comment on this page",
                                f"use one of: {known}"))
        comment = None
    return comment, problems
