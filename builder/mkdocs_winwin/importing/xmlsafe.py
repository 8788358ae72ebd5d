"""Streaming, hardened XML reading for exports, which are untrusted input.

Why lxml rather than defusedxml: lxml is already a dependency, it streams
(`iterparse`) so a large export never sits in memory as a tree, and its parser
takes the hardening as options: no entity substitution, no DTD loading, no
network, and libxml2's default limits on text size and depth (huge_tree off).
defusedxml has had no release since 2021 and its lxml support is deprecated.
On top of that, `refuse_entities()` rejects any document that declares
entities at all: no blog export does, and that is how a "billion laughs" file
is built.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from ..errors import SourceError

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)


def refuse_entities(head: bytes, where: str) -> None:
    """Refuse a document whose prolog declares entities (billion laughs, external entities)."""
    if _ENTITY_DECL.search(head):
        raise SourceError(
            where,
            "declares XML entities (<!ENTITY ...>): no blog export does, and expanding them is how a "
            "'billion laughs' file exhausts memory or an external entity reads local files",
            "import the file exactly as Blogger or WordPress exported it",
        )


def local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    return (etree.QName(tag).namespace or "") if isinstance(tag, str) else ""


def iter_children_of(path: Path, container: str, where: str) -> Iterator[etree._Element]:
    """Yield each child of the first `container` element (e.g. 'channel', 'feed'), streamed.

    Each child is complete when yielded and cleared right after, so memory
    stays bounded by the largest single entry, not by the whole export.
    """
    parser = etree.iterparse(
        str(path), events=("start", "end"), resolve_entities=False, no_network=True,
        load_dtd=False, huge_tree=False, remove_comments=True, remove_pis=True,
    )
    depth, container_depth = 0, None
    try:
        for event, element in parser:
            if event == "start":
                depth += 1
                if container_depth is None and local(element.tag) == container:
                    container_depth = depth
                continue
            depth -= 1
            if container_depth is not None and depth == container_depth:
                yield element
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        line = f" at line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise SourceError(
            where,
            f"is not well-formed XML{line} ({exc.msg}): the file is truncated or damaged",
            "export the blog again and import the new file whole; nothing was written",
        ) from None


def text(element: etree._Element | None) -> str:
    """The text inside an element, stripped ('' when there is none)."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def parse_date(value: str) -> dt.datetime | None:
    """An ISO 8601 or RFC 822 date as an aware datetime (UTC when no zone is given), or None."""
    value = (value or "").strip()
    if not value or value.startswith("0000-00-00"):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)
