"""Template work reused within a build writes the very pages Material writes itself.

Each site is built twice, with plugins.material.nav_once (the navigation
rendered once per state) and translations_once (Material's `lang.t` looked up
once per key), and with both turned off; every HTML page of the two is
compared byte for byte, and the counts of reuse show it did happen.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_winwin.plugins import core, material
from tests.support import MINIMAL_CONFIG, build_tree, small_site


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _both(root: Path, out: Path, monkeypatch) -> tuple[dict, dict, list]:
    """The pages with reuse, without, and what the reuse kept: [(NavOnce, translations)]."""
    kept = []

    def spy(env):
        kept.append((material.nav_once(env), material.translations_once(env)))
        return kept[-1][0]

    monkeypatch.setattr(core, "nav_once", spy)
    monkeypatch.setattr(core, "translations_once", lambda env: kept[-1][1])
    ours = _pages(build_tree(root, site_dir=out / "ours"))
    monkeypatch.setattr(core, "nav_once", lambda env: None)
    monkeypatch.setattr(core, "translations_once", lambda env: None)
    plain = _pages(build_tree(root, site_dir=out / "plain"))
    return ours, plain, kept


def _post(i: int) -> str:
    return (f"---\ntitle: Post {i}\ndate: 2025-{1 + i % 12:02d}-{1 + i:02d}\nauthors: [ann]\nthemes: [first]\n"
            f"description: Post {i}.\ntags: [tag{i % 3}]\n---\n# Post {i}\n\nSee [the chapter](../../guide/first.md).\n"
            "\n<!-- more -->\n\n## More\n\nText.\n")


FEATURES = [
    [],
    ["navigation.tabs", "navigation.sections", "navigation.indexes"],
    ["navigation.prune", "navigation.expand", "toc.integrate"],
]


@pytest.mark.parametrize("features", FEATURES, ids=["plain", "tabs-sections-indexes", "prune-expand-integrate"])
def test_a_blog_with_paging_archive_and_tags(tmp_path, monkeypatch, features):
    config = MINIMAL_CONFIG.replace("  - blog\n", "  - blog:\n      pagination_per_page: 3\n  - tags\n")
    if features:
        config = config.replace("  font: false\n", "  font: false\n  features:\n" + "".join(
            f"    - {f}\n" for f in features))
    files = {f"content/blog/posts/post-{i}.md": _post(i) for i in range(12)}
    files["content/tags.md"] = "# Tags\n\n<!-- material/tags -->\n"
    files["content/extra/deeper/page.md"] = "# Deeper\n\nA page two levels down.\n"
    root = small_site(tmp_path / "src", files, config=config)
    ours, plain, kept = _both(root, tmp_path, monkeypatch)
    assert sorted(ours) == sorted(plain)
    assert [p for p in ours if ours[p] != plain[p]] == []
    once, translations = kept[0]
    assert once is not None and not once.disabled
    assert once.hits >= 10  # the posts, all outside the navigation, share renders
    assert translations["search.placeholder"] == "Search"  # looked up, then shared


def test_the_shipped_site(shipped_source, tmp_path, monkeypatch):
    ours, plain, kept = _both(shipped_source, tmp_path, monkeypatch)
    assert sorted(ours) == sorted(plain)
    assert [p for p in ours if ours[p] != plain[p]] == []
    once, translations = kept[0]
    assert once is not None and once.hits > 0
    assert len(translations) > 10


def test_constant_time_page_lists_build_the_same_pages(tmp_path, monkeypatch):
    """plugins.material.speed_up (identity look-ups in the posts and the views' page lists)
    changes nothing a paginated blog writes."""
    config = MINIMAL_CONFIG.replace("  - blog\n", "  - blog:\n      pagination_per_page: 2\n  - tags\n")
    root = small_site(tmp_path / "src", {f"content/blog/posts/post-{i}.md": _post(i) for i in range(9)}, config=config)
    wrapped = []
    real = material.speed_up
    monkeypatch.setattr(core, "speed_up", lambda plugins: wrapped.append(real(plugins)))
    ours = _pages(build_tree(root, site_dir=tmp_path / "ours"))
    monkeypatch.setattr(core, "speed_up", lambda plugins: 0)
    plain = _pages(build_tree(root, site_dir=tmp_path / "plain"))
    assert wrapped == [1] and len([p for p in ours if "/page/" in p]) >= 3
    assert [p for p in ours if ours[p] != plain[p]] == [] and sorted(ours) == sorted(plain)
