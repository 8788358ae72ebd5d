"""The text of each file an import writes: a post, .authors.yml entries, an avatar.

(Comments files are written by the comments feature's own `dump`.)

Pure functions from the model to text; the YAML is deterministic (same input,
same bytes), which is what makes a second import a no-op.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..urls import is_http_url
from ..comments.model import MAX_AUTHOR as MAX_AUTHOR_CHARS, MAX_BODY as MAX_COMMENT_CHARS

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def dump(data: Any) -> str:
    """A YAML document (.authors.yml entries): deterministic, Unicode kept, keys in the given order."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


# Text YAML reads back as the same text when written bare: letters first, no indicator characters.
_PLAIN = re.compile(r"^[^\W\d_][\w .;()?!'/-]*$")
_PLAIN_IN_LIST = re.compile(r"^[^\W\d_][\w .'-]*$")  # inside [a, b]: fewer characters are safe
_PATH = re.compile(r"^/[\w./%~+=-]*$")  # an old address, bare: - /2011/03/my-post.html
_RESOLVER = yaml.resolver.Resolver()


def scalar(value: object, flow: bool = False) -> str:
    """One YAML scalar: bare when that reads back as the same text, else double-quoted (JSON is YAML).

    Written by hand rather than by yaml.dump, which costs a whole document per
    value: a third of an import of 2,000 posts.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    bare = (_PLAIN_IN_LIST if flow else _PLAIN).match(text) and not text.endswith(" ") and \
        _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"
    return text if bare else json.dumps(text, ensure_ascii=False)


def post_file(meta: dict[str, Any], body: str) -> str:
    """Front matter and Markdown. Lists stay on one line, as in hand-written posts; aliases one a line."""
    lines = ["---"]
    for key, value in meta.items():
        if key == "aliases":
            lines.append(f"{key}:")
            lines.extend(f"- {item if _PATH.match(item) else scalar(item)}" for item in value)
        elif isinstance(value, list):
            lines.append(f"{key}: [{', '.join(scalar(item, flow=True) for item in value)}]")
        elif isinstance(value, dt.datetime):
            # Naive, seconds included: YAML reads it as a datetime and Material
            # compares it with the date-only posts already there.
            lines.append(f"{key}: {value.astimezone(dt.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')}")
        else:
            lines.append(f"{key}: {scalar(value)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body.strip("\n") + "\n"


def clean_author(name: str) -> str:
    name = " ".join(_CONTROL.sub(" ", name).split())
    return name[:MAX_AUTHOR_CHARS] or "Anonymous"


def clean_url(url: str) -> str:
    """Only http(s) addresses with a host; anything else is dropped."""
    url = (url or "").strip()
    return urlsplit(url).geturl() if is_http_url(url) else ""


def author_id(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40] or "author"


def initials_avatar(name: str) -> str:
    """A small local SVG with the author's initials: no request to any avatar service."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    hue = sum(map(ord, name)) % 360
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" '
        f'aria-label="{html.escape(name)}">'
        f'<rect width="64" height="64" rx="32" fill="hsl({hue},45%,35%)"/>'
        '<text x="32" y="41" font-family="system-ui,sans-serif" font-size="26" '
        f'text-anchor="middle" fill="#fff">{html.escape(initials)}</text></svg>\n'
    )
