"""Share links: plain intent URLs built at build time, no third-party script.

A share row is a tuple of `ShareLink`s. Every network link is an ordinary
`<a href>` that works without JavaScript and makes no request until the reader
clicks it. Three entries need the site's small script to do more:

- ``mastodon``: Mastodon has no central host. The href goes to
  `mastodon_instance`; the script asks the reader for their own instance once,
  remembers it in localStorage, and rebuilds the link from `text`.
- ``copy``: a button that copies `href` (the page URL) to the clipboard.
- ``native``: a button that opens the Web Share API (`navigator.share`).

The two buttons are rendered hidden and shown by the script when it can run.

The share text is give-first: the page's title and the one line on why it
helps (its description), then the URL; never "look at my post".

Use from Python (the prompts plugin, the reading list)::

    from mkdocs_winwin.prompts.share import share_links
    links = share_links("https://site.example/blog/2026/01/02/hello/",
                        "Hello", "Openers that put the other person first.")

and render with the theme partial (the `share` variable is the tuple,
`share_label` the accessible name of the row)::

    {% with share = links, share_label = "Share this article" %}
      {% include "partials/winwin/share.html" %}
    {% endwith %}

`url` should be absolute (the page's canonical URL). Without `site_url` a
relative URL still works for copying and for the reader's own browser, but the
networks' previews need an absolute one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

NETWORKS = ("linkedin", "x", "facebook", "bluesky", "mastodon", "whatsapp", "email")
"""Every network `share_links` knows, in the order of the row."""

BUTTONS = ("copy", "native")
"""The script-driven entries appended after the networks."""


@dataclass(frozen=True)
class ShareLink:
    """One entry of a share row."""

    network: str  # an id from NETWORKS or BUTTONS
    label: str  # visible text, e.g. "LinkedIn"
    href: str  # the intent URL (the page URL for copy/native)
    icon: str  # a Material icon path under .icons/, e.g. "fontawesome/brands/linkedin"
    action: str = "open"  # "open" (plain link), "mastodon", "copy" or "native"
    text: str = ""  # the give-first message, for the script (mastodon, native)
    title: str = ""  # the shared page's title, for navigator.share


def _query(**params: str) -> str:
    # quote, not quote_plus: "+" for spaces is wrong in mailto: and in the
    # text parameters of several intents.
    return urlencode(params, quote_via=quote, safe="")


def message(title: str, text: str) -> str:
    """The give-first line: the title and why it helps, e.g. "Hello — Openers that..."."""
    title, text = " ".join(title.split()), " ".join(text.split())
    return f"{title} — {text}" if text else title


def share_links(
    url: str,
    title: str,
    text: str,
    *,
    networks: tuple[str, ...] | list[str] = NETWORKS,
    mastodon_instance: str = "mastodon.social",
) -> tuple[ShareLink, ...]:
    """The share row for a page: one link per network, then copy and native share.

    `text` is the one-line reason the page helps (its description; may be
    empty). Unknown network ids raise ValueError naming the valid ones.
    """
    unknown = [n for n in networks if n not in NETWORKS]
    if unknown:
        raise ValueError(f"unknown share network(s) {', '.join(unknown)}; valid: {', '.join(NETWORKS)}")
    msg = message(title, text)
    with_url = f"{msg} {url}"
    make = {
        "linkedin": lambda: ShareLink(
            "linkedin", "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + _query(url=url),
            "fontawesome/brands/linkedin"),
        "x": lambda: ShareLink(
            "x", "X", "https://x.com/intent/tweet?" + _query(text=msg, url=url),
            "fontawesome/brands/x-twitter"),
        "facebook": lambda: ShareLink(
            "facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + _query(u=url),
            "fontawesome/brands/facebook"),
        "bluesky": lambda: ShareLink(
            "bluesky", "Bluesky", "https://bsky.app/intent/compose?" + _query(text=with_url),
            "fontawesome/brands/bluesky"),
        "mastodon": lambda: ShareLink(
            "mastodon", "Mastodon", mastodon_url(mastodon_instance, with_url),
            "fontawesome/brands/mastodon", action="mastodon", text=with_url),
        "whatsapp": lambda: ShareLink(
            "whatsapp", "WhatsApp", "https://wa.me/?" + _query(text=with_url),
            "fontawesome/brands/whatsapp"),
        "email": lambda: ShareLink(
            "email", "Email", "mailto:?" + _query(subject=title, body=f"{msg}\n\n{url}"),
            "material/email-outline"),
    }
    links = [make[n]() for n in networks]
    links.append(ShareLink("copy", "Copy link", url, "material/link-variant", action="copy"))
    links.append(ShareLink("native", "Share…", url, "material/share-variant", action="native",
                           text=msg, title=title))
    return tuple(links)


def mastodon_url(instance: str, text: str) -> str:
    """The share intent of one Mastodon instance (a host name like "mastodon.social")."""
    host = instance.strip().removeprefix("https://").removeprefix("http://").strip("/")
    return f"https://{host}/share?" + _query(text=text)
