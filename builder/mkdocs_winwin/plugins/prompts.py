"""The `winwin-prompts` MkDocs plugin: "Your turn" sections, share rows and link previews.

Thin glue: prompts.section decides what a page's section holds, prompts.share
builds the share links, prompts.meta the preview tags. It works on any Material
blog on its own: a post is a page in the blog's posts folder, its title and
description are Material's (front matter, first heading, excerpt), authors
come from the blog's .authors.yml. The section is appended to the page's
content (so a blog's own `partials/comments.html` still renders under it);
preview tags are inserted into <head> after rendering.

Without `site_url` nothing crashes: share links and og:image fall back to
page-relative URLs and og:url is left out.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from ..content.loader import as_datetime, excerpt_text, load_authors
from ..prompts import meta, share
from ..prompts import section as prompts
from . import comments, theme
from .config import PromptsConfig
from .material import blog_layout

log = get_plugin_logger("winwin." + __name__.rsplit(".", 1)[-1])

ISSO_URL_ENV = "WINWIN_ISSO_URL"
"""Set by `winwin serve --comments` to point the preview at its local Isso."""


class PromptsPlugin(BasePlugin[PromptsConfig]):
    def on_config(self, config):
        # Lives across `mkdocs serve` rebuilds: everything per build is set here.
        self.where = where = os.path.basename(config.config_file_path or "mkdocs.yml")
        try:
            self.settings = prompts.settings_from(self.config, os.environ.get(ISSO_URL_ENV))
        except prompts.ChannelConfigError as exc:
            raise PluginError(f"{where}: {exc}") from None
        theme.install(config)
        comments.install(config)
        self.comments = comments.Comments(
            moderation=self.config.comments_moderation, feed=self.config.comments_feed,
            site_url=config.site_url or "", site_name=config.site_name, log=log)
        self.site_url = config.site_url or ""
        layout = blog_layout(config)
        self.posts_prefix = layout.posts_dir + "/"
        self.authors = load_authors(Path(config.docs_dir), layout, [])
        self.files = None
        self.env = None
        self.heads: dict[str, str] = {}
        return config

    # Theme files (a default preview image in the theme) are in `files` by now.
    @event_priority(50)
    def on_files(self, files, *, config):
        # Before Material's blog (-50) sorts the posts folder: conversation files are read, not published.
        files = self.comments.take_files(files, config)
        self.files = files
        image = self.config.og_image
        if image and not meta.is_absolute(image) and files.get_file_from_path(image.lstrip("/")) is None:
            log.warning(meta.missing_og_image(self.where, image))
        return files

    def on_env(self, env, *, config, files):
        self.env = env
        self.comments.leave_out_closed(files)  # front matter is read by now
        env.globals["winwin_comment_counts"] = self.comments.counts()  # blog index and post header
        self.comments.fill_feed(files)
        return env

    def on_page_context(self, context, *, page, config, nav):
        src = page.file.src_uri
        fm = page.meta or {}
        kind = "post" if src.startswith(self.posts_prefix) else "chapter" if fm.get("theme") else "page"
        title = fm.get("title") if isinstance(fm.get("title"), str) else None
        title = title or page.title or config.site_name
        description = fm.get("description") if isinstance(fm.get("description"), str) else ""
        if not description and kind == "post":
            description = excerpt_text(page.markdown or "")
        description = description or config.site_description or ""
        url = page.canonical_url or ""  # absolute, or "" without site_url
        ids = fm.get("authors") if kind == "post" and isinstance(fm.get("authors"), list) else []
        authors = [self.authors[a] for a in ids if isinstance(a, str) and a in self.authors]

        turn = prompts.your_turn(
            self.settings, kind=kind, title=title, meta=fm, author_emails=tuple(a.email for a in authors))
        # "./" is the page itself: the script resolves it for copy and native share.
        links = share.share_links(
            url or "./", title, description, networks=self.config.share_networks,
            mastodon_instance=self.config.mastodon_instance,
        ) if kind != "page" else ()
        section = {**context, "winwin_turn": turn, "winwin_share": links,
                   "winwin_share_label": f"Share this {kind}",
                   "winwin_comments_html": self.comments.html(page, self.env, live_isso=bool(turn and turn.isso))
                   if turn else ""}
        if turn or links:
            page.content = (page.content or "") + theme.render(self.env, "partials/winwin/turn.html", section)

        image = self._image(fm.get("image"), src, config) or self.config.og_image or ""
        tags = fm.get("tags") if kind == "post" and isinstance(fm.get("tags"), list) else []
        context["winwin_meta"] = meta.page_meta(
            site_name=config.site_name, title=title, description=description, url=url,
            image=meta.resolve(image, site_url=self.site_url, page_url=page.url) if image else "",
            published=_date(fm.get("date")) if kind == "post" else None,
            authors=tuple(a.name for a in authors),
            tags=tuple(t for t in tags if isinstance(t, str)),
            twitter_site=self.config.twitter_site or "",
        )
        self.heads[src] = theme.render(self.env, "partials/winwin/meta-head.html", context)
        feed = self.comments.head_link(page)
        if feed:
            self.heads[src] += theme.feeds_head(self.env, [feed], context)
        return context

    def on_post_build(self, *, config):
        self.comments.finish()

    def on_post_page(self, output, *, page, config):
        return theme.into_head(output, self.heads.pop(page.file.src_uri, ""))

    def _image(self, image, src: str, config) -> str:
        """A page's own `image:`, checked: a file in the docs folder or an http(s) URL."""
        if not image or not isinstance(image, str):
            return ""
        if meta.is_absolute(image):
            return image
        path = image.lstrip("/")
        if self.files is not None and self.files.get_file_from_path(path) is None:
            docs = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
            log.warning(meta.missing_page_image(docs, src, image))
            return ""
        return path


def _date(value):
    """A front-matter date as an aware datetime, or None when it is not one."""
    try:
        return as_datetime(value) if value else None
    except (KeyError, TypeError, ValueError):
        return None
