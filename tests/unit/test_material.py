"""The constant-time post membership we give Material's blog answers like a list."""

from types import SimpleNamespace

from mkdocs_winwin.plugins.material import PostList, speed_up


class Page:
    """Stands in for mkdocs' Page: equal by title, like the real one."""

    def __init__(self, title):
        self.title = title

    def __eq__(self, other):
        return isinstance(other, Page) and other.title == self.title


def test_membership_is_by_identity_and_follows_appends():
    a, b, c = Page("a"), Page("b"), Page("c")
    posts = PostList([a, b])
    assert a in posts and b in posts
    assert c not in posts
    posts.append(c)
    assert c in posts
    assert list(posts) == [a, b, c]
    assert posts[0] is a


def test_speed_up_wraps_only_plain_lists():
    blog = SimpleNamespace(blog=SimpleNamespace(posts=[Page("a")]))
    other = SimpleNamespace(blog=SimpleNamespace(posts=("not", "a", "list")))
    assert speed_up({"material/blog": blog, "x": other, "y": object()}) == 1
    assert isinstance(blog.blog.posts, PostList)
    assert other.blog.posts == ("not", "a", "list")


def test_shipped_blog_uses_the_fast_list(shipped_source):
    """A real build: Material's blog ends up holding our list, and the build still passes."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(shipped_source / "mkdocs.yml"), site_dir=str(shipped_source / "speedup-site"))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        try:
            config.plugins.on_shutdown()
        except FileNotFoundError:
            pass
    posts = config.plugins["material/blog"].blog.posts
    assert isinstance(posts, PostList) and len(posts) >= 6
