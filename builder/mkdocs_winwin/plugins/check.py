"""What `winwin check` reports: every problem the build would stop at, without building.

The same functions the plugins call in a build, in the same order, over a
loaded MkDocs config (whose own validation already refused bad settings):
mkdocs.yml's values Material prints raw (config_problems, also called by the
core plugin), the content (content.loader.load_site), the "Your turn"
channels, the comments kept beside pages and the moderation file
(comments.files.read_all), the reading list's sources, picks.yml and theme typos, the preview
images the prompts plugin would warn about, and MkDocs' own link warnings.
A problem's text is the one the build prints, so `check` and
`build --strict` agree line for line.

Not checked here: what depends on the article store (a pin no feed lists any
more) and on parsing the local feed files; the build warns about those.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from pathlib import Path

from ..content.loader import Layout, Site, load_site
from ..content.schema import TITLE_MAX, Problem, text_problem
from ..errors import WinwinError
from ..urls import is_http_url, is_safe_link


def config_problems(config) -> list[Problem]:
    """mkdocs.yml's own settings that Material prints raw: `site_url`, `site_name`, `repo_name`."""
    where = os.path.basename(config.config_file_path or "mkdocs.yml")
    problems = []
    for key in ("site_name", "repo_name"):
        value = config.get(key)
        if not isinstance(value, str):
            continue
        if wrong := text_problem(value, plain=True, max_length=TITLE_MAX):
            problems.append(Problem(where, key, wrong, wrong.fix))
        elif '"' in value:
            # Material's header: aria-label="{{ config.site_name }}".
            problems.append(Problem(where, key, "contains '\"', which ends an attribute the theme prints it in",
                                    "use typographic quotes (“ ”) or none"))
    return problems + _site_url_problems(config.site_url or "", where)


def _site_url_problems(url: str, where: str) -> list[Problem]:
    if not url:
        return [Problem(where, "", "'site_url' is not set, so feeds, share links and link previews cannot use "
                        "absolute URLs and no feeds are written", "add 'site_url: https://your.domain/' to "
                        f"{where}", warning=True)]
    if not (is_http_url(url) and is_safe_link(url)):
        # Material prints it (as the base of every link on the 404 page) without escaping.
        return [Problem(where, "site_url", f"{url!r} is not an http(s) URL with a host and no spaces, quotes or "
                        "angle brackets", "write the site's address, e.g. https://your.domain/ "
                        "(percent-encode anything else)")]
    return []


def site_problems(config, layout: Layout) -> tuple[Site, list[Problem]]:
    """The content model and every problem of the site behind a loaded `config`."""
    site = load_site(config.docs_dir, layout)
    problems = config_problems(config) + list(site.problems)
    where = os.path.basename(config.config_file_path or "mkdocs.yml")
    prompts = config.plugins.get("winwin-prompts")
    if prompts is not None:
        problems += _prompts_problems(prompts.config, config, site, where)
        problems += _comments_problems(prompts.config, config)
    reading = config.plugins.get("winwin-reading-list")
    if reading is not None:
        problems += _reading_list_problems(reading.config, config, site, where)
    if not any(not p.warning for p in problems):
        problems += [_warning(w) for w in link_warnings(config, site)]
    return site, problems


def link_warnings(config, site: Site) -> list[str]:
    """What MkDocs says of each page's links when it renders it (a link to a missing file or image).

    The pages are rendered with MkDocs' own Page.render over the files a build
    has (the docs, the theme, and what winwin's plugins generate), so the
    messages are MkDocs' own, word for word. Drafts (and future posts under
    `draft_if_future_date`) are left out, as the blog leaves them out of a
    build. Only warnings count: what `--strict` fails on.
    """
    import logging

    from mkdocs.structure.files import File, get_files
    from mkdocs.structure.pages import Page

    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    stubs = {path for path in _generated_paths(config, site) if files.get_file_from_path(path) is None}
    for path in stubs:
        files.append(File(path, None, config.site_dir, config.use_directory_urls))
    blog = config.plugins.get("material/blog")
    future = blog is not None and blog.config.draft_if_future_date
    now = dt.datetime.now(dt.timezone.utc)
    skip = stubs | {p.path for p in site.posts if p.draft or (future and p.date > now)}
    said: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            said.append(record.getMessage())

    logger = logging.getLogger("mkdocs.structure.pages")
    handler, propagate = Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # reported once, as check's own warnings
    try:
        for file in files.documentation_pages():
            if file.src_uri in skip or file.inclusion.is_excluded():
                continue
            page = Page(None, file, config)
            page.read_source(config)
            page.render(config, files)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    return said


def _generated_paths(config, site: Site) -> list[str]:
    """The files winwin's plugins add to a build, which a page may link to."""
    from .core import SitePlugin

    paths = []
    if config.plugins.get("winwin") is not None and config.site_url:
        for theme in ["", *(c.theme for c in site.chapters)]:
            paths += SitePlugin._feed_paths(theme)
    if (reading := config.plugins.get("winwin-reading-list")) is not None:
        from .reading_list import ATOM_PATH, RSS_PATH

        paths += [reading.config.page, RSS_PATH, ATOM_PATH]
    if config.plugins.get("winwin-prompts") is not None:
        from ..comments.feed import FEED_PATH

        paths.append(FEED_PATH)
    return paths


def _prompts_problems(settings, config, site: Site, where: str) -> list[Problem]:
    from ..prompts import meta
    from ..prompts.section import ChannelConfigError, settings_from

    try:
        settings_from(settings)
    except ChannelConfigError as exc:
        return [Problem(where, "", f"'{exc.key}' {exc.problem}", exc.fix)]
    problems = []
    theme_dirs = [*config.theme.dirs]

    def exists(path: str) -> bool:
        return any(os.path.isfile(os.path.join(d, path)) for d in [config.docs_dir, *theme_dirs])

    def missing(image) -> bool:
        return isinstance(image, str) and bool(image) and not meta.is_absolute(image) \
            and not exists(image.lstrip("/"))

    if settings["og_image"] and missing(settings["og_image"]):
        problems.append(_warning(meta.missing_og_image(where, settings["og_image"])))
    docs = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
    pages = {**{p.path: p.meta for p in site.posts}, **{c.path: c.meta for c in site.chapters}, **site.pages}
    for src, fm in sorted(pages.items()):
        if missing(fm.get("image")):
            problems.append(_warning(meta.missing_page_image(docs, src, fm["image"])))
    return problems


def _comments_problems(settings, config) -> list[Problem]:
    """Every conversation file and the moderation file, checked as the build checks them."""
    from ..comments.files import read_all

    return list(read_all(config.docs_dir, moderation=settings["comments_moderation"]).problems)


def _reading_list_problems(settings, config, site: Site, where: str) -> list[Problem]:
    from ..reading_list.page import theme_typos, themes_used
    from ..reading_list.picks import read_picks
    from ..reading_list.sources import PLUGIN_NAME, load_sources

    problems = []
    try:
        sources = load_sources(settings["sources"], Path(config.config_file_path or ".").resolve().parent)
    except WinwinError as exc:
        problems.append(Problem(f"{where}, plugin '{PLUGIN_NAME}'", "", str(exc), ""))
        sources = []
    docs = config.docs_dir
    picks_where = posixpath.join(Path(docs).name, settings["picks_file"])
    picks, found = read_picks(Path(docs) / settings["picks_file"], picks_where)
    problems += found
    if settings["group_by"] == "theme" and not any(not p.warning for p in problems):
        used = themes_used(sources, picks, settings["picks_file"])
        problems += [_warning(w) for w in theme_typos(used, {c.theme: c.path for c in site.chapters})]
    return problems


def _warning(text: str) -> Problem:
    """A build warning's text as a Problem (its path, key and fix already inside)."""
    return Problem(text, "", "", "", warning=True)
