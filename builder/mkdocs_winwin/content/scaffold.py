"""Templates for new content files (pure: text in, text out)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import yaml


def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "post"


def post_file_name(title: str, date: dt.date) -> str:
    return f"{date.isoformat()}-{slugify(title)}.md"


def render_post(title: str, date: dt.date, authors, themes, description: str = "") -> str:
    meta = {
        "title": title,
        "date": date,
        "authors": list(authors),
        "themes": list(themes),
        "tags": [],
        "description": description or "One line on why these pointers help the reader.",
        "draft": True,
    }
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return (
        f"---\n{front}---\n\n"
        "A sentence or two on where these pointers come from.\n\n"
        "<!-- more -->\n\n"
        "## My pointers\n\n"
        "1. **A pointer in a few words.** What to do, and an example of it working.\n"
        "2. **Another pointer.** Keep each one concrete enough to try this week.\n\n"
        "When it is ready, remove the line `draft: true` above.\n"
    )
