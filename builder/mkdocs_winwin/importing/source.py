"""Reading the SOURCE argument: a local file or an http(s) URL, bounded in size."""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import SourceError
from .detect import detect
from .fetch import Fetcher, FetchFailed

MB = 1024 * 1024
DEFAULT_MAX_MB = 100
HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Source:
    where: str  # what the user gave, for messages
    path: Path  # a local file holding the export
    kind: str
    temporary: bool = False  # downloaded: delete when done

    def head(self) -> bytes:
        with self.path.open("rb") as handle:
            return handle.read(HEAD_BYTES)


def _too_big(where: str, size: int, max_mb: int) -> SourceError:
    return SourceError(
        where, f"is {size / MB:.0f} MB, more than the {max_mb} MB an import reads",
        f"pass --max-size {int(size / MB) + 10} if it really is one blog's export (it is read as a stream, "
        "so memory stays small), or split it: WordPress exports by date range (Tools > Export)",
    )


def open_source(given: str, max_mb: int = DEFAULT_MAX_MB, fetcher: Fetcher | None = None) -> Source:
    """Find, bound and identify the export; raise SourceError with a fix otherwise."""
    if urlsplit(given).scheme in ("http", "https"):
        return _download(given, max_mb, fetcher or Fetcher(timeout=60.0))
    if urlsplit(given).scheme and len(urlsplit(given).scheme) > 1:
        raise SourceError(given, "is neither a file nor an http(s) address", "give a file path or an https:// URL")
    path = Path(given)
    if not path.is_file():
        raise SourceError(given, "does not exist or is not a file", "check the path of the export file")
    size = path.stat().st_size
    if size > max_mb * MB:
        raise _too_big(given, size, max_mb)
    source = Source(given, path, "")
    if source.head().startswith(b"PK\x03\x04"):
        return _from_zip(given, path, max_mb)
    return Source(given, path, detect(source.head(), given))


# What a Google Takeout or a hand-made archive may hold: the export is the one such file inside.
_EXPORT_NAMES = ("feed.atom", ".xml")


def _from_zip(given: str, path: Path, max_mb: int) -> Source:
    """The one export inside a zip (Google Takeout gives Blogger's feed.atom in one), copied out bounded."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(given, f"looks like a zip archive but cannot be opened ({exc})",
                          "download the archive again, or unzip it and import the export inside") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(_EXPORT_NAMES)
                   and "__MACOSX" not in m.filename]
        if len(members) != 1:
            found = ", ".join(m.filename for m in members[:5]) or "none"
            raise SourceError(given, f"is a zip archive with {len(members)} exports in it ({found})",
                              "unzip it and import the export you want, e.g. Takeout/Blogger/Blogs/NAME/feed.atom")
        member = members[0]
        where = f"{given}:{member.filename}"
        if member.file_size > max_mb * MB:
            raise _too_big(where, member.file_size, max_mb)
        handle = tempfile.NamedTemporaryFile(prefix="winwin-import-", suffix=".export", delete=False)
        copied = 0
        try:
            with handle, archive.open(member) as inside:
                # Counted as it is copied: an archive's stated sizes are not to be trusted (zip bombs).
                while chunk := inside.read(1024 * 1024):
                    copied += len(chunk)
                    if copied > max_mb * MB:
                        raise _too_big(where, copied, max_mb)
                    handle.write(chunk)
            extracted = Path(handle.name)
            return Source(where, extracted, detect(Source(where, extracted, "").head(), where), temporary=True)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise


def _download(url: str, max_mb: int, fetcher: Fetcher) -> Source:
    try:
        fetched = fetcher.get(url, max_mb * MB)
    except FetchFailed as exc:
        raise SourceError(url, f"could not be downloaded: {exc}",
                          "check the address, or download the file and import it from disk") from None
    kind = detect(fetched.data[:HEAD_BYTES], url)
    handle = tempfile.NamedTemporaryFile(prefix="winwin-import-", suffix=".export", delete=False)
    with handle:
        handle.write(fetched.data)
    return Source(url, Path(handle.name), kind, temporary=True)
