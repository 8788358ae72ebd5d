"""Excerpts converted from the part before the separator: one post per case file.

Each `excerpts/<case>.md` is a post; `<case>.expected` says whether its
excerpt may be converted without the rest of the post (`shortened: true`) or
must be converted whole, as Material does (`false`: something after the
separator reaches back, or the separator is not a block of its own). One site
holds every case and is built twice, with the shortcut and without it (the
whole post converted for every excerpt), and every HTML page of the two
builds must be byte for byte the same.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from mkdocs_winwin.plugins import core, material
from tests.support import MINIMAL_CONFIG, build_tree, small_site

CASES = Path(__file__).parent / "excerpts"
NAMES = sorted(p.stem for p in CASES.glob("*.md"))
CONFIG = MINIMAL_CONFIG.replace("  - blog\n", "  - blog:\n      pagination_per_page: 4\n") + """\
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - admonition
  - footnotes
  - abbr
  - fenced_code
"""


def _pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """(pages with the shortcut, pages without, {case: shortened})."""
    root = tmp_path_factory.mktemp("excerpts")
    files = {f"content/blog/posts/{name}.md": (CASES / f"{name}.md").read_text() for name in NAMES}
    files["content/assets/logo.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    site = small_site(root / "src", files, config=CONFIG)
    shortened: dict[str, bool] = {}
    convert = material.ExcerptOnce._convert

    def spy(self, separator):
        result = convert(self, separator)
        shortened[self.excerpt.post.file.src_uri.rsplit("/", 1)[-1].removesuffix(".md")] = self.shortened
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(material.ExcerptOnce, "_convert", spy)
        ours = _pages(build_tree(site, site_dir=root / "ours"))
        shortcut_taken = dict(shortened)
        patch.setattr(core, "excerpt_shortcut", lambda config: None)
        whole = _pages(build_tree(site, site_dir=root / "whole"))
    return ours, whole, shortcut_taken


def test_every_page_is_what_the_whole_conversion_writes(builds):
    ours, whole, _ = builds
    assert sorted(ours) == sorted(whole)
    listings = [p for p in ours if p.startswith("blog/") and ("/page/" in p or p == "blog/index.html")]
    assert len(listings) >= 5
    assert [p for p in ours if ours[p] != whole[p]] == []


@pytest.mark.parametrize("name", NAMES)
def test_the_shortcut_is_taken_only_where_nothing_reaches_back(builds, name):
    expected = yaml.safe_load((CASES / f"{name}.expected").read_text())["shortened"]
    assert builds[2][name] is expected
