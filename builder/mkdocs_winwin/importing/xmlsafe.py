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
    """An element's name without its namespace ('' for comments and processing instructions).

    Real Blogger exports use prefixes they never declare (`<app:control>`
    without `xmlns:app`): libxml2 keeps such a name as 'app:control', which
    counts here as 'control'.
    """
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        return tag.rpartition("}")[2]
    return tag.rpartition(":")[2]


def namespace(tag: object) -> str:
    """An element's namespace URI ('' when none, or when its prefix was never declared)."""
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


class _DeclaredPrefixes:
    """The export as a stream, its root element given the namespace prefixes it uses but never declares.

    Blogger exports reformatted by some tools keep `<app:control>` while the
    `xmlns:app` that Blogger wrote on it is gone; an undeclared prefix is a
    fatal error to a namespace-aware parser. Declaring the known ones on the
    root is harmless where they are declared already (an inner declaration
    wins) and lets such a file be read; the parser stays strict otherwise.
    """

    def __init__(self, handle, declare: dict[str, str]) -> None:
        self.handle = handle
        head = handle.read(HEAD)
        root = _ROOT_TAG.search(head)
        if root:
            start = head[root.start(): head.find(b">", root.end()) + 1 or len(head)]
            extra = b"".join(f' xmlns:{prefix}="{uri}"'.encode() for prefix, uri in declare.items()
                             if f"xmlns:{prefix}=".encode() not in start)
            head = head[: root.end()] + extra + head[root.end():]
        self.pending = head

    def read(self, size: int = -1) -> bytes:
        if self.pending:
            size = len(self.pending) if size is None or size < 0 else size
            data, self.pending = self.pending[:size], self.pending[size:]
            return data
        return self.handle.read(size if size and size > 0 else HEAD)


HEAD = 64 * 1024
_ROOT_TAG = re.compile(rb"<(?![?!])[A-Za-z_][\w.:-]*")


def iter_children_of(path: Path, container: str, where: str,
                     declare: dict[str, str] | None = None) -> Iterator[etree._Element]:
    """Yield each child of the first `container` element (e.g. 'channel', 'feed'), streamed.

    Each child is complete when yielded and cleared right after, so memory
    stays bounded by the largest single entry, not by the whole export.
    """
    with path.open("rb") as handle:
        yield from _iter_children(_DeclaredPrefixes(handle, declare) if declare else handle, container, where)


def _iter_children(source, container: str, where: str) -> Iterator[etree._Element]:
    parser = etree.iterparse(
        source, events=("start", "end"), resolve_entities=False, no_network=True,
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
