"""Which kind of export a file is, told from its first bytes, never from its name."""

from __future__ import annotations

import json
import re

from ..errors import SourceError
from .xmlsafe import refuse_entities

BLOGGER_2018 = "http://schemas.google.com/blogger/2018"
BLOGGER_KIND = "http://schemas.google.com/blogger/2008/kind#"
WXR = "http://wordpress.org/export/"
JSON_FEED = "https://jsonfeed.org/version/"

# The first element's name, after the XML declaration, comments and a DOCTYPE.
_ROOT = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")

KINDS_HELP = ("a Blogger export (.xml or Takeout's feed.atom), a WordPress export (WXR .xml), "
              "or an RSS, Atom or JSON feed")


def detect(head: bytes, where: str) -> str:
    """The export kind of a document from its first bytes (64 KiB are plenty)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise SourceError(where, "is empty", f"give {KINDS_HELP}")
    if stripped[:1] in (b"{", b"["):
        return _detect_json(stripped, where)
    refuse_entities(head, where)
    root = _ROOT.search(stripped)
    name = root.group(2).decode("ascii", "replace").lower() if root else ""
    if name == "rss":
        return "wordpress" if WXR.encode() in head else "rss"
    if name == "rdf":
        return "rss"
    if name == "feed":
        if BLOGGER_2018.encode() in head:
            return "blogger-takeout"
        if BLOGGER_KIND.encode() in head:
            return "blogger-classic"
        return "atom"
    if name in ("html", "head", "body") or stripped[:9].lower() == b"<!doctype":
        raise SourceError(where, "is a web page, not an export or a feed",
                          "give the blog's export file, or its feed's address (often /feed or /atom.xml)")
    what = f"an XML document whose root is <{name}>" if name else "neither XML nor JSON"
    raise SourceError(where, f"is {what}, which winwin cannot import", f"give {KINDS_HELP}")


def _detect_json(data: bytes, where: str) -> str:
    version = re.search(rb'"version"\s*:\s*"([^"]*)"', data)
    if version and version.group(1).decode("utf-8", "replace").startswith(JSON_FEED):
        return "json-feed"
    try:
        json.loads(data)
    except ValueError:
        if not version:
            raise SourceError(where, "looks like JSON but is not valid JSON (truncated?)",
                              f"give {KINDS_HELP}") from None
    raise SourceError(where, "is JSON but not a JSON Feed (no 'version': 'https://jsonfeed.org/version/1.1')",
                      f"give {KINDS_HELP}")
