"""Old permalinks that keep working: validated alias paths and the redirect page for each.

Pure functions; the build (plugins/redirects.py, from the core plugin's
`on_files`) adds one generated file per alias with `redirect_html()`. mkdocs-redirects reads its map from
mkdocs.yml only; an imported post carries its old paths in its own front
matter (`aliases:`), so they travel with the post and are generated here.
"""

from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

_CONTROL = re.compile(r"[\x00-\x1f\x7f\\]")
_MARKUP = re.compile(r"[\s<>\"'`]")


def alias_problem(alias: object) -> str | None:
    """What is wrong with an alias (None when it is a safe site-relative path)."""
    if not isinstance(alias, str) or not alias.strip():
        return "expected a path such as /2011/03/my-post.html"
    if not alias.startswith("/") or alias.startswith("//"):
        return f"'{alias}' is not a path inside the site (it must start with a single /)"
    parts = urlsplit(alias)
    if parts.scheme or parts.netloc or parts.query or parts.fragment:
        return f"'{alias}' has a host, a query or a fragment; only the path of the old address is kept"
    path = unquote(alias)
    if _CONTROL.search(path):
        return f"'{alias}' has control characters or backslashes"
    if _MARKUP.search(path):
        return f"'{alias}' has spaces, quotes or angle brackets, which no blog address has"
    if any(segment in (".", "..") for segment in path.split("/")):
        return f"'{alias}' has '.' or '..' segments"
    if path == "/":
        return "'/' is the home page itself"
    return None


def alias_file(alias: str) -> str:
    """The site-relative file a redirect for `alias` is written to.

    '/2011/03/post.html' -> '2011/03/post.html'; '/2011/03/post/' and
    '/about' -> '.../index.html' (a server serves a folder's index.html).
    """
    path = unquote(alias).lstrip("/")
    if path.endswith("/") or not posixpath.splitext(path)[1]:
        return posixpath.join(path.rstrip("/"), "index.html")
    return path


def redirect_html(target: str, title: str, canonical: str = "", lang: str = "en") -> str:
    """A page that sends browsers on to `target` and tells search engines `canonical` (no script needed)."""
    url, name = html.escape(target, quote=True), html.escape(title)
    canonical = html.escape(canonical or target, quote=True)
    lang = html.escape(lang or "en", quote=True)
    return (
        f"<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>Moved: {name}</title>\n"
        f"<link rel=\"canonical\" href=\"{canonical}\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n"
        f"<p>This page has moved to <a href=\"{url}\">{name}</a>.</p>\n</body>\n</html>\n"
    )
