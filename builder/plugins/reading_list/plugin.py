"""The `winwin-reading-list` MkDocs plugin: the reading list page, the home page's
latest picks and the picks feeds.

Thin glue: it reads the article store (after refreshing the local-file sources,
which needs no network), then builder.curation decides, builder.picks reads the
curator's file and builder.reading_list shapes the page model. Nothing from a
feed reaches the page as markup: items are rendered by the theme's templates
with autoescape on, after Markdown has run, so Markdown never sees feed text.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File

from ... import curation, feeds, reading_list
from ...picks import Picks, read_picks
from ...share import share_links
from ...sources import PLUGIN_NAME, SourceError, load_sources
from ...store import open_store
from .config import ReadingListConfig

log = get_plugin_logger(__name__)

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


def build_time() -> dt.datetime:
    """'Now' for curation: SOURCE_DATE_EPOCH when set, so a rebuild gives the same list."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def curation_rules(config: ReadingListConfig, sources, picks: Picks) -> curation.Rules:
    """The curation rules from the plugin settings, the sources and picks.yml."""
    return curation.Rules(
        include=tuple(config.include_keywords),
        exclude=tuple(config.exclude_keywords),
        max_age_days=config.max_age_days or None,
        per_source=config.per_source_max or None,
        source_caps={s.id: s.max_items for s in sources if s.max_items},
        total=config.max_items or None,
        weights={s.id: s.weight for s in sources},
        half_life_days=config.half_life_days,
        keyword_weight=config.keyword_weight,
        pinned=frozenset(picks.pinned()),
        hidden=picks.hidden_urls,
        hidden_patterns=picks.hidden_patterns,
    )


def load_picks(docs_dir: str | Path, picks_file: str) -> tuple[Picks, list[str]]:
    """picks.yml and its warnings; ValueError listing every error when it has any."""
    where = posixpath.join(Path(docs_dir).name, picks_file)
    picks, problems = read_picks(Path(docs_dir) / picks_file, where)
    errors = [f"  - {p}" for p in problems if not p.warning]
    if errors:
        raise ValueError(f"{len(errors)} problem(s) in {where}:\n" + "\n".join(errors))
    return picks, [str(p) for p in problems if p.warning]


def stored_articles(sources, cache_dir: Path) -> tuple[list, list[str]]:
    """The stored articles of `sources`, after re-reading the local-file ones; and warnings."""
    from ...fetch import refresh_local

    warnings = []
    with open_store(cache_dir) as store:
        for result in refresh_local([s for s in sources if s.is_local], store):
            where = f"reading list source '{result.source.name}' ({result.source.url})"
            warnings += [f"{where}: {w}" for w in result.warnings]
            if result.problem:
                fix = f" Fix: {result.advice}" if result.advice else ""
                warnings.append(f"{where}: {result.problem}; its last good articles are kept.{fix}")
        return store.articles([s.id for s in sources]), warnings


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
        return config

    # After the `winwin` plugin's on_files (100), whose guide chapters name the
    # groups, and before Material's blog plugin (-50) walks the files.
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
        articles, more = stored_articles(self.sources, self.config_dir / self.config.cache_dir)
        for warning in warnings + more:
            log.warning(warning)
        rules = curation_rules(self.config, self.sources, picks)
        decisions = curation.curate(articles, rules, build_time())
        self.model = self._model(decisions, picks, config)
        if not files.get_file_from_path(self.config.page):
            files.append(File.generated(config, self.config.page, content=DEFAULT_PAGE))
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

    # After the `winwin` plugin's on_page_context, which sets context["winwin_feeds"].
    @event_priority(-10)
    def on_page_context(self, context, *, page, config, nav):
        if self.site_url and self.model is not None:
            context["winwin_feeds"] = [*context.get("winwin_feeds", []),
                {"type": "application/rss+xml", "title": "RSS: reading list picks", "path": RSS_PATH},
                {"type": "application/atom+xml", "title": "Atom: reading list picks", "path": ATOM_PATH},
            ]
        return context

    def on_post_build(self, *, config):
        if not self.site_url or self.model is None:
            return
        spec = self._feed_spec(config)
        Path(config.site_dir, RSS_PATH).write_bytes(feeds.rss(spec))
        Path(config.site_dir, ATOM_PATH).write_bytes(feeds.atom(spec))

    # -------------------------------------------------------------------------

    def _model(self, decisions, picks: Picks, config) -> reading_list.ReadingList:
        site = config.plugins.get("winwin")
        chapters = site.site.chapters if site is not None and getattr(site, "site", None) else ()
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
            used = {f"mkdocs.yml: reading list source '{s.name}'": s.theme for s in self.sources if s.theme}
            used |= {f"{self.config.picks_file}: {p.url}": p.theme for p in (*picks.pins, *picks.manual)}
            warnings += reading_list.theme_typos(used, self.chapters)
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
        return self.env.get_template(template).render(**context)

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


def _md_text(text: str) -> str:
    """Text safe inside a Markdown heading or link label: no markup, no brackets."""
    return "".join(f"&#{ord(c)};" if c in "<>&[]*_`\\#" else c for c in " ".join(text.split()))
