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

import yaml
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files

from ..redirects import alias_file, alias_problem, redirect_html

log = get_plugin_logger("winwin.redirects")


def _aliases(file: File) -> tuple[list, str]:
    """The page's `aliases` and title from its front matter, read without parsing the Markdown."""
    try:
        text = file.content_string
    except (OSError, UnicodeDecodeError, ValueError):
        return [], ""
    if not text.startswith("---") or "\naliases:" not in text.split("\n---", 2)[0] + "\n---":
        return [], ""
    try:
        meta = yaml.safe_load(text[3:].split("\n---", 1)[0]) or {}
    except yaml.YAMLError:
        return [], ""  # the content checks report broken front matter
    if not isinstance(meta, dict):
        return [], ""
    aliases = meta.get("aliases") or []
    return (aliases if isinstance(aliases, list) else [aliases]), str(meta.get("title") or "")


def _published(files: Files, config) -> list[File]:
    """The pages the build publishes: Material's blog keeps its posts excluded until on_nav,
    so its own list of posts (drafts already left out) is taken here."""
    pages = list(files.documentation_pages())
    blog = config.plugins.get("material/blog")
    posts = getattr(getattr(blog, "blog", None), "posts", None) or []
    seen = {f.src_uri for f in pages}
    pages += [post.file for post in posts if post.file.src_uri not in seen]
    return pages


def add_redirects(files: Files, config) -> None:
    """Add a generated redirect page for every alias of every published page in `files`."""
    taken = {f.dest_uri for f in files}
    site_url = (config.site_url or "").rstrip("/")
    for file in _published(files, config):
        aliases, title = _aliases(file)
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
