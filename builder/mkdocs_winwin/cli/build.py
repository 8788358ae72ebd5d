"""Crash-safe site builds: build into a sibling temporary folder, swap it in only on success.

Whatever kills the build (an error, Ctrl-C, `kill -9`, a power cut), the site
folder is either the previous site or the new one, never half of each and
never missing:

- the new site is built in `.<site>-<random>.tmp` beside the site folder (same
  file system, so the swap is a rename, never a copy);
- on Linux the swap is one `renameat2(RENAME_EXCHANGE)`: the two folders trade
  names in a single atomic step, and the old site is left under the temporary
  name, removed right after;
- where that call is missing (another OS, a file system without it) the swap is
  two renames, site -> `.<site>-old-<random>` then temporary -> site; a kill
  between them leaves no site folder for an instant, and the next build puts
  the old one back before anything else;
- every build first removes the temporary folders an earlier killed build left,
  under a lock (flock on the parent folder, released by the kernel when a
  build dies) so two builds at once never remove each other's folder.

The site folder gets the mode `mkdocs build` gives it (0777 less the umask,
usually 0755), not `mkdtemp`'s 0700, so a web server running as another user
can read it. A full disk or a read-only target is a one-sentence error.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from mkdocs.exceptions import MkDocsException

from ..collector import fewer_collections
from ..errors import WinwinError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class SiteWriteError(WinwinError, MkDocsException):
    """The site folder could not be written (disk full, read-only, no permission).

    Also a MkDocsException, so `winwin build` reports it as any failed build.
    """

    def __init__(self, where: str, message: str, fix: str = "") -> None:
        super().__init__(where, message, fix)
        self.message = message  # click's __init__ stored the whole sentence here; str() builds it

    def format_message(self) -> str:
        return str(self)


def build_site(config_file: str, site_dir: str | None = None, strict: bool = False) -> Path:
    """Build the site; on any failure the previous site folder is left untouched.

    Returns the site folder. Raises mkdocs' exceptions (Abort, PluginError,
    ConfigurationError) on failure, after removing the temporary folder, and
    SiteWriteError when the disk is full or the target cannot be written.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # Loaded once (0.08 s a load): MkDocs checks the target against docs_dir, and the
    # temporary folder beside the target is inside docs_dir exactly when the target is.
    config = load_config(config_file, strict=strict, **({"site_dir": site_dir} if site_dir else {}))
    target = Path(config.site_dir).resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with _locked(target):
            recover(target)
            temp = _make_temp(target)
            try:
                config.site_dir = str(temp)
                config.plugins.on_startup(command="build", dirty=False)
                try:
                    with fewer_collections():
                        build(config)
                finally:
                    _shut_down(config)
                _swap(temp, target)
            finally:
                _remove(temp)
    except OSError as exc:
        problem = _write_problem(exc, target)
        if problem is None:
            raise
        raise problem from exc
    return target


def _write_problem(exc: OSError, target: Path) -> SiteWriteError | None:
    where = str(target)
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return SiteWriteError(where, "the disk is full (no space left to write the site); the previous site "
                                     "stays as it was", "free some space on that disk, or build elsewhere with -d")
    if exc.errno == errno.EROFS:
        return SiteWriteError(where, "the folder is on a read-only file system; nothing was written",
                              "build elsewhere with -d, or remount it writable")
    if exc.errno in (errno.EACCES, errno.EPERM):
        culprit = exc.filename or target.parent
        return SiteWriteError(where, f"permission denied writing {culprit}; nothing was changed",
                              f"make {target.parent} writable for this user, or build elsewhere with -d")
    return None


def _shut_down(config) -> None:
    # MkDocs keeps one instance of a plugin with on_startup for the whole
    # process, and Material's blog deletes its temporary folder on shutdown; it
    # only creates it again when it writes a listing page. So a later build in
    # the same process (tests, a script) that fails before that point would
    # end with FileNotFoundError here, hiding the real error.
    try:
        config.plugins.on_shutdown()
    except FileNotFoundError:
        pass


# --- the folders around the site ---------------------------------------------

def _temp_names(target: Path) -> Iterator[Path]:
    prefix = f".{target.name}-"
    for path in target.parent.glob(f"{_glob_escape(prefix)}*"):
        name = path.name[len(prefix):]
        if name.endswith(".tmp") or name.startswith("old-"):
            yield path


def _glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def recover(target: Path) -> None:
    """Undo what an earlier killed build left: restore a missing site, remove stale folders.

    Called under the build lock. Only the two-rename swap can leave the site
    missing; its old copy is then `.<site>-old-*` and goes back in place.
    """
    leftovers = list(_temp_names(target))
    if not os.path.lexists(target):
        old = [p for p in leftovers if p.name.startswith(f".{target.name}-old-")]
        if old:
            newest = max(old, key=lambda p: p.stat().st_mtime)  # the site that was in place last
            os.rename(newest, target)
            leftovers.remove(newest)
    for path in leftovers:
        _remove(path)


def _make_temp(target: Path) -> Path:
    """A new empty folder beside `target`, with the mode `mkdocs build` would give the site."""
    while True:
        temp = target.with_name(f".{target.name}-{secrets.token_hex(4)}.tmp")
        try:
            os.mkdir(temp, 0o777)  # the umask applies, as for any folder mkdocs creates
            return temp
        except FileExistsError:
            continue


def _remove(path: Path) -> None:
    if os.path.lexists(path):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Exclusive for the build of one site folder; the kernel drops it if the process dies."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; stale folders are still cleaned
        yield
        return
    # The parent folder itself is locked: no lock file is left beside the site.
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some NFS): build unlocked, as before
            pass
        yield
    finally:
        os.close(fd)


# --- the swap ----------------------------------------------------------------

def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of `a` and `b` in one atomic step; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):  # no C library by that name, or no renameat2 in it
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(new: Path, target: Path) -> None:
    """Put `new` in place of `target`; afterwards `new` names the old site (or nothing)."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return
    if _exchange(new, target):
        return
    old = target.with_name(f".{target.name}-old-{new.name[len(target.name) + 2:-4]}")
    os.rename(target, old)
    os.rename(new, target)
    _remove(old)
