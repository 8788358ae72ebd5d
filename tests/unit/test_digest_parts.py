"""Parts of the incremental build that must never call two different things the same:
context digests of lists, and copies of a table of contents."""

from __future__ import annotations

import copy

from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from mkdocs_winwin.incremental.fingerprint import Fingerprint
from mkdocs_winwin.incremental.memo import copy_toc
from mkdocs_winwin.plugins.material import PostList


def _pages(n: int) -> list[Page]:
    pages = []
    for i in range(n):
        page = Page(f"Post {i}", File(f"p{i}.md", "/docs", "/site", True), {"site_url": None})
        page.meta = {"tags": [str(i)]}
        pages.append(page)
    return pages


def _key(fingerprint: Fingerprint, context: dict) -> bytes:
    key = fingerprint.context_key("page.html", context)
    assert key is not None
    return key


def test_a_post_list_is_digested_by_its_items_not_by_their_identities():
    # Two builds of the same content: equal pages, other objects (the list's index holds their ids).
    assert _key(Fingerprint(), {"posts": PostList(_pages(3))}) == _key(Fingerprint(), {"posts": PostList(_pages(3))})
    assert _key(Fingerprint(), {"posts": PostList(_pages(3))}) != _key(Fingerprint(), {"posts": PostList(_pages(4))})


def test_a_long_list_seen_again_is_the_same_digest_and_a_changed_one_is_not():
    pages = _pages(80)
    fingerprint = Fingerprint()
    listing = list(pages)
    first = _key(fingerprint, {"posts": listing})
    assert _key(fingerprint, {"posts": listing}) == first  # seen again in the same build
    listing.reverse()
    reordered = _key(fingerprint, {"posts": listing})
    listing.reverse()
    listing.pop()
    shorter = _key(fingerprint, {"posts": listing})
    listing.append(_pages(81)[80])
    replaced = _key(fingerprint, {"posts": listing})
    assert len({first, reordered, shorter, replaced}) == 4
    # The page being rendered is walked in depth even when the list was digested before.
    assert _key(fingerprint, {"page": listing[0], "posts": listing}) != _key(fingerprint, {"posts": listing})


def test_a_copied_table_of_contents_is_equal_and_shares_nothing_mutable():
    toc = get_toc([{"name": "A", "id": "a", "level": 1, "children": [
        {"name": "B", "id": "b", "level": 2, "children": []}]}])
    toc.items[0].active = True
    twin = copy_toc(toc)
    assert str(twin) == str(toc) and twin.items[0].active is True and twin.items[0].children[0].url == "#b"
    twin.items[0].children.append(copy.deepcopy(toc.items[0]))
    twin.items.append(toc.items[0])
    assert len(toc.items) == 1 and len(toc.items[0].children) == 1


def test_a_table_of_contents_with_anything_else_in_it_is_copied_deeply():
    toc = get_toc([{"name": "A", "id": "a", "level": 1, "children": []}])
    toc.items[0].extra = ["mutable"]
    twin = copy_toc(toc)
    assert twin.items[0].extra == ["mutable"] and twin.items[0].extra is not toc.items[0].extra
    assert copy_toc([1, [2]]) == [1, [2]]  # not MkDocs' table of contents: deepcopy
