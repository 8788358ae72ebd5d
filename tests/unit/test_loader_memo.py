"""The content loader reads a post again only when its text (or what it is checked against) changed."""

from __future__ import annotations

from mkdocs_winwin.content.loader import Layout, load_site
from tests.support import AUTHORS, edit, numbered_post, small_site, write_tree


def _posts(site):
    return {p.path: p for p in site.posts}


def test_an_unchanged_post_is_the_one_read_before_and_an_edited_one_is_read_again(tmp_path):
    posts = {f"content/blog/posts/post-{i}.md": numbered_post(i) for i in range(3)}
    root = small_site(tmp_path / "site", {**AUTHORS, **posts})
    docs = root / "content"
    first = _posts(load_site(docs, Layout()))
    edit(docs, "blog/posts/post-1.md", "title: Post 1", "title: Post one")
    second = _posts(load_site(docs, Layout()))
    assert second["blog/posts/post-0.md"] is first["blog/posts/post-0.md"]
    assert second["blog/posts/post-1.md"].title == "Post one"
    edit(docs, "blog/posts/post-1.md", "title: Post one", "title: Post 1")
    assert _posts(load_site(docs, Layout()))["blog/posts/post-1.md"] == first["blog/posts/post-1.md"]


def test_problems_are_reported_by_every_load_and_follow_what_they_are_checked_against(tmp_path):
    root = small_site(tmp_path / "site", {**AUTHORS, "content/blog/posts/post-0.md": numbered_post(0)})
    docs = root / "content"
    for _ in range(2):
        assert [p for p in load_site(docs, Layout()).problems if not p.warning] == []
    # The same post text is now wrong: its theme's chapter is gone.
    (docs / "guide" / "first.md").unlink()
    problems = [str(p) for p in load_site(docs, Layout()).problems if not p.warning]
    assert any("blog/posts/post-0.md" in p and "themes" in p for p in problems), problems
    write_tree(docs, {"blog/posts/post-0.md": "---\ntitle: [unclosed\n---\n"})
    for _ in range(2):
        assert any("not valid YAML" in str(p) for p in load_site(docs, Layout()).problems)
