"""Glue between MkDocs and mkdocs_winwin.comments, used by the winwin-prompts plugin.

Keeps the MkDocs side of comments in one place: take `*.comments.yml` and the
moderation file out of the published files (and read them), hand each page
its view for the "Your turn" section, the reply counts to the blog index and
post templates, and write the Atom feed of the latest comments. Everything it
decides comes from plain functions in mkdocs_winwin.comments.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from ..comments.feed import FEED_PATH, PageInfo, comments_feed
from ..comments.files import BuildCache, read_all
from ..comments.model import SUFFIX, Conversation
from ..comments.moderate import moderate
from ..comments.render import TEMPLATE, TEMPLATES, page_view, replies_label


def install(config) -> None:
    """The comments template on the theme's search path, after the site's custom_dir and winwin's theme."""
    dirs = config.theme.dirs
    if str(TEMPLATES) not in dirs:
        dirs.insert(min(len(dirs), 2 if config.theme.custom_dir else 1), str(TEMPLATES))


class Comments:
    """The comments of one build: read once in on_files, asked per page."""

    def __init__(self, *, moderation: str, feed: bool, site_url: str, site_name: str, log):
        self.moderation, self.feed, self.site_url, self.site_name, self.log = moderation, feed, site_url, site_name, log
        self.shown: dict[str, Conversation] = {}
        self.feed_file: File | None = None
        self.cache = BuildCache(None)
        self.template_digest: str | None = None

    def take_files(self, files, config):
        """Read every conversation file and remove them (and the moderation file) from the site's files."""
        ours = [f for f in files if f.src_uri.endswith(SUFFIX)]
        if ours or files.get_file_from_path(self.moderation) is not None:
            # One new list: Files.remove() is a list scan with File.__eq__, quadratic at 1000 posts.
            files = Files([f for f in files if not f.src_uri.endswith(SUFFIX) and f.src_uri != self.moderation])
        folder = Path(config.config_file_path or "mkdocs.yml").resolve().parent / ".cache" / "winwin"
        self.cache = BuildCache(folder / "comments.pickle" if ours else None)
        loaded = read_all(config.docs_dir, moderation=self.moderation, files=[f.src_uri for f in ours],
                          now=dt.datetime.now(dt.timezone.utc), cache=self.cache)
        for problem in loaded.warnings:
            self.log.warning(str(problem))
        if loaded.errors:
            listing = "\n".join(f"  - {p}" for p in loaded.errors)
            raise PluginError(f"{len(loaded.errors)} problem(s) in the comments of {config.docs_dir}:\n{listing}")
        self.shown = {page: moderate(conv, loaded.rules)[0] for page, conv in loaded.conversations.items()}
        if self.feed and self.site_url and any(c.comments for c in self.shown.values()):
            self.feed_file = File.generated(config, FEED_PATH, content=b"")
            files.append(self.feed_file)
        return files

    def leave_out_closed(self, files) -> None:
        """Pages whose front matter says `comments: false` show no comments, count or feed entry."""
        for page in list(self.shown):
            file = files.get_file_from_path(page)
            if file is not None and file.page is not None and (file.page.meta or {}).get("comments") is False:
                del self.shown[page]

    def counts(self) -> dict[str, str]:
        """{page source: "3 replies"} for the blog index and the post header."""
        return {page: replies_label(len(c.comments)) for page, c in self.shown.items() if c.comments}

    def html(self, page, env, *, live_isso: bool) -> Markup:
        """The page's comments as the theme's partials/winwin/comments.html renders them ("" without any).

        Rendered here, not included by turn.html, so that the fragment is made
        once per conversation and kept between builds (by the template's
        source: a site's own override counts), and the section's context
        carries one string instead of a view to digest.
        """
        conversation = self.shown.get(page.file.src_uri)
        if conversation is None:
            return Markup("")
        if self.template_digest is None:
            source = env.loader.get_source(env, TEMPLATE)[0]
            self.template_digest = hashlib.sha1(source.encode("utf-8")).hexdigest()

        def make() -> str:
            view = page_view(conversation, live_isso=live_isso)
            return env.get_template(TEMPLATE).render(winwin_comments=view) if view else ""

        return Markup(self.cache.html(conversation, live_isso, self.template_digest, make))

    def finish(self) -> None:
        """Keep this build's conversations and fragments for the next build (on_post_build)."""
        self.cache.save()

    def head_link(self, page) -> dict[str, str] | None:
        """The feed's <link rel="alternate"> data for pages that have comments."""
        conversation = self.shown.get(page.file.src_uri)
        if self.feed_file is None or conversation is None or not conversation.comments:
            return None
        return {"type": "application/atom+xml", "title": f"Atom: comments on {self.site_name}", "path": FEED_PATH}

    def fill_feed(self, files) -> None:
        """The feed's content, once every page has its title (on_env): built pages only, drafts left out."""
        if self.feed_file is None:
            return
        if not any(c.comments for c in self.shown.values()):  # every conversation was closed
            files.remove(self.feed_file)
            self.feed_file = None
            return
        pages = {}
        for page in self.shown:
            file = files.get_file_from_path(page)
            if file is not None and file.inclusion.is_included() and file.page is not None:
                pages[page] = PageInfo(file.page.title or page, self.site_url.rstrip("/") + "/" + file.url)
        self.feed_file.content_bytes = comments_feed(
            self.shown.values(), pages, site_name=self.site_name, site_url=self.site_url)
