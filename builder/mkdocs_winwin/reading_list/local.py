"""Local-file sources: read at build time straight from the project, never through the store.

Only a regular file inside the project folder (the folder of mkdocs.yml) is
read: not a device (/dev/zero), not a FIFO, not a path or symlink that leads
out (../../etc/passwd). The size cap is counted on the bytes actually read,
so a file that grows, or lies about its size, still stops at the cap.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import SourceError
from .http import Download

CHUNK = 64 * 1024


def inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def read_local(url: str, path: Path, max_bytes: int, project: Path | None = None) -> Download:
    """The bytes of a local feed file as a Download; SourceError naming the source otherwise.

    `project`: the folder the file must stay in (sources.make_source checks it
    already when it reads mkdocs.yml; checked again here, after any change on disk).
    """
    fix = "point 'url' at a feed file inside the project folder (paths are relative to mkdocs.yml)"
    real = path.resolve()
    if project is not None and not inside(real, project.resolve()):
        raise SourceError(url, f"is outside the project folder {project} (it resolves to {real})", fix)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise SourceError(url, f"cannot be read ({exc.strerror or exc})",
                          "fix the path in mkdocs.yml (it is relative to mkdocs.yml)") from exc
    with os.fdopen(fd, "rb") as file:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "a device, FIFO or socket"
            raise SourceError(url, f"is {kind}, not a regular file", fix)
        parts, size = [], 0
        while True:
            chunk = file.read(CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise SourceError(url, f"the file is larger than {max_bytes:,} bytes",
                                  "raise this source's max_bytes, or trim the file")
            parts.append(chunk)
    kind = {".json": "application/feed+json"}.get(path.suffix.lower(), "application/xml")
    return Download(url=url, status=200, headers={"content-type": kind}, body=b"".join(parts))
