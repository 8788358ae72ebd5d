"""What counts as a link winwin may print: one place for the scheme, host and character rules.

A value from content, config or a feed becomes an `href` or `src` only if it
passes here. `javascript:`, `data:` (except images where allowed), `file:`
and host-less forms such as `https:` or `https:///etc/passwd` never pass, nor
does anything with a control character (browsers and urlsplit drop some of
them silently, so `java\tscript:` would read as a scheme).

`is_http_url` is for values printed with escaping (the reading list, feeds,
autoescaped templates): a quote in a query string is the template's to
escape. `is_safe_link` is for values that may reach a template printing them
raw (Material's navigation): no spaces, quotes or angle brackets either.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# What may not reach a raw attribute: controls, spaces, the double quote that
# ends it, angle brackets, the backslash and the backtick (old IE quoting).
_RAW_UNSAFE = re.compile(r"[\x00-\x20\x7f\"<>`\\]")
# An image inlined as base64 (Material's own docs use these for avatars).
_DATA_IMAGE = re.compile(r"^data:image/(?:png|gif|jpeg|webp|avif);base64,[A-Za-z0-9+/=]+$")


def _split(value: object, unsafe: re.Pattern = _CONTROL):
    if not isinstance(value, str) or not value or unsafe.search(value):
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    return parts


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL with a host: 'https://example.org/x', not 'https:' nor 'https:///etc'."""
    parts = _split(value)
    return parts is not None and parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def is_relative(value: object) -> bool:
    """A path reference inside the site ('../x/', 'img/a.png', '/about/'): no scheme, no host."""
    parts = _split(value, _RAW_UNSAFE)
    if parts is None or parts.scheme or parts.netloc or value.startswith("//"):
        return False
    # Where a template prints the value raw, '&#58;' would decode to ':' and
    # make 'javascript&#58;...' a scheme: no character references here.
    return "&" not in value


def is_safe_link(value: object, *, images: bool = False) -> bool:
    """An http(s) URL with a host or a relative reference; `images` also allows a base64 image."""
    if images and isinstance(value, str) and _DATA_IMAGE.match(value):
        return True
    return (is_http_url(value) and not _RAW_UNSAFE.search(value)) or is_relative(value)


def hostname(url: str) -> str:
    """The host of an http(s) URL without 'www.', '' when there is none."""
    parts = _split(url)
    return (parts.hostname or "").removeprefix("www.") if parts else ""
