"""Settings of the `winwin-reading-list` plugin: sources, fetching limits, curation rules."""

from mkdocs.config.base import Config
from mkdocs.config.config_options import ListOfItems, Optional, SubConfig, Type


class SourceConfig(Config):
    url = Type(str)
    """http(s) URL of an RSS, Atom or JSON feed, or a local file path (relative to mkdocs.yml)."""

    name = Type(str)
    """Display name shown beside each article."""

    theme = Optional(Type(str))
    """Guide theme id (or any topic) under which this source's articles are grouped."""

    weight = Type(float, default=1.0)
    """Ranking multiplier: above 1 favours this source, below 1 holds it back."""

    max_items = Optional(Type(int))
    """At most this many of this source's articles on the reading list."""


class ReadingListConfig(Config):
    sources = ListOfItems(SubConfig(SourceConfig), default=[])
    """The feeds worth following."""

    cache_dir = Type(str, default=".cache/winwin")
    """Where the article store lives, relative to mkdocs.yml."""

    page = Type(str, default="reading-list/index.md")
    """Docs-relative page the reading list is rendered into."""

    picks_file = Type(str, default="reading-list/picks.yml")
    """Docs-relative curation file: pins, hides and manual picks."""
