"""Workarounds for Material's blog at scale, each a no-op when upstream changes shape.

- Constant-time `page in blog.posts` (PostList, speed_up).
- Each post's excerpt converted once, relinked per listing page (render_excerpts_once).
- Post front matter through libyaml (fast_front_matter).
- Templates not re-checked on disk within one build (templates_fixed_per_build).
- Excerpt Markdown converters built on first use (lazy_excerpt_markdown).

Constant-time `page in blog.posts`:

Material's blog asks `page in self.blog.posts` in two handlers for every page
it renders. On a list that is a scan calling `Page.__eq__` for each post:
1.67 million calls in a 1000-post build, growing with the square of the post
count. The posts are the very Page objects MkDocs renders, so membership by
identity gives the same answers in constant time.

Touches one attribute of Material's plugin and does nothing when that is not
what it expects, so a change upstream can only lose the speed-up.
"""

from __future__ import annotations

from ..content.loader import Layout

import copy
import re
from urllib.parse import urlsplit, urlunsplit

import yaml
from mkdocs.structure.toc import get_toc
from mkdocs.utils import get_relative_url


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


# -----------------------------------------------------------------------------
# Each post's excerpt converted once, not once per listing page.
#
# Material's blog converts a post's whole Markdown again for every listing page
# showing its excerpt (`_render_post` -> `Excerpt.render`), because its links
# are relative to that page: 2000 extra conversions at 1000 posts, a fifth of
# the build. The links are the only part that depends on the listing page, and
# only two tree processors write them: MkDocs' `relpath` (links to files) and
# the blog's `excerpt` (the post's own anchors). So the excerpt is converted
# once with those two writing a marker holding the target's site URL instead
# of a relative link, and each listing page gets the template with every
# marker replaced by `get_relative_url(target, page.url)`: what the two
# processors would have written. Anything unexpected (the processors missing,
# a link that does not decode, a post that contains the marker characters)
# leaves that excerpt on Material's own render.

_OPEN, _CLOSE = "\ue000", "\ue001"  # Unicode private use: never written by Markdown or MkDocs
_MARKED = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
# A directory URL no site has: a link relative to it is "../" + the target's URL.
_BASE_URL = "winwin-excerpt-base\ue002/"


class _CannotMark(Exception):
    """A link the marker scheme cannot represent exactly: render this excerpt as Material does."""


def _target_of(relative: str) -> str:
    """The site URL whose link from _BASE_URL is `relative` (exact, or _CannotMark)."""
    if relative == "..":
        target = ""
    elif relative.startswith("../"):
        target = relative[3:] or "./"
    else:
        raise _CannotMark(relative)
    if get_relative_url(target, _BASE_URL) != relative:
        raise _CannotMark(relative)
    return target


def _mark(relative: str) -> str:
    """A link written relative to _BASE_URL, as a marker (fragment and query kept as they are)."""
    _, _, path, query, fragment = urlsplit(relative)
    return urlunsplit(("", "", _OPEN + _target_of(path) + _CLOSE, query, fragment))


class _Base:
    """Stands in for the listing page while the template is rendered: only its URL is read."""

    url = _BASE_URL


class ExcerptOnce:
    """Replaces one excerpt's `render(page, separator)`: convert once, relink per page."""

    def __init__(self, excerpt, relpath, anchors) -> None:
        self.excerpt, self.relpath, self.anchors = excerpt, relpath, anchors
        self.original = type(excerpt).render.__get__(excerpt)
        self.template: tuple | None = None  # (separator, content, more, toc tokens)
        self.fallback = False

    def __call__(self, page, separator: str):
        excerpt = self.excerpt
        if self.fallback:
            return self.original(page, separator)
        if self.template is None or self.template[0] != separator:
            try:
                self.template = self._convert(separator)
            except _CannotMark:
                self.fallback = True
                return self.original(page, separator)
        _, content, more, tokens = self.template
        excerpt.content = self._relink(content, page.url)
        if more is not None:
            excerpt.more = self._relink(more, page.url)
        excerpt.toc = get_toc(tokens)  # a new TableOfContents; get_toc only reads the tokens
        excerpt.file.url = excerpt.post.url

    @staticmethod
    def _relink(html: str, url: str) -> str:
        return _MARKED.sub(lambda m: get_relative_url(m.group(1), url), html)

    def _convert(self, separator: str) -> tuple:
        excerpt, relpath, anchors = self.excerpt, self.relpath, self.anchors
        source = excerpt.post.markdown + excerpt.post.title
        if _OPEN in source or _CLOSE in source:
            raise _CannotMark("marker characters in the post")
        to_url, run = relpath.path_to_url, anchors.run

        def path_to_url(url: str) -> str:
            out = to_url(url)
            # MkDocs returns the very string it was given when it leaves a
            # link alone (external, self-anchor, unresolved), a new one when
            # it made it relative to the page.
            return url if out is url else _mark(out)

        def run_anchors(root):
            own = [el for el in root.iter("a") if (el.get("href") or "").startswith("#")]
            run(root)
            for el in own:
                el.set("href", _mark(el.get("href")))

        relpath.path_to_url, anchors.run = path_to_url, run_anchors
        excerpt.more = None
        try:
            self.original(_Base(), separator)
        finally:
            del relpath.path_to_url, anchors.run  # back to the class's methods
        return separator, excerpt.content, excerpt.more, copy.deepcopy(getattr(excerpt.md, "toc_tokens", []))


def render_excerpts_once(plugins) -> int:
    """Give every post excerpt of every Material blog a convert-once render; return how many."""
    done = 0
    for plugin in plugins.values():
        posts = getattr(getattr(plugin, "blog", None), "posts", None)
        for post in posts if isinstance(posts, list) else ():
            excerpt = getattr(post, "excerpt", None)
            md = getattr(excerpt, "md", None)
            processors = getattr(md, "treeprocessors", None)
            try:
                relpath, anchors = processors["relpath"], processors["excerpt"]
            except (TypeError, KeyError):
                continue
            if not (hasattr(relpath, "path_to_url") and hasattr(anchors, "run") and hasattr(anchors, "base")
                    and hasattr(excerpt, "post") and hasattr(excerpt, "file")
                    and callable(getattr(type(excerpt), "render", None))):
                continue
            if not isinstance(excerpt.__dict__.get("render"), ExcerptOnce):
                excerpt.render = ExcerptOnce(excerpt, relpath, anchors)
            done += 1
    return done


# -----------------------------------------------------------------------------
# Front matter of posts through libyaml.
#
# Material's blog parses every post's front matter with PyYAML's pure-Python
# SafeLoader (a tenth of the build at 1000 posts); the C loader builds the same
# values with the same constructor, about ten times faster. Only the name the
# blog module looks up is swapped, and only while it is PyYAML's SafeLoader.


def fast_front_matter() -> bool:
    """Point Material's blog at yaml.CSafeLoader; True when it now uses it."""
    try:
        from material.plugins.blog import structure
    except ImportError:
        return False
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        return False
    if getattr(structure, "SafeLoader", None) is yaml.SafeLoader:
        structure.SafeLoader = fast
    return getattr(structure, "SafeLoader", None) is fast


# -----------------------------------------------------------------------------
# Templates checked for changes once per build, not on every include.
#
# Jinja's default `auto_reload` stats a template's file each time it is looked
# up: 49,000 look-ups (includes and imports) in a 1000-post build. MkDocs makes
# a new environment for every build, so within one build nothing can change.


def templates_fixed_per_build(env) -> None:
    if getattr(env, "auto_reload", None) is True:
        env.auto_reload = False


# -----------------------------------------------------------------------------
# Excerpt converters built when first used.
#
# Material's blog builds a Markdown converter for every post's excerpt when it
# reads the post (5 ms each with the usual extensions: 1000 of them are a
# tenth of an incremental rebuild), although a rebuild whose excerpts are
# unchanged never converts them. The module's `Markdown` is replaced by a
# stand-in that records the processors the blog registers and builds the real
# converter, with them, on first use.


class _PendingProcessors:
    """The tree processors registered before the converter exists; anything else builds it."""

    def __init__(self, lazy: LazyMarkdown) -> None:
        self._lazy = lazy

    def register(self, item, name: str, priority: float) -> None:
        self._lazy._pending.append((item, name, priority))

    def __getitem__(self, key):
        if isinstance(key, str):
            for item, name, _ in self._lazy._pending:
                if name == key:
                    return item
        return self._lazy.materialize().treeprocessors[key]

    def __getattr__(self, name: str):
        return getattr(self._lazy.materialize().treeprocessors, name)

    def __contains__(self, key) -> bool:
        return key in self._lazy.materialize().treeprocessors

    def __iter__(self):
        return iter(self._lazy.materialize().treeprocessors)

    def __len__(self) -> int:
        return len(self._lazy.materialize().treeprocessors)


class LazyMarkdown:
    """markdown.Markdown(**kwargs), built on first use with the processors registered meanwhile."""

    def __init__(self, **kwargs) -> None:
        self._kwargs = kwargs
        self._pending: list[tuple] = []
        self._real = None
        self.treeprocessors = _PendingProcessors(self)

    def materialize(self):
        if self._real is None:
            import markdown

            real = markdown.Markdown(**self._kwargs)
            for item, name, priority in self._pending:
                real.treeprocessors.register(item, name, priority)
            self._real = real
            self.treeprocessors = real.treeprocessors
        return self._real

    def __getattr__(self, name: str):
        return getattr(self.materialize(), name)


def lazy_excerpt_markdown() -> bool:
    """Have Material's excerpts build their converter on first use; True when they now do."""
    try:
        import markdown
        from material.plugins.blog import structure
    except ImportError:
        return False
    if getattr(structure, "Markdown", None) is markdown.Markdown:
        structure.Markdown = LazyMarkdown
    return getattr(structure, "Markdown", None) is LazyMarkdown


def blog_layout(config, **more) -> Layout:
    """The content Layout with where Material's blog keeps its posts (its blog_dir, post_dir
    and post_url_format settings), or Material's defaults when the site has no blog."""
    blog = config.plugins.get("material/blog")
    if blog is not None:
        more = {"blog_dir": blog.config.blog_dir, "post_dir": blog.config.post_dir,
                "post_url_format": blog.config.post_url_format, **more}
    return Layout(**more)


def blog_posts(plugins) -> list:
    """The posts of Material's blog (drafts it leaves out already gone), or [] when its shape changed."""
    blog = plugins.get("material/blog")
    posts = getattr(getattr(blog, "blog", None), "posts", None)
    return list(posts) if isinstance(posts, list) else []
