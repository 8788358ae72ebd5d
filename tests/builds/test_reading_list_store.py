"""Builds never write the article store (issues 8 and 10): local-file sources are read
straight from the project, http(s) sources' articles come from the store opened
read-only, and a damaged store is a warning naming it, not a traceback."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from mkdocs_winwin.reading_list.articles import Article
from mkdocs_winwin.reading_list.sources import source_id
from mkdocs_winwin.reading_list.store import SourceState, open_store
from tests.support import MINIMAL_CONFIG, REPO, build_tree, small_site

FEED_URL = "https://remote.example/feed.xml"
CONFIG = MINIMAL_CONFIG.replace("  - blog\n", f"""  - winwin-reading-list:
      sources:
        - url: feeds/give-first.xml
          name: Giving first
        - url: {FEED_URL}
          name: Remote
  - blog
""")
T0 = dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)


def site_with_store(root: Path) -> Path:
    small_site(root, {"content/index.md": "# Home\n"}, config=CONFIG)
    shutil.copytree(REPO / "content" / "reading-list" / "feeds", root / "feeds")
    sid = source_id(FEED_URL)
    with open_store(root / ".cache" / "winwin") as store:
        store.save(SourceState(sid, FEED_URL, "Remote"), [Article(
            source_id=sid, source_name="Remote", url="https://remote.example/stored", title="Stored remote article",
            summary="", published=T0, guid="stored", first_seen=T0)])
    return root


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_build_reads_local_files_and_the_store_and_writes_nothing_there(tmp_path):
    root = site_with_store(tmp_path)
    cache = root / ".cache"
    before = snapshot(cache)
    cache.chmod(0o555)  # as a deploy user's read-only checkout would have it (root ignores it: see snapshot)
    try:
        site = build_tree(root, strict=True)
    finally:
        cache.chmod(0o755)
    page = (site / "reading-list" / "index.html").read_text()
    assert "Stored remote article" in page  # from the store
    assert "Giving first" in page  # from the local file, read directly
    assert snapshot(cache) == before


def test_a_site_with_only_local_sources_needs_no_store(tmp_path):
    config = CONFIG.replace(f"        - url: {FEED_URL}\n          name: Remote\n", "")
    small_site(tmp_path, {"content/index.md": "# Home\n"}, config=config)
    shutil.copytree(REPO / "content" / "reading-list" / "feeds", tmp_path / "feeds")
    site = build_tree(tmp_path, strict=True)
    assert "Giving first" in (site / "reading-list" / "index.html").read_text()
    assert not (tmp_path / ".cache").exists()


def test_a_damaged_store_is_a_warning_that_names_it(tmp_path, caplog):
    root = site_with_store(tmp_path)
    store = root / ".cache" / "winwin" / "store.sqlite"
    store.write_bytes(b"not a database at all" * 100)
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_tree(root, strict=True)
    assert f"reading list: the article store {store} is damaged (" in caplog.text
    assert "Fix: run 'winwin feeds fetch', which moves it aside and rebuilds it" in caplog.text
    site = build_tree(root, strict=False)  # not strict: built from the local files alone
    assert "Giving first" in (site / "reading-list" / "index.html").read_text()
    assert store.read_bytes() == b"not a database at all" * 100  # the build left it for the fetch to heal
