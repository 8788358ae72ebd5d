"""content.loader.scan_docs: the Markdown files MkDocs will find, and the symlinks it must not follow."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs_winwin.content.loader import scan_docs


def docs(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    for rel in ("index.md", "guide/a.md", "blog/posts/p.md", "blog/posts/img.png", "shared/note.md"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("# x\n", encoding="utf-8")
    return root


def test_links_inside_are_followed_as_mkdocs_follows_them(tmp_path):
    root = docs(tmp_path)
    os.symlink("../shared", root / "guide" / "linked")
    os.symlink("../../shared/note.md", root / "blog" / "posts" / "note.md")
    problems = []
    assert scan_docs(root, problems) == ["blog/posts/note.md", "blog/posts/p.md", "guide/a.md",
                                         "guide/linked/note.md", "index.md", "shared/note.md"]
    assert problems == []


def test_links_out_loops_and_dangling_links_are_reported_and_not_followed(tmp_path):
    root = docs(tmp_path)
    (tmp_path / "secret.md").write_text("# secret\n", encoding="utf-8")
    os.symlink("../../secret.md", root / "guide" / "secret.md")
    os.symlink("..", root / "guide" / "up")  # contains itself
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")  # a loop of two links
    os.symlink("missing.md", root / "gone.md")
    problems = []
    found = scan_docs(root, problems)
    assert "guide/secret.md" not in found and not any(f.startswith("guide/up/") for f in found)
    said = {p.path: p.message for p in problems}
    assert "outside the docs folder" in said["guide/secret.md"]
    assert "a loop" in said["guide/up"]
    assert "loops back on itself" in said["a"] and "loops back on itself" in said["b"]
    assert "points nowhere" in said["gone.md"]
