"""Open Graph and Twitter card tags for link previews, without Material's social plugin.

Material emits these only through its social plugin, which draws cards with
the system Cairo library. Here they are plain data: `page_meta()` returns the
tags of one page and `theme/partials/winwin/meta-head.html` writes them out.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass
from urllib.parse import urljoin

from ..urls import is_http_url


@dataclass(frozen=True)
class MetaTag:
    attribute: str  # "property" (Open Graph) or "name" (Twitter)
    key: str  # e.g. "og:title"
    content: str


def is_absolute(url: str) -> bool:
    """An http(s) URL with a host (mkdocs_winwin.urls.is_http_url)."""
    return is_http_url(url)


def missing_page_image(docs: str, src: str, image: str) -> str:
    """The warning for a page's `image:` that is no file (`docs`: the docs folder as the user names it)."""
    return (f"{docs}/{src}: 'image' {image!r} is not a file in {docs}/. "
            "Fix: give a path from the docs folder, e.g. assets/card.png, or an https:// URL.")


def missing_og_image(where: str, image: str) -> str:
    """The warning for an `og_image` setting that is no file (`where`: the config file's name)."""
    return (f"{where}: 'plugins.winwin-prompts.og_image' {image!r} is neither in the docs folder "
            "nor in the theme. Fix: point it at an image file, or at an https:// URL.")


def resolve(path_or_url: str, *, site_url: str, page_url: str) -> str:
    """An image or page location as the preview should carry it.

    `path_or_url` is an http(s) URL or a path from the site root (e.g.
    "assets/card.png"); `page_url` is the page's path from the site root (e.g.
    "blog/2026/01/02/hello/"). With a `site_url` the result is absolute;
    without one, relative to the page (crawlers will not follow it, but a local
    preview does not break).
    """
    if not path_or_url or is_absolute(path_or_url):
        return path_or_url
    path = path_or_url.lstrip("/")
    if site_url:
        return urljoin(site_url.rstrip("/") + "/", path)
    page_dir = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    return posixpath.relpath(path, page_dir.rstrip("/") or ".")


def page_meta(
    *,
    site_name: str,
    title: str,
    description: str,
    url: str,
    image: str = "",
    image_alt: str = "",
    published: dt.datetime | None = None,
    authors: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    twitter_site: str = "",
    locale: str = "",
) -> tuple[MetaTag, ...]:
    """The tags of one page; `published` makes it an article (a blog post).

    og:url is left out unless `url` is absolute: a relative og:url is invalid.
    """
    description = " ".join(description.split())

    def card(prefix: str) -> list[tuple[str, str]]:
        """The title, description and image tags both vocabularies share."""
        tags = [(f"{prefix}:title", title)]
        if description:
            tags.append((f"{prefix}:description", description))
        if image:
            tags += [(f"{prefix}:image", image), (f"{prefix}:image:alt", image_alt or title)]
        return tags

    og = [("og:type", "article" if published else "website"), ("og:site_name", site_name), *card("og")]
    if is_absolute(url):
        og.append(("og:url", url))
    if locale:
        og.append(("og:locale", locale))
    if published:
        og.append(("article:published_time", published.isoformat()))
        og += [("article:author", a) for a in authors]
        og += [("article:tag", t) for t in tags]
    tw = [("twitter:card", "summary_large_image" if image else "summary"), *card("twitter")]
    if twitter_site:
        tw.append(("twitter:site", twitter_site if twitter_site.startswith("@") else "@" + twitter_site))
    return tuple(MetaTag("property", k, v) for k, v in og) + tuple(MetaTag("name", k, v) for k, v in tw)
