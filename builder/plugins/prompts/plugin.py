"""The `winwin-prompts` MkDocs plugin: "Your turn" sections, share rows and link previews.

Thin glue: builder.prompts decides what a page's section holds, builder.share
builds the share links, builder.meta the preview tags. This module only hands
each page's data to the templates as `winwin_turn`, `winwin_share` and
`winwin_meta`. It reads the content model of the `winwin` plugin, which must
be listed before it.

Without `site_url` nothing crashes: share links and og:image fall back to
page-relative URLs and og:url is left out (the `winwin` plugin warns once).
"""

from __future__ import annotations

import os

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger

from ... import meta, prompts, share
from .config import PromptsConfig

log = get_plugin_logger(__name__)

ISSO_URL_ENV = "WINWIN_ISSO_URL"
"""Set by `winwin serve --comments` to point the preview at its local Isso."""


class PromptsPlugin(BasePlugin[PromptsConfig]):
    def on_config(self, config):
        # Lives across `mkdocs serve` rebuilds: everything per build is set here.
        self.where = where = os.path.basename(config.config_file_path or "mkdocs.yml")
        isso = dict(self.config.isso)
        if os.environ.get(ISSO_URL_ENV):
            isso["url"] = os.environ[ISSO_URL_ENV]
        try:
            self.settings = prompts.read_settings(
                heading=self.config.heading, prompt=self.config.prompt,
                etiquette=self.config.etiquette, chapters=self.config.chapters,
                email=self.config.email, isso=isso, giscus=dict(self.config.giscus),
            )
        except prompts.ChannelConfigError as exc:
            raise PluginError(f"{where}: {exc}") from None
        unknown = [n for n in self.config.share_networks if n not in share.NETWORKS]
        if unknown:
            raise PluginError(
                f"{where}: 'plugins.winwin-prompts.share_networks' has unknown network(s) "
                f"{', '.join(unknown)}. Fix: use any of {', '.join(share.NETWORKS)}."
            )
        self.site_url = config.site_url or ""
        self.site_plugin = config.plugins.get("winwin")
        if self.site_plugin is None:
            raise PluginError(
                f"{where}: the 'winwin-prompts' plugin needs the 'winwin' plugin. "
                "Fix: add '- winwin' under 'plugins:' before '- winwin-prompts'."
            )
        self.files = None
        return config

    # After the `winwin` plugin (100) loaded the content model; theme files
    # (the default preview image) are already in `files` by then.
    @event_priority(50)
    def on_files(self, files, *, config):
        self.files = files
        image = self.config.og_image
        if image and not meta.is_absolute(image) and files.get_file_from_path(image.lstrip("/")) is None:
            log.warning(
                f"{self.where}: 'plugins.winwin-prompts.og_image' {image!r} is neither in the docs folder "
                "nor in the theme. Fix: point it at an image file, or at an https:// URL."
            )
        return files

    def on_page_context(self, context, *, page, config, nav):
        site = self.site_plugin
        src = page.file.src_uri
        post = getattr(site, "posts", {}).get(src)
        chapter = getattr(site, "chapters", {}).get(src)
        entry = post or chapter
        kind = "post" if post else "chapter" if chapter else "page"
        fm = page.meta or {}
        title = entry.title if entry else (page.title or config.site_name)
        description = entry.description if entry else (fm.get("description") or config.site_description or "")
        url = page.canonical_url or ""  # absolute, or "" without site_url
        authors = [site.site.authors[a] for a in post.authors if a in site.site.authors] if post else []

        context["winwin_turn"] = prompts.your_turn(
            self.settings, kind=kind, title=title, meta=fm, author_emails=tuple(a.email for a in authors))
        # "./" is the page itself: the script resolves it for copy and native share.
        context["winwin_share"] = share.share_links(
            url or "./", title, description, networks=self.config.share_networks,
            mastodon_instance=self.config.mastodon_instance,
        ) if entry else ()
        context["winwin_share_label"] = f"Share this {kind}"

        image = self._image(fm.get("image"), src, config) or self.config.og_image
        context["winwin_meta"] = meta.page_meta(
            site_name=config.site_name, title=title, description=description, url=url,
            image=meta.resolve(image, site_url=self.site_url, page_url=page.url),
            published=post.date if post else None,
            authors=tuple(a.name for a in authors),
            tags=post.tags if post else (),
            twitter_site=self.config.twitter_site or "",
        )
        return context

    def _image(self, image, src: str, config) -> str:
        """A page's own `image:`, checked: a file in the docs folder or an http(s) URL."""
        if not image or not isinstance(image, str):
            return ""
        if meta.is_absolute(image):
            return image
        path = image.lstrip("/")
        if self.files is not None and self.files.get_file_from_path(path) is None:
            docs = os.path.relpath(config.docs_dir, os.path.dirname(config.config_file_path or "."))
            log.warning(
                f"{docs}/{src}: 'image' {image!r} is not a file in {docs}/. "
                "Fix: give a path from the docs folder, e.g. assets/card.png, or an https:// URL."
            )
            return ""
        return path
