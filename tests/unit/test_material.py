"""The constant-time post membership we give Material's blog answers like a list."""

from types import SimpleNamespace

import pytest

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
    # An equal page that is another object is not a member: a plain list would say it is.
    assert Page("a") == a and Page("a") in [a, b] and Page("a") not in posts
    posts.append(c)
    assert c in posts
    assert list(posts) == [a, b, c]
    assert posts[0] is a


def test_index_is_by_identity_and_every_change_keeps_it_right():
    a, b, c, d = Page("a"), Page("b"), Page("c"), Page("d")
    posts = PostList([a, b, c])
    assert posts.index(c) == 2 and posts.index(Page("b")) == 1  # an equal page: found as a list does
    posts.insert(0, d)
    assert posts.index(a) == 1 and d in posts
    posts.remove(b)
    assert b not in posts and posts.index(c) == 2
    posts.sort(key=lambda p: p.title)
    assert [p.title for p in posts] == ["a", "c", "d"] and posts.index(d) == 2
    posts[0] = b
    assert b in posts and a not in posts
    posts += [a]
    assert posts.index(a) == 3
    del posts[0]
    assert b not in posts and posts.pop() is a and a not in posts
    with pytest.raises(ValueError):
        posts.index(Page("zz"))


def test_speed_up_gives_a_paginated_view_and_its_pages_one_shared_list():
    first, second = SimpleNamespace(pages=None), SimpleNamespace(pages=None)
    pages = [first, second]
    first.pages = second.pages = pages
    archive = SimpleNamespace(views=[], pages=[])
    blog = SimpleNamespace(posts=[], views=[first, archive], pages=[])
    speed_up({"material/blog": SimpleNamespace(blog=blog)})
    assert isinstance(first.pages, PostList) and first.pages is second.pages
    assert second in first.pages and first.pages.index(second) == 1
    assert isinstance(archive.pages, PostList) and isinstance(blog.pages, PostList)


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


# Posts whose excerpts link every way Material and MkDocs write links: to another
# post, a chapter, an image, a heading of their own, with a query and fragment,
# off-site, in raw HTML, and an unresolved one that is left as written.
LINKY_POST = """\
---
title: Post {i}
date: 2026-01-{day:02d}
authors: [ann]
themes: [first]
description: Post {i}.
---
# Post {i}

See [the other](other-{j}.md), [the chapter](../../guide/first.md#first),
![logo](../../assets/logo.svg), [mine](#details), [q](../../guide/second.md?x=1#second),
[off site](https://example.org/a), <a href="raw/relative/">raw</a>, [loose](not-a-page/)
and [home](../../index.md).

<!-- more -->

## Details

More about {i} with a footnote.[^1]

[^1]: The note.
"""


def _linky_site(root):
    from tests.support import MINIMAL_CONFIG, small_site

    config = MINIMAL_CONFIG.replace("  - blog\n", "  - blog:\n      pagination_per_page: 2\n")
    files = {"content/assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    for i in range(7):
        files[f"content/blog/posts/other-{i}.md"] = LINKY_POST.format(i=i, j=(i + 1) % 7, day=i + 1)
    return small_site(root, files, config=config)


def _site_files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_excerpts_converted_once_build_the_same_site(tmp_path, monkeypatch):
    """Every listing page (index, its pages 2-4, archive) is byte for byte what Material writes itself."""
    import markdown
    import yaml
    from material.plugins.blog import structure

    from mkdocs_winwin.plugins import core, material
    from tests.support import build_tree

    root = _linky_site(tmp_path / "src")
    ours = build_tree(root, site_dir=tmp_path / "ours")
    converted = []
    real = material.render_excerpts_once
    monkeypatch.setattr(core, "render_excerpts_once",
                        lambda plugins, shortcut=None: converted.append(real(plugins, shortcut)))
    build_tree(root, site_dir=tmp_path / "ours-again")
    assert converted == [8]  # seven linky posts and hello

    monkeypatch.setattr(core, "render_excerpts_once", lambda plugins, shortcut=None: 0)
    monkeypatch.setattr(core, "fast_front_matter", lambda: False)
    monkeypatch.setattr(core, "lazy_excerpt_markdown", lambda: False)
    monkeypatch.setattr(structure, "SafeLoader", yaml.SafeLoader)
    monkeypatch.setattr(structure, "Markdown", markdown.Markdown)
    theirs = build_tree(root, site_dir=tmp_path / "theirs")

    mine, vanilla = _site_files(ours), _site_files(theirs)
    assert sorted(mine) == sorted(vanilla)
    listing = [p for p in mine if p.startswith("blog/") and "/page/" in p or p == "blog/index.html"]
    assert len(listing) >= 4
    # The excerpts are there, with links relative to their listing page.
    assert b'href="raw/relative/"' in mine["blog/page/2/index.html"]
    assert b'href="../../../guide/first/#first"' in mine["blog/page/2/index.html"]
    different = [p for p in mine if mine[p] != vanilla[p] and not p.endswith((".xml", ".xml.gz", ".json"))]
    assert different == []


def test_excerpt_falls_back_when_a_link_cannot_be_marked():
    from mkdocs_winwin.plugins.material import _CannotMark, _target_of

    assert _target_of("../blog/2026/01/02/hello/") == "blog/2026/01/02/hello/"
    assert _target_of("..") == ""
    assert _target_of("../") == "./"
    with pytest.raises(_CannotMark):
        _target_of("elsewhere/")


def test_excerpt_render_left_alone_without_the_processors():
    from mkdocs_winwin.plugins.material import render_excerpts_once

    excerpt = SimpleNamespace(md=SimpleNamespace(treeprocessors={}), post=None, file=None)
    blog = SimpleNamespace(blog=SimpleNamespace(posts=[SimpleNamespace(excerpt=excerpt)]))
    assert render_excerpts_once({"material/blog": blog, "x": object()}) == 0
    assert "render" not in vars(excerpt)


def test_front_matter_of_posts_parsed_by_libyaml(monkeypatch):
    import yaml
    from material.plugins.blog import structure

    from mkdocs_winwin.plugins.material import RememberedSafeLoader, fast_front_matter

    monkeypatch.setattr(structure, "SafeLoader", yaml.SafeLoader)
    assert fast_front_matter() is True
    assert structure.SafeLoader is RememberedSafeLoader
    text = "title: Q&A\ndate: 2026-01-02 10:00:00\ntags: [a, b]\ndraft: no\n"
    first = yaml.load(text, structure.SafeLoader)
    assert first == yaml.load(text, yaml.SafeLoader)
    # The second time the same text gives equal values, in new objects Material may change.
    first["tags"].append("changed")
    again = yaml.load(text, structure.SafeLoader)
    assert again == yaml.load(text, yaml.SafeLoader) and again is not first
    with pytest.raises(yaml.YAMLError):
        yaml.load("title: [unclosed", structure.SafeLoader)
    # Something else in its place (upstream changed): left alone.
    monkeypatch.setattr(structure, "SafeLoader", dict)
    assert fast_front_matter() is False and structure.SafeLoader is dict


def test_lazy_markdown_converts_like_markdown_with_its_early_processors():
    import markdown
    from markdown.treeprocessors import Treeprocessor

    from mkdocs_winwin.plugins.material import LazyMarkdown

    class Shout(Treeprocessor):
        def run(self, root):
            for el in root.iter("p"):
                el.text = (el.text or "").upper()

    lazy = LazyMarkdown(extensions=["toc"], extension_configs={})
    shout = Shout()
    lazy.treeprocessors.register(shout, "shout", 0)
    assert lazy._real is None and lazy.treeprocessors["shout"] is shout  # nothing built yet
    real = markdown.Markdown(extensions=["toc"])
    real.treeprocessors.register(Shout(), "shout", 0)
    text = "# Title\n\nsome words\n"
    assert lazy.convert(text) == real.convert(text)
    assert lazy.toc_tokens == real.toc_tokens
    assert lazy.treeprocessors.get_index_for_name("shout") == real.treeprocessors.get_index_for_name("shout")


def test_lazy_markdown_installed_only_over_markdown(monkeypatch):
    import markdown
    from material.plugins.blog import structure

    from mkdocs_winwin.plugins.material import LazyMarkdown, lazy_excerpt_markdown

    monkeypatch.setattr(structure, "Markdown", markdown.Markdown)
    assert lazy_excerpt_markdown() is True and structure.Markdown is LazyMarkdown
    monkeypatch.setattr(structure, "Markdown", dict)
    assert lazy_excerpt_markdown() is False and structure.Markdown is dict


def _settings(tmp_path, extensions, template: str | None = None):
    theme = tmp_path / "theme"
    theme.mkdir(exist_ok=True)
    if template is not None:
        (theme / "blog-post.html").write_text(template)
    return SimpleNamespace(markdown_extensions=extensions, mdx_configs={"toc": {"marker": "{{toc}}"}},
                           theme=SimpleNamespace(dirs=[str(theme)]))


def test_excerpt_shortcut_only_with_extensions_known_to_stay_within_blocks(tmp_path):
    from mkdocs_winwin.plugins.material import excerpt_shortcut

    shortcut = excerpt_shortcut(_settings(tmp_path, ["toc", "markdown.extensions.tables", "pymdownx.superfences"]))
    assert shortcut is not None and "{{toc}}" in shortcut.markers
    assert excerpt_shortcut(_settings(tmp_path, ["toc", "my_glossary_extension"])) is None


@pytest.mark.parametrize("template, usable", [
    ("{% if post.more %}<a>Continue reading</a>{% endif %}", True),
    ("{{ post.more }}", False),
    ("{% if post.more | length > 10 %}long{% endif %}", False),
])
def test_excerpt_shortcut_only_when_templates_just_ask_whether_there_is_more(tmp_path, template, usable):
    from mkdocs_winwin.plugins.material import excerpt_shortcut

    assert (excerpt_shortcut(_settings(tmp_path, ["toc"], template)) is not None) is usable


def test_a_post_made_again_is_the_post_as_the_blog_made_it_and_shares_nothing_mutable(tmp_path):
    """MadePost keeps the state Material's Post constructor left, before the blog's later
    steps change it (read time, hidden parts), and each copy is a deep one."""
    from material.plugins.blog.structure import Post
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    from mkdocs_winwin.plugins.material import MadePost

    docs = tmp_path / "docs"
    (docs / "blog" / "posts").mkdir(parents=True)
    (docs / "blog" / "posts" / "p.md").write_text(
        "---\ndate: 2024-01-02\nauthors: [ann]\ncategories: [Tips]\ntags: [coffee]\n---\n\n# P\n\nText.\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nsite_url: https://example.org/\ndocs_dir: docs\n")
    config = load_config(str(tmp_path / "mkdocs.yml"))

    def file():
        return File("blog/posts/p.md", str(docs), str(tmp_path / "site"), True)

    original = Post(file(), config)
    made = MadePost(original, logs=[])
    original.meta["hide"].append("toc")
    original.config.readtime = 5
    original.config.authors.append("bob")
    fresh = Post(file(), config)
    first_file, second_file = file(), file()
    first, second = made.make(first_file), made.make(second_file)

    for twin, its_file in ((first, first_file), (second, second_file)):
        assert type(twin) is Post and twin.file is its_file and its_file.page is twin
        assert (twin.markdown, twin.meta, twin.canonical_url, twin.abs_url) == (
            fresh.markdown, fresh.meta, fresh.canonical_url, fresh.abs_url)
        assert dict(twin.config) == dict(fresh.config)
        assert twin.config.date.created == fresh.config.date.created  # the date's attribute look-up works
        assert (twin.config.readtime, twin.config.authors) == (None, ["ann"])
    first.meta["tags"].append("tea")
    first.config.categories.append("More")
    assert second.meta["tags"] == ["coffee"] and second.config.categories == ["Tips"]


def test_dates_formatted_through_the_cache_are_babels_answers(monkeypatch):
    """The same answer as Babel's for each date, zone, format and language; two zones of one
    instant (equal datetimes) are two answers."""
    import datetime as dt

    import babel.dates
    from material.plugins.blog import plugin

    from mkdocs_winwin.plugins.material import remembered_dates

    monkeypatch.setattr(plugin, "format_date", babel.dates.format_date)
    monkeypatch.setattr(plugin, "format_datetime", babel.dates.format_datetime)
    assert remembered_dates() and remembered_dates()  # installed once, stays
    utc = dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.timezone.utc)
    paris = utc.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert utc == paris
    for date, format, locale in [(utc, "yyyy/MM/dd HH:mm", "en"), (paris, "yyyy/MM/dd HH:mm", "en"),
                                 (utc.date(), "long", "de"), (utc.date(), "long", "fr"), (utc, "MMMM yyyy", "fr")]:
        ours = plugin.format_date if format == "long" else plugin.format_datetime
        theirs = babel.dates.format_date if format == "long" else babel.dates.format_datetime
        assert ours(date, format=format, locale=locale) == theirs(date, format=format, locale=locale)
        assert ours(date, format=format, locale=locale) == theirs(date, format=format, locale=locale)  # cached
    assert plugin.format_datetime(utc, format="HH:mm", locale="en") != plugin.format_datetime(
        paris, format="HH:mm", locale="en")
    # Any other call goes to Babel as made (its own defaults).
    assert plugin.format_date(utc.date()) == babel.dates.format_date(utc.date())
    assert plugin.format_date(utc.date(), "short", locale="de") == babel.dates.format_date(
        utc.date(), "short", locale="de")
