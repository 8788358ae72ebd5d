"""The old blog's images, downloaded into the docs folder (bounded, checked).

Only images on the old blog's own hosts are fetched; others stay remote links.
A file counts as an image only when the server says image/* and its first
bytes are those of a PNG, JPEG, GIF, WebP or AVIF (SVG is refused: it can
carry scripts). One that fails keeps its remote URL and is listed.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from .assemble import slugify
from .fetch import Fetcher, FetchFailed

DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024
SILENT_LIMIT = 3


def image_kind(data: bytes) -> str:
    """The file extension for an image's bytes, or '' when they are not a known image."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:12] in (b"ftypavif", b"ftypavis"):
        return "avif"
    return ""


def on_hosts(url: str, hosts: frozenset[str] | set[str]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and any(host == h or host.endswith("." + h) for h in hosts)


@dataclass
class Images:
    """Downloads for one import: each URL fetched once, results kept for the report."""

    hosts: frozenset[str]
    store: Callable[[str, bytes], None]  # (docs-relative path, bytes) -> staged
    exists: Callable[[str], bool]  # is this docs-relative path already there?
    fetcher: Fetcher | None  # None: do not download (dry run, --no-images)
    folder: str = "assets/imported"
    max_bytes: int = DEFAULT_MAX_IMAGE_BYTES
    fetched: dict[str, str] = field(default_factory=dict)  # url -> docs-relative path
    failed: dict[str, str] = field(default_factory=dict)  # url -> why
    used_by: dict[str, str] = field(default_factory=dict)  # url -> first post title
    silent: dict[str, int] = field(default_factory=dict)  # host -> timeouts in a row
    planned: int = 0

    def local_path(self, url: str, post_slug: str) -> str:
        """Where an image goes: assets/imported/<post-slug>/<name>; same URL, same name, every run."""
        stem = posixpath.splitext(posixpath.basename(unquote(urlsplit(url).path)))[0]
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        return f"{self.folder}/{post_slug}/{slugify(stem)[:60] or 'image'}-{digest}"

    def resolve(self, url: str, post_slug: str, post_title: str, base: str = "") -> str | None:
        """The docs-relative path of the image, or None to keep the remote URL."""
        absolute = urljoin(base, url) if base else url
        if absolute.startswith("//"):
            absolute = "https:" + absolute
        if not on_hosts(absolute, self.hosts):
            return None
        if absolute in self.fetched:
            return self.fetched[absolute]
        if absolute in self.failed:
            return None
        self.used_by.setdefault(absolute, post_title)
        stem = self.local_path(absolute, post_slug)
        for ext in ("png", "jpg", "gif", "webp", "avif"):
            if self.exists(f"{stem}.{ext}"):  # imported before: nothing to fetch
                self.fetched[absolute] = f"{stem}.{ext}"
                return self.fetched[absolute]
        if self.fetcher is None:
            self.planned += 1
            return None
        host = (urlsplit(absolute).hostname or "").lower()
        if self.silent.get(host, 0) >= SILENT_LIMIT:
            self.failed[absolute] = f"not tried: {host} did not answer {SILENT_LIMIT} times in a row"
            return None
        try:
            got = self.fetcher.get(absolute, self.max_bytes)
            kind = image_kind(got.data)
            if not got.content_type.lower().startswith("image/") or not kind:
                served = got.content_type.split(";")[0] or "no content type"
                raise FetchFailed(f"not a PNG, JPEG, GIF, WebP or AVIF image (served as {served})")
        except FetchFailed as exc:
            self.failed[absolute] = str(exc)
            # A dead old host would cost a full timeout per picture: after a few, stop asking it.
            self.silent[host] = self.silent.get(host, 0) + 1 if exc.silent else 0
            return None
        self.silent[host] = 0
        path = f"{stem}.{kind}"
        self.store(path, got.data)
        self.fetched[absolute] = path
        return path
