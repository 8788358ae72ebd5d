"""What the "Your turn" section under a page holds, and the reply channels behind it.

Plain Python, no MkDocs: the prompts plugin reads its config into `Settings`
with `read_settings()` (which rejects bad channel config with a message naming
the key), and asks `your_turn()` per page. The theme's
`partials/comments.html` renders the result.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from ..urls import is_http_url

CONFIG_KEY = "plugins.winwin-prompts"

GISCUS_KEYS = ("repo", "repo_id", "category", "category_id")
GISCUS_MAPPINGS = ("pathname", "url", "title", "og:title")

# Where a `discussion:` link points, by host; Mastodon has no central host, so
# its profile-style paths ("/@name/123") are recognised instead.
DISCUSSION_NETWORKS = {
    "linkedin.com": "LinkedIn",
    "bsky.app": "Bluesky",
    "x.com": "X",
    "twitter.com": "X",
    "facebook.com": "Facebook",
    "github.com": "GitHub",
    "news.ycombinator.com": "Hacker News",
    "reddit.com": "Reddit",
}

EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")


class ChannelConfigError(ValueError):
    """A reply channel is configured wrongly; says which key and how to fix it."""

    def __init__(self, key: str, problem: str, fix: str):
        self.key, self.problem, self.fix = key, problem, fix
        super().__init__(f"'{key}' {problem}. Fix: {fix}")


@dataclass(frozen=True)
class Isso:
    url: str  # the server's base URL, ending in "/"

    @property
    def script(self) -> str:
        return self.url + "js/embed.min.js"


@dataclass(frozen=True)
class Giscus:
    repo: str
    repo_id: str
    category: str
    category_id: str
    mapping: str = "pathname"


@dataclass(frozen=True)
class Settings:
    """The plugin's settings once checked."""

    heading: str
    prompt: str
    etiquette: str
    chapters: bool = False
    owner_email: str = ""
    isso: Isso | None = None
    giscus: Giscus | None = None


@dataclass(frozen=True)
class EmailReply:
    to: str  # one address, or several joined by commas
    href: str  # mailto: with the subject "Re: <title>"


@dataclass(frozen=True)
class Discussion:
    url: str
    network: str

    @property
    def label(self) -> str:
        return f"Join the discussion on {self.network}"


@dataclass(frozen=True)
class YourTurn:
    """Everything the "Your turn" section of one page shows."""

    heading: str
    question: str
    etiquette: str
    title: str  # the page's title (Isso names new threads after it)
    email: EmailReply | None = None
    discussion: Discussion | None = None
    isso: Isso | None = None
    giscus: Giscus | None = None


def _http_url(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ChannelConfigError(key, "is empty", "give the full address, e.g. https://comments.example.org/")
    if not is_http_url(value.strip()):
        raise ChannelConfigError(
            key, f"must be an http(s) URL, got {value!r}",
            "give the full address, e.g. https://comments.example.org/",
        )
    return value.strip().rstrip("/") + "/"


def read_isso(isso: Mapping[str, Any] | None, key: str = f"{CONFIG_KEY}.isso") -> Isso | None:
    url = (isso or {}).get("url")
    if url is None:
        return None
    return Isso(_http_url(f"{key}.url", url))


def read_giscus(giscus: Mapping[str, Any] | None, key: str = f"{CONFIG_KEY}.giscus") -> Giscus | None:
    giscus = {k: v for k, v in (giscus or {}).items() if v is not None}
    given = [k for k in GISCUS_KEYS if k in giscus]
    if not given:
        return None
    for name in GISCUS_KEYS:
        value = giscus.get(name)
        if not isinstance(value, str) or not value.strip():
            raise ChannelConfigError(
                f"{key}.{name}", "is missing" if value is None else "is empty",
                f"giscus needs all of {', '.join(GISCUS_KEYS)}; copy '{name}' from the "
                "snippet giscus.app generates for your repository",
            )
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", giscus["repo"]):
        raise ChannelConfigError(f"{key}.repo", f"must be owner/name, got {giscus['repo']!r}",
                                 "write it like octo-org/winwin-comments")
    mapping = giscus.get("mapping", "pathname")
    if mapping not in GISCUS_MAPPINGS:
        raise ChannelConfigError(f"{key}.mapping", f"is {mapping!r}",
                                 f"use one of: {', '.join(GISCUS_MAPPINGS)}")
    return Giscus(*(giscus[k].strip() for k in GISCUS_KEYS), mapping=mapping)


def read_email(email: Any, key: str = f"{CONFIG_KEY}.email") -> str:
    if email is None:
        return ""
    if not isinstance(email, str) or not EMAIL.match(email.strip()):
        raise ChannelConfigError(key, f"is not an email address: {email!r}",
                                 "write one address, e.g. hello@example.org")
    return email.strip()


def read_settings(
    *, heading: str, prompt: str, etiquette: str, chapters: bool = False,
    email: Any = None, isso: Mapping[str, Any] | None = None, giscus: Mapping[str, Any] | None = None,
) -> Settings:
    """Check the channel config; raise ChannelConfigError naming the first bad key."""
    return Settings(
        heading=heading, prompt=prompt, etiquette=etiquette, chapters=chapters,
        owner_email=read_email(email), isso=read_isso(isso), giscus=read_giscus(giscus),
    )


def settings_from(config: Mapping[str, Any], isso_url: str | None = None) -> Settings:
    """read_settings() over the plugin's config (PromptsConfig); `isso_url` replaces isso.url."""
    isso = dict(config["isso"] or {})
    if isso_url:
        isso["url"] = isso_url
    return read_settings(
        heading=config["heading"], prompt=config["prompt"], etiquette=config["etiquette"],
        chapters=config["chapters"], email=config["email"], isso=isso, giscus=dict(config["giscus"] or {}),
    )


def discussion(url: str | None) -> Discussion | None:
    """The "Join the discussion on <network>" link of a `discussion:` URL."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    for known, name in DISCUSSION_NETWORKS.items():
        if host == known or host.endswith("." + known):
            return Discussion(url, name)
    if parts.path.startswith("/@"):
        return Discussion(url, "Mastodon")
    return Discussion(url, host or url)


def email_reply(title: str, addresses: tuple[str, ...] | list[str], owner: str) -> EmailReply | None:
    """A mailto: link to the authors who gave an address, else the site owner."""
    to = [a for a in addresses if a] or ([owner] if owner else [])
    if not to:
        return None
    joined = ",".join(to)
    subject = quote(f"Re: {' '.join(title.split())}", safe="")
    return EmailReply(joined, f"mailto:{quote(joined, safe='@,')}?subject={subject}")


def shows_section(kind: str, meta: Mapping[str, Any], settings: Settings) -> bool:
    """Posts always (unless `comments: false`); chapters if the config or the page says so."""
    wanted = meta.get("comments")
    if kind == "post":
        return wanted is not False
    if kind == "chapter":
        return wanted if isinstance(wanted, bool) else settings.chapters
    return False


def your_turn(
    settings: Settings, *, kind: str, title: str, meta: Mapping[str, Any],
    author_emails: tuple[str, ...] = (),
) -> YourTurn | None:
    """The section of one page (`kind` is "post", "chapter" or "page"), or None."""
    if not shows_section(kind, meta, settings):
        return None
    question = meta.get("prompt") if isinstance(meta.get("prompt"), str) and meta["prompt"].strip() else settings.prompt
    return YourTurn(
        heading=settings.heading,
        question=question.strip(),
        etiquette=settings.etiquette,
        title=title,
        email=email_reply(title, author_emails, settings.owner_email),
        discussion=discussion(meta.get("discussion")) if kind == "post" else None,
        isso=settings.isso,
        giscus=settings.giscus,
    )
