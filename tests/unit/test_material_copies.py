"""The Material templates winwin copies are checked against the installed Material.

Each copy names its original in its header: `upstream: mkdocs-material VERSION
PATH sha256 HASH`. When the installed Material's file changes, the copy is
stale (it would silently drop upstream fixes), and this test says which copy
to redo from which version.
"""

from __future__ import annotations

import hashlib
import re
from importlib.metadata import version
from pathlib import Path

import material
import pytest

from tests.support import REPO

UPSTREAM = re.compile(r"upstream: mkdocs-material (\S+) (\S+) sha256 ([0-9a-f]{64})")
MATERIAL = Path(material.__file__).parent / "templates"
THEMES = [REPO / "builder" / "mkdocs_winwin" / "theme", REPO / "theme"]


def templates() -> list[Path]:
    return sorted(p for theme in THEMES for p in theme.rglob("*.html"))


def overrides() -> list[Path]:
    """Our templates that replace one of Material's by name, other than block overrides."""
    found = []
    for theme in THEMES:
        for path in sorted(theme.rglob("*.html")):
            rel = path.relative_to(theme).as_posix()
            if (MATERIAL / rel).exists() and "{% extends" not in path.read_text(encoding="utf-8"):
                found.append(path)
    return found


COPIES = [p for p in templates() if UPSTREAM.search(p.read_text(encoding="utf-8"))]


def test_every_override_of_a_material_template_names_its_original():
    unnamed = [str(p.relative_to(REPO)) for p in overrides() if p not in COPIES]
    assert unnamed == [], "add an 'upstream: mkdocs-material VERSION PATH sha256 HASH' line to their headers"
    assert len(COPIES) >= 5  # blog-post, post, nav-item, search, site-meta (and this site's logo)


@pytest.mark.parametrize("copy", COPIES, ids=lambda p: str(p.relative_to(REPO)))
def test_copy_matches_the_installed_material(copy):
    taken_from, path, digest = UPSTREAM.search(copy.read_text(encoding="utf-8")).groups()
    installed = version("mkdocs-material")
    original = MATERIAL / path
    assert original.exists(), f"the copy of {path} must be redone: Material {installed} has no {path}"
    now = hashlib.sha256(original.read_bytes()).hexdigest()
    assert now == digest, (
        f"the copy of {path} ({copy.relative_to(REPO)}) must be redone from Material {installed}: "
        f"it was taken from {taken_from}, and upstream's file has changed since"
    )


def test_the_dependency_pins_the_minor_version_the_copies_come_from():
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    versions = {UPSTREAM.search(p.read_text(encoding="utf-8")).group(1) for p in COPIES}
    assert len(versions) == 1
    [taken_from] = versions
    assert f'"mkdocs-material~={taken_from}"' in pyproject
