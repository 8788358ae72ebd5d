"""The `winwin` MkDocs plugin: validation, guide/blog cross-links and feeds.

Thin glue: the work happens in mkdocs_winwin.content and mkdocs_winwin.feeds,
which know nothing of MkDocs. Feeds are generated files: declared in on_files,
filled in on_env once every post's HTML exists, written by MkDocs itself.
"""

from __future__ import annotations

from itertools import islice

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from ..content import crosslinks
from ..feeds import writer as feeds
from ..content.loader import Layout, Post, Site, load_site
from . import theme
from ..incremental.memo import add_disk_layer
from .material import (blog_layout, excerpt_shortcut, fast_front_matter, lazy_excerpt_markdown, nav_once,
                       remembered_dates, render_excerpts_once, speed_up, templates_fixed_per_build,
                       translations_once)
from .redirects import add_redirects
from .check import config_problems
from .config import SiteConfig

log = get_plugin_logger("winwin." + __name__.rsplit(".", 1)[-1])


def site_layout(config, settings: SiteConfig) -> Layout:
    """Where the content lives and what a post must have, from mkdocs.yml."""
    return blog_layout(config, guide_dir=settings.guide_dir, post_required=tuple(settings.post_required),
                       templates=theme.page_templates(config))


class SitePlugin(BasePlugin[SiteConfig]):
    def __init__(self) -> None:
        self.is_serve = False

    def on_startup(self, *, command, dirty):
        self.is_serve = command == "serve"

    # Validation runs here, before Material's blog (priority 0) reads
    # .authors.yml in its on_config and opens the posts in its on_files, so
    # every problem in every file is reported at once, with its fix, instead
    # of the blog's first one.
    @event_priority(100)
    def on_config(self, config):
        # The plugin lives across `mkdocs serve` rebuilds: reset per-build state.
        self.layout = site_layout(config, self.config)
        fast_front_matter()  # before Material's blog parses the posts in its on_files
        remembered_dates()  # and formats their dates for its archive
        lazy_excerpt_markdown()  # and makes their excerpts in its on_page_markdown
        theme.install(config)
        self.site: Site | None = None
        self.rendered: dict[str, tuple[str, str]] = {}  # post path -> (absolute url, html)
        self.site_url = config.site_url or ""
        self.site_name = config.site_name
        self.site_description = config.site_description or ""
        self.urls: dict[str, str] = {}  # docs-relative source path -> absolute page URL
        # The community heading carries its id as `{ #community-pointers }`.
        if "attr_list" not in config.markdown_extensions:
            config.markdown_extensions.append("attr_list")
        site = load_site(config.docs_dir, self.layout)
        problems = config_problems(config) + list(site.problems)
        for problem in problems:
            if problem.warning:
                log.warning(str(problem))
        errors = [p for p in problems if not p.warning]
        if errors:
            listing = "\n".join(f"  - {p}" for p in errors)
            raise PluginError(f"{len(errors)} problem(s) in the content of {config.docs_dir}:\n{listing}")
        self.site = site
        if self.config.build_cache and not self.is_serve:
            # The work of the previous build (.cache/winwin/) reused where its inputs are
            # unchanged; `winwin serve` keeps its own in memory (incremental.session).
            add_disk_layer(config)
        self.chapters = {c.path: c for c in site.chapters}
        self.posts = {p.path: p for p in site.posts}
        self.feed_links = self._feed_links(site)
        self.feed_files: dict[str, File] = {}
        self.heads: dict[str, str] = {}  # page src or template name -> <head> tags to insert
        self.env = None

    # After Material's blog (-50) has resolved its posts in its own on_files.
    @event_priority(-60)
    def on_files(self, files, *, config):
        speed_up(config.plugins)
        # Old addresses (front matter `aliases:`, e.g. of imported posts) -> redirect pages.
        add_redirects(files, config, self.site.front_matter() if self.site else {})
        if self.site_url and self.site is not None:
            for group in self._groups():
                for path in self._feed_paths(group[0]):
                    self.feed_files[path] = file = File.generated(config, path, content=b"")
                    files.append(file)
        return files

    # Every page's HTML exists now (MkDocs renders Markdown before on_env) and
    # no file is written yet: fill in the feeds MkDocs will write. After
    # Material's blog (0), which wraps the `url` filter nav_once records.
    @event_priority(-90)
    def on_env(self, env, *, config, files):
        self.env = env
        render_excerpts_once(config.plugins, excerpt_shortcut(config))
        templates_fixed_per_build(env)
        nav_once(env)  # both wrap the environment's template look-up for this build
        translations_once(env)
        for path, data in (self._feed_files() if self.feed_files else {}).items():
            self.feed_files[path].content_bytes = data
        return env

    def on_page_markdown(self, markdown, *, page, config, files):
        if page.file.src_uri in self.chapters:
            return markdown + crosslinks.community_heading(self.config.community_heading)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if page.canonical_url:
            self.urls[page.file.src_uri] = page.canonical_url

        def href(path: str) -> str | None:
            # Only pages this build writes: Material's blog marks the posts it
            # leaves out (drafts outside `serve`, future dates if so set) excluded.
            file = files.get_file_from_path(path)
            if file is None:
                return None
            written = file.inclusion.is_in_serve() if self.is_serve else file.inclusion.is_included()
            return get_relative_url(file.url, page.url) if written else None

        chapter = self.chapters.get(page.file.src_uri)
        if chapter:
            listing = crosslinks.community_list(
                self.site.posts_for(chapter.theme, drafts=True), self.site.authors, href,
                contribute_page=self.config.contribute_page,
            )
            html = html.replace(crosslinks.COMMUNITY_MARK, listing, 1)
        post = self.posts.get(page.file.src_uri)
        if post:
            html += crosslinks.guide_links(post, self.site.themes, href)
        if post and not post.draft and page.canonical_url:
            self.rendered[post.path] = (page.canonical_url, html)
        return html

    def on_page_context(self, context, *, page, config, nav):
        links = list(self.feed_links.get("", []))
        chapter = self.chapters.get(page.file.src_uri)
        if chapter:
            links += self.feed_links.get(chapter.theme, [])
        self.heads[page.file.src_uri] = theme.feeds_head(self.env, links, context)
        return context

    def on_template_context(self, context, *, template_name, config):
        # Theme templates without a page (404.html) announce the blog's feeds too.
        self.heads[template_name] = theme.feeds_head(self.env, self.feed_links.get("", []), context)
        return context

    def on_post_page(self, output, *, page, config):
        return theme.into_head(output, self.heads.pop(page.file.src_uri, ""))

    def on_post_template(self, output_content, *, template_name, config):
        return theme.into_head(output_content, self.heads.pop(template_name, ""))

    # -------------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return self.site_url.rstrip("/") + "/" + path

    @staticmethod
    def _feed_paths(theme: str) -> tuple[str, str]:
        # At the site root on purpose: Material's JavaScript fetches
        # "sitemap.xml" next to every <link rel="alternate"> it finds, and the
        # only sitemap is at the root.
        suffix = f"-{theme}" if theme else ""
        return f"rss{suffix}.xml", f"atom{suffix}.xml"

    def _feed_links(self, site: Site) -> dict[str, list[dict[str, str]]]:
        """Per theme ('' for the whole blog): the <link rel=alternate> data for page heads."""
        if not self.site_url:
            return {}
        out = {}
        for theme, label in [("", "all posts"), *((c.theme, c.title) for c in site.chapters)]:
            rss_path, atom_path = self._feed_paths(theme)
            out[theme] = [
                {"type": "application/rss+xml", "title": f"RSS: {label}", "path": rss_path},
                {"type": "application/atom+xml", "title": f"Atom: {label}", "path": atom_path},
            ]
        return out

    def _item(self, post: Post) -> feeds.FeedItem | None:
        if post.path not in self.rendered:
            return None
        url, html = self.rendered[post.path]
        return feeds.FeedItem(
            title=post.title, url=url, date=post.date,
            authors=tuple(self.site.authors[a].name for a in post.authors),
            categories=post.themes, summary=post.description,
            content_html=feeds.absolutize(html, url),
        )

    def _feed_files(self) -> dict[str, bytes]:
        site = self.site
        limit = self.config.feeds_max_items or None
        # Only the newest `limit` posts of each feed are made into items: with
        # 1000 posts, absolutizing every post's HTML would be most of our cost.
        items: dict[str, feeds.FeedItem | None] = {}

        def item(post: Post) -> feeds.FeedItem | None:
            if post.path not in items:
                items[post.path] = self._item(post)
            return items[post.path]
        out = {}
        for theme_id, title, description, home, posts in self._groups():
            rss_path, atom_path = self._feed_paths(theme_id)
            chosen = list(islice(filter(None, map(item, posts)), limit))
            spec = feeds.FeedSpec(
                title=title, description=description, home_url=home,
                rss_url=self._url(rss_path), atom_url=self._url(atom_path), items=tuple(chosen),
            )
            out[rss_path] = feeds.rss(spec)
            out[atom_path] = feeds.atom(spec)
        return out

    def _groups(self) -> list[tuple[str, str, str, str, list[Post]]]:
        """(theme id, feed title, description, home page URL, posts) of every feed; '' is all posts."""
        site, name = self.site, self.site_name
        blog_url = self.urls.get(f"{self.layout.blog_dir}/index.md", self.site_url)
        title = self.config.feeds_title or name
        description = self.config.feeds_description or self.site_description or f"New posts on {name}."
        groups = [("", title, description, blog_url, site.published())]
        for c in site.chapters:
            groups.append((c.theme, f"{c.title} | {name}", c.description,
                           self.urls.get(c.path, self.site_url), site.posts_for(c.theme)))
        return groups
