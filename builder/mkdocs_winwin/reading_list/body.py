"""A response body, bounded: wire bytes and decompressed bytes counted against one cap.

We decompress gzip/deflate ourselves, a bounded slice at a time, so a gzip
bomb never grows past the cap in memory.
"""

from __future__ import annotations

import zlib

from .status import failure


class Body:
    """Collects a response body from `url`, counting wire bytes and decoded bytes against `cap`."""

    def __init__(self, url: str, encoding: str, cap: int):
        self.url, self.cap = url, cap
        self.wire = 0
        self.parts: list[bytes] = []
        self.size = 0
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self.decoder = None
        elif encoding in ("gzip", "x-gzip"):
            self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.decoder = zlib.decompressobj()
        else:
            raise failure(url, f"the server sent Content-Encoding '{encoding}', which winwin does not read",
                          "ask the site to serve the feed plain or gzip-compressed", 200)

    def _too_big(self):
        return failure(
            self.url, f"the feed is larger than {self.cap:,} bytes" + (" once decompressed" if self.decoder else ""),
            "raise this source's max_bytes if the feed is genuine, or remove it", 200,
        )

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise self._too_big()
        self.parts.append(data)

    def feed(self, chunk: bytes) -> None:
        self.wire += len(chunk)
        if self.wire > self.cap:
            raise self._too_big()
        if self.decoder is None:
            self._keep(chunk)
            return
        try:
            data = chunk
            while data:
                # At most cap+1 bytes out per call: a bomb stops at the cap, not in memory.
                out = self.decoder.decompress(data, self.cap - self.size + 1)
                self._keep(out)
                data = self.decoder.unconsumed_tail
        except zlib.error as exc:
            raise failure(self.url, f"the compressed body is corrupt ({exc})",
                          "try again later; if it persists, tell the site", 200) from exc

    def bytes(self) -> bytes:
        return b"".join(self.parts)
