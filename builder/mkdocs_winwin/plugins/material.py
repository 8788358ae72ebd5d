"""Constant-time `page in blog.posts` for Material's blog plugin.

Material's blog asks `page in self.blog.posts` in two handlers for every page
it renders. On a list that is a scan calling `Page.__eq__` for each post:
1.67 million calls in a 1000-post build, growing with the square of the post
count. The posts are the very Page objects MkDocs renders, so membership by
identity gives the same answers in constant time.

Touches one attribute of Material's plugin and does nothing when that is not
what it expects, so a change upstream can only lose the speed-up.
"""

from __future__ import annotations


class PostList(list):
    """A list whose `in` checks identity through a set (kept in step on append)."""

    def __init__(self, items=()):
        super().__init__(items)
        self._ids = {id(item) for item in self}

    def __contains__(self, item) -> bool:
        return id(item) in self._ids

    def append(self, item) -> None:
        super().append(item)
        self._ids.add(id(item))


def speed_up(plugins) -> int:
    """Wrap the post list of every Material blog instance; return how many were wrapped."""
    wrapped = 0
    for plugin in plugins.values():
        view = getattr(plugin, "blog", None)
        posts = getattr(view, "posts", None)
        if type(posts) is list:  # noqa: E721 - exactly a list, nothing of ours or theirs
            view.posts = PostList(posts)
            wrapped += 1
    return wrapped
