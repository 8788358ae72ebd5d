"""Writing an import: everything is staged in a temporary folder first, then moved in.

The staging folder sits beside the docs folder (same file system, so each
move is a rename). If anything fails before `commit()`, `discard()` removes
it and the docs folder is as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from ..errors import StoreError


def safe_relative(rel: str) -> PurePosixPath:
    """A docs-relative path that cannot leave the docs folder."""
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe path {rel!r}")
    return path


class Staging:
    """Files to add to the docs folder, written only on `commit()`."""

    def __init__(self, docs: Path, dry_run: bool = False) -> None:
        self.docs, self.dry_run = docs, dry_run
        self.files: dict[str, int] = {}  # docs-relative path -> size
        self.replaced: set[str] = set()  # paths that exist and are updated (comments, authors)
        self.folder: Path | None = None
        if not dry_run:
            parent = docs.parent if docs.parent.exists() else Path(tempfile.gettempdir())
            self.folder = Path(tempfile.mkdtemp(prefix=".winwin-import-", dir=parent))

    def exists(self, rel: str) -> bool:
        return rel in self.files or (self.docs / safe_relative(rel)).exists()

    def read(self, rel: str) -> bytes | None:
        target = self.docs / safe_relative(rel)
        return target.read_bytes() if target.is_file() else None

    def add(self, rel: str, data: bytes) -> None:
        """Stage a file; the same content as the file already there is no change."""
        path = safe_relative(rel)
        if self.read(rel) == data:
            return
        if (self.docs / path).exists():
            self.replaced.add(rel)
        self.files[rel] = len(data)
        if self.folder is not None:
            staged = self.folder / path
            try:
                staged.parent.mkdir(parents=True, exist_ok=True)
                staged.write_bytes(data)
            except OSError as exc:
                raise StoreError(str(self.folder), f"could not stage {rel} ({exc.strerror or exc})",
                                 "free some disk space or check permissions, then import again; "
                                 "nothing was written") from None

    def commit(self) -> None:
        """Move every staged file in; the staging folder is removed."""
        if self.folder is None:
            return
        try:
            for rel in sorted(self.files):
                target = self.docs / safe_relative(rel)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(self.folder / rel, target)
        except OSError as exc:
            raise StoreError(str(self.docs), f"could not move the imported files in ({exc})",
                             "check that the docs folder is writable and run the import again") from None
        finally:
            self.discard()

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
