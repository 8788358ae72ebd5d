"""Redirect pages at the old addresses of moved or imported pages (front matter `aliases:`).

Run from the core plugin's `on_files`, after Material's blog has given every
post its final URL. Each alias becomes a generated file (MkDocs writes it):
a meta refresh, a canonical link and a visible link, so it works without
JavaScript and tells search engines where the page went. mkdocs-redirects
was not used: it reads its map from mkdocs.yml only, while an alias belongs
to its page and travels with it.
"""

from __future__ import annotations

import posixpath

from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from ..redirects import alias_file, alias_problem, redirect_html
from .material import blog_posts

log = get_plugin_logger("winwin.redirects")


def _aliases(meta: dict) -> tuple[list, str]:
    """A page's `aliases` and title, from its front matter (as the content checks read it)."""
    aliases = meta.get("aliases") or []
    return (aliases if isinstance(aliases, list) else [aliases]), str(meta.get("title") or "")


def _published(files: Files, config) -> list[File]:
    """The pages the build publishes, Material's blog posts included (it keeps them excluded until on_nav)."""
    pages = list(files.documentation_pages())
    seen = {f.src_uri for f in pages}
    return pages + [post.file for post in blog_posts(config.plugins) if post.file.src_uri not in seen]


def add_redirects(files: Files, config, front_matter: dict[str, dict]) -> None:
    """Add a generated redirect page for every alias of every published page in `files`.

    `front_matter` is the content model's (content.loader.Site.front_matter):
    no page is read from disk again here.
    """
    taken = {f.dest_uri for f in files}
    site_url = (config.site_url or "").rstrip("/")
    for file in _published(files, config):
        aliases, title = _aliases(front_matter.get(file.src_uri) or {})
        for alias in aliases:
            problem = alias_problem(alias)
            if problem:
                log.warning(f"{file.src_uri}: 'aliases': {problem}. Fix: write the old address's path, "
                            "e.g. /2011/03/my-post.html")
                continue
            dest = alias_file(alias)
            if dest == file.dest_uri:
                continue  # the old address is the new one: nothing to redirect
            if dest in taken:
                log.warning(f"{file.src_uri}: 'aliases': {alias} is already a page of this site, so no "
                            "redirect is written there. Fix: remove that alias")
                continue
            taken.add(dest)
            relative = posixpath.relpath(file.url or ".", posixpath.dirname(dest) or ".")
            target = relative + ("/" if file.url.endswith("/") and not relative.endswith("/") else "")
            canonical = f"{site_url}/{file.url}" if site_url else target
            page = File.generated(config, dest, content=redirect_html(target, title or file.url, canonical,
                                                                      lang=config.theme.get("language") or "en"))
            files.append(page)
