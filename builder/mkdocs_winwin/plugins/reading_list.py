"""The `winwin-reading-list` MkDocs plugin: the reading list page, the home page's
latest picks and the picks feeds.

Thin glue: it reads the local-file sources and the article store (read-only:
a build never writes it), then reading_list.curation decides, reading_list.picks reads the
curator's file and reading_list.page shapes the page model. Nothing from a
feed reaches the page as markup: items are rendered by the theme's templates
with autoescape on, after Markdown has run, so Markdown never sees feed text.
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File

from ..content.crosslinks import markdown_text as _md_text
from ..content.loader import Layout, load_chapters
from ..errors import WinwinError
from ..feeds import writer as feeds
from ..reading_list import curation
from ..reading_list import page as reading_list
from ..reading_list.picks import Picks
from ..prompts.share import share_links
from ..reading_list.sources import PLUGIN_NAME, SourceError, load_sources
from ..reading_list.assemble import build_time, curation_rules, load_picks, stored_articles
from . import theme
from .config import ReadingListConfig

log = get_plugin_logger("winwin." + __name__.rsplit(".", 1)[-1])

PAGE_MARKER = "<!-- winwin:reading-list -->"
HOME_MARKER = "<!-- winwin:latest-picks -->"
# Placeholders that survive Markdown untouched (HTML comments pass through as they are).
_GROUP_SLOT = "<!-- winwin:reading-list-group:{} -->"
_EMPTY_SLOT = "<!-- winwin:reading-list-empty -->"
_LATEST_SLOT = "<!-- winwin:latest-picks-list -->"
# At the site root on purpose: Material's JavaScript fetches "sitemap.xml" next
# to every <link rel="alternate">, and the only sitemap is at the root.
RSS_PATH, ATOM_PATH = "rss-picks.xml", "atom-picks.xml"

DEFAULT_PAGE = f"""---
title: Reading list
description: Articles worth passing on, each with a note on who it helps.
---

# Reading list

Articles worth passing on: give one to someone it will help.

{PAGE_MARKER}
"""


class ReadingListPlugin(BasePlugin[ReadingListConfig]):
    def on_config(self, config):
        # Per-build state, set afresh for every build (and every `mkdocs serve` rebuild).
        self.model: reading_list.ReadingList | None = None
        self.env = None
        self.site_url = config.site_url or ""
        self.config_dir = Path(config.config_file_path or ".").resolve().parent
        try:
            self.sources = load_sources(self.config.sources, self.config_dir)
        except SourceError as exc:
            where = os.path.basename(config.config_file_path or "mkdocs.yml")
            raise PluginError(f"{where}, plugin '{PLUGIN_NAME}': {exc}") from None
        self.page_url = ""
        self.page_env = None
        self.heads: dict[str, str] = {}
        self.feed_files = {}
        self.feed_links = [
            {"type": "application/rss+xml", "title": "RSS: reading list picks", "path": RSS_PATH},
            {"type": "application/atom+xml", "title": "Atom: reading list picks", "path": ATOM_PATH},
        ] if self.site_url else []
        site = config.plugins.get("winwin")
        guide_dir = site.config.guide_dir if site is not None else "guide"
        self.chapters_found = load_chapters(Path(config.docs_dir), Layout(guide_dir=guide_dir), [])
        theme.install(config)
        return config

    # Before Material's blog plugin (-50) walks the files.
    @event_priority(90)
    def on_files(self, files, *, config):
        docs = Path(config.docs_dir)
        # Inputs, not pages: the curator's file and local feeds stay out of the site.
        local = {s.path for s in self.sources if s.is_local}
        for file in list(files):
            if file.src_uri == self.config.picks_file or (
                    local and file.abs_src_path and Path(file.abs_src_path).resolve() in local):
                files.remove(file)
        try:
            picks, warnings = load_picks(docs, self.config.picks_file)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
        try:
            articles, more = stored_articles(self.sources, self.config_dir / self.config.cache_dir)
        except WinwinError as exc:  # the store stayed locked by another process
            raise PluginError(str(exc)) from None
        for warning in warnings + more:
            log.warning(warning)
        rules = curation_rules(self.config, self.sources, picks)
        decisions = curation.curate(articles, rules, build_time())
        self.model = self._model(decisions, picks, config)
        if not files.get_file_from_path(self.config.page):
            files.append(File.generated(config, self.config.page, content=DEFAULT_PAGE))
        if self.site_url:
            for path in (RSS_PATH, ATOM_PATH):
                self.feed_files[path] = File.generated(config, path, content=b"")
                files.append(self.feed_files[path])
        return files

    def on_page_markdown(self, markdown, *, page, config, files):
        src = page.file.src_uri
        if src == self.config.page:
            return self._page_markdown(markdown)
        if HOME_MARKER in markdown and self.model is not None:
            target = posixpath.relpath(self.config.page, posixpath.dirname(src) or ".")
            more = f"[The whole reading list]({target})" if self.model.items else ""
            return markdown.replace(HOME_MARKER, f"{_LATEST_SLOT}\n\n{more}\n", 1)
        return markdown

    def on_page_content(self, html, *, page, config, files):
        if self.model is None:
            return html
        if page.file.src_uri == self.config.page:
            self.page_url = page.canonical_url or ""
            for index, group in enumerate(self.model.groups):
                html = html.replace(_GROUP_SLOT.format(index), self._render(
                    "partials/winwin/reading-list.html", config, group=group,
                    entries=[self._entry(i) for i in group.items]), 1)
            html = html.replace(_EMPTY_SLOT, self._render("partials/winwin/reading-list-empty.html", config), 1)
        if _LATEST_SLOT in html:
            latest = self.model.newest(self.config.home_picks)
            html = html.replace(_LATEST_SLOT, self._render(
                "partials/winwin/reading-list-latest.html", config, entries=[self._entry(i) for i in latest]), 1)
        return html

    def on_env(self, env, *, config, files):
        self.page_env = env
        if self.feed_files:
            spec = self._feed_spec(config)
            self.feed_files[RSS_PATH].content_bytes = feeds.rss(spec)
            self.feed_files[ATOM_PATH].content_bytes = feeds.atom(spec)
        return env

    def on_page_context(self, context, *, page, config, nav):
        self.heads[page.file.src_uri] = theme.feeds_head(self.page_env, self.feed_links, context)
        return context

    def on_template_context(self, context, *, template_name, config):
        self.heads[template_name] = theme.feeds_head(self.page_env, self.feed_links, context)
        return context

    def on_post_page(self, output, *, page, config):
        return theme.into_head(output, self.heads.pop(page.file.src_uri, ""))

    def on_post_template(self, output_content, *, template_name, config):
        return theme.into_head(output_content, self.heads.pop(template_name, ""))

    # -------------------------------------------------------------------------

    def _model(self, decisions, picks: Picks, config) -> reading_list.ReadingList:
        chapters = self.chapters_found
        if self.config.group_by == "source":
            groups = {s.id: s.name for s in self.sources}
            titles = {s.name: s.name for s in self.sources}
        else:
            groups = {s.id: s.theme or "" for s in self.sources}
            titles = {c.theme: c.title for c in sorted(chapters, key=lambda c: c.order)}
        self.chapters = {c.theme: c.path for c in chapters}
        model, warnings = reading_list.build(
            decisions, picks, source_groups=groups, group_titles=titles,
            summary_length=self.config.summary_length, by_source=self.config.group_by == "source",
        )
        if self.config.group_by == "theme":
            warnings += reading_list.theme_typos(reading_list.themes_used(self.sources, picks, self.config.picks_file),
                                                 self.chapters)
        for warning in warnings:
            log.warning(warning)
        if not model.items:
            log.info("The reading list is empty: no stored articles and no picks. "
                     "Run 'winwin feeds fetch' or add sources under the plugin in mkdocs.yml.")
        return model

    def _page_markdown(self, markdown: str) -> str:
        if self.model is None:
            return markdown
        here = posixpath.dirname(self.config.page) or "."
        parts = []
        for index, group in enumerate(self.model.groups):
            # Group titles come from our own chapters and mkdocs.yml, not from feeds.
            parts.append(f"## {_md_text(group.title)}\n")
            chapter = self.chapters.get(group.key)
            if chapter and self.config.group_by == "theme":
                link = posixpath.relpath(chapter, here)
                parts.append(f"Goes with the guide chapter [{_md_text(group.title)}]({link}).\n")
            parts.append(_GROUP_SLOT.format(index) + "\n")
        body = "\n".join(parts) if parts else _EMPTY_SLOT + "\n"
        if PAGE_MARKER in markdown:
            return markdown.replace(PAGE_MARKER, body, 1)
        return markdown.rstrip() + "\n\n" + body

    def _entry(self, item: reading_list.Item) -> dict:
        text = item.note or item.summary
        return {"item": item, "share": share_links(item.url, item.title, text)}

    def _render(self, template: str, config, **context) -> str:
        if self.env is None:
            # Our own copy of the theme's environment (custom_dir first), with
            # autoescape on: MkDocs' own has it off. Pages are rendered before
            # on_env, hence not that event.
            self.env = config.theme.get_env()
            self.env.autoescape = True
        return theme.render(self.env, template, context)

    def _feed_spec(self, config) -> feeds.FeedSpec:
        base = self.site_url.rstrip("/") + "/"
        page_url = self.page_url or base
        limit = self.config.max_items or None
        items = tuple(
            feeds.FeedItem(
                title=i.title, url=i.url, date=i.sort_date, authors=(i.source,),
                categories=(i.group,) if i.group else (),
                summary=" ".join(x for x in (i.note, i.summary) if x),
            )
            for i in self.model.newest(len(self.model.items))[:limit]
        )
        return feeds.FeedSpec(
            title=f"Reading list picks | {config.site_name}",
            description="Articles worth passing on, each with a note on who it helps.",
            home_url=page_url, rss_url=base + RSS_PATH, atom_url=base + ATOM_PATH, items=items,
        )

