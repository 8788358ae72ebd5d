"""The old blog's images, downloaded into the docs folder (bounded, checked).

Only images on the old blog's own hosts are fetched; others stay remote links.
A file counts as an image only when the server says image/* and its first
bytes are those of a PNG, JPEG, GIF, WebP or AVIF (SVG is refused: it can
carry scripts). One that fails keeps its remote URL and is listed.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import posixpath
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import unquote, urljoin, urlsplit

from .assemble import slugify
from .fetch import Fetcher, FetchFailed

DEFAULT_MAX_IMAGE_BYTES = 10 * 1024 * 1024
EXTENSIONS = ("png", "jpg", "gif", "webp", "avif")
# What a post's raw HTML asks for: pictures, and the larger copy a link around a picture points to
# (markdown.to_markdown uses that one); a guess ahead of the conversion, which has the last word.
_IMAGE_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_LINKED_IMAGE = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"'][^>]*>\s*<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']",
                           re.IGNORECASE)
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|avif|bmp)$", re.IGNORECASE)
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
    workers: int = 4  # downloads at once
    waiting: dict[str, Future] = field(default_factory=dict)  # url -> download started by prefetch()
    pool: ThreadPoolExecutor | None = None

    def local_path(self, url: str, post_slug: str) -> str:
        """Where an image goes: assets/imported/<post-slug>/<name>; same URL, same name, every run."""
        stem = posixpath.splitext(posixpath.basename(unquote(urlsplit(url).path)))[0]
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        return f"{self.folder}/{post_slug}/{slugify(stem)[:60] or 'image'}-{digest}"

    def _absolute(self, url: str, base: str) -> str:
        absolute = urljoin(base, url) if base else url
        return "https:" + absolute if absolute.startswith("//") else absolute

    def _there(self, absolute: str, post_slug: str) -> str | None:
        """The file of an image imported before (nothing to fetch), or None."""
        stem = self.local_path(absolute, post_slug)
        return next((f"{stem}.{ext}" for ext in EXTENSIONS if self.exists(f"{stem}.{ext}")), None)

    def prefetch(self, html: str, post_slug: str, base: str = "") -> None:
        """Start downloading a post's pictures in parallel; `resolve()` then takes them as they come.

        Only one post's pictures are held at a time (`settle()` drops what was
        not asked for), so memory stays bounded whatever the blog's size.
        """
        if self.fetcher is None:
            return
        wrapped = {src for _, src in _LINKED_IMAGE.findall(html)}
        wanted = [href for href, _ in _LINKED_IMAGE.findall(html) if _IMAGE_FILE.search(urlsplit(href).path)]
        wanted += [src for src in _IMAGE_SRC.findall(html) if src not in wrapped]
        for url in dict.fromkeys(wanted):
            absolute = self._absolute(html_lib.unescape(url), base)
            if not on_hosts(absolute, self.hosts) or absolute in self.fetched or absolute in self.failed \
                    or absolute in self.waiting or self._there(absolute, post_slug) \
                    or self.silent.get((urlsplit(absolute).hostname or "").lower(), 0) >= SILENT_LIMIT:
                continue
            if self.pool is None:
                self.pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="winwin-image")
            self.waiting[absolute] = self.pool.submit(self._download, absolute)

    def settle(self) -> None:
        """Forget downloads started for a post that its pages did not use."""
        for future in self.waiting.values():
            future.cancel()
        self.waiting.clear()

    def close(self) -> None:
        self.settle()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def _download(self, absolute: str) -> tuple[bytes, str]:
        """The image's bytes and file extension; FetchFailed when it is not a real image."""
        got = self.fetcher.get(absolute, self.max_bytes)  # type: ignore[union-attr]
        kind = image_kind(got.data)
        if not got.content_type.lower().startswith("image/") or not kind:
            served = got.content_type.split(";")[0] or "no content type"
            raise FetchFailed(f"not a PNG, JPEG, GIF, WebP or AVIF image (served as {served})")
        return got.data, kind

    def resolve(self, url: str, post_slug: str, post_title: str, base: str = "") -> str | None:
        """The docs-relative path of the image, or None to keep the remote URL."""
        absolute = self._absolute(url, base)
        if not on_hosts(absolute, self.hosts):
            return None
        if absolute in self.fetched:
            return self.fetched[absolute]
        if absolute in self.failed:
            return None
        self.used_by.setdefault(absolute, post_title)
        there = self._there(absolute, post_slug)
        if there:
            self.fetched[absolute] = there
            return there
        if self.fetcher is None:
            self.planned += 1
            return None
        host = (urlsplit(absolute).hostname or "").lower()
        started = self.waiting.pop(absolute, None)
        if started is None and self.silent.get(host, 0) >= SILENT_LIMIT:
            self.failed[absolute] = f"not tried: {host} did not answer {SILENT_LIMIT} times in a row"
            return None
        try:
            data, kind = started.result() if started is not None else self._download(absolute)
        except FetchFailed as exc:
            self.failed[absolute] = str(exc)
            # A dead old host would cost a full timeout per picture: after a few, stop asking it.
            self.silent[host] = self.silent.get(host, 0) + 1 if exc.silent else 0
            return None
        self.silent[host] = 0
        path = f"{self.local_path(absolute, post_slug)}.{kind}"
        self.store(path, data)
        self.fetched[absolute] = path
        return path
