"""Atomic site builds: build into a sibling temporary folder, swap it in only on success."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def build_site(config_file: str, site_dir: str | None = None, strict: bool = False) -> Path:
    """Build the site; on any failure the previous site folder is left untouched.

    Returns the site folder. Raises mkdocs' exceptions (Abort, PluginError,
    ConfigurationError) on failure, after removing the temporary folder.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file, strict=strict)
    target = Path(site_dir or config.site_dir).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same parent folder, so the final rename never crosses file systems.
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}-", suffix=".tmp", dir=target.parent))
    try:
        config = load_config(config_file, strict=strict, site_dir=str(temp))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            _shut_down(config)
        _swap(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return target


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


def _swap(new: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{new.name.rsplit('-', 1)[-1]}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
