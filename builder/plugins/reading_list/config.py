"""Settings of the `winwin-reading-list` plugin: sources, fetching limits, curation rules."""

from mkdocs.config.base import Config
from mkdocs.config.config_options import Choice, ListOfItems, Optional, SubConfig, Type


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

    timeout = Optional(Type((int, float)))
    """Seconds to wait for this source (overrides `fetch_timeout`), for a feed that is always slow."""

    max_bytes = Optional(Type(int))
    """Largest body accepted from this source (overrides `fetch_max_bytes`)."""


class ReadingListConfig(Config):
    sources = ListOfItems(SubConfig(SourceConfig), default=[])
    """The feeds worth following."""

    cache_dir = Type(str, default=".cache/winwin")
    """Where the article store lives, relative to mkdocs.yml."""

    page = Type(str, default="reading-list/index.md")
    """Docs-relative page the reading list is rendered into."""

    picks_file = Type(str, default="reading-list/picks.yml")
    """Docs-relative curation file: pins, hides and manual picks."""

    # --- fetching (builder.fetch; `winwin feeds fetch`) --------------------

    fetch_timeout = Type((int, float), default=10)
    """Seconds a source may take: to connect, for each read, and for the whole download."""

    fetch_max_bytes = Type(int, default=10 * 1024 * 1024)
    """Largest feed accepted, counted on the wire and again after gzip decompression (10 MB)."""

    fetch_max_redirects = Type(int, default=5)
    """Redirects followed per request before giving up."""

    fetch_concurrency = Type(int, default=32)
    """Sources fetched at the same time. Above the number of slow feeds, one slow feed never delays others."""

    fetch_user_agent = Optional(Type(str))
    """User-Agent sent with every request; default `winwin/<version> (+<site_url>; <site_name>)`."""

    # --- curation (builder.curation) -------------------------------------

    include_keywords = ListOfItems(Type(str), default=[])
    """Keep only articles whose title or summary names one of these whole words
    (any case); each distinct match also raises the article's score. Empty: keep all."""

    exclude_keywords = ListOfItems(Type(str), default=[])
    """Drop articles whose title or summary names one of these whole words (any case)."""

    max_age_days = Type(int, default=0)
    """Drop articles published more than this many days before the build (0: no limit)."""

    per_source_max = Type(int, default=10)
    """At most this many articles of one source (a source's `max_items` overrides it; 0: no cap)."""

    max_items = Type(int, default=50)
    """At most this many articles on the reading list and in its feed, pins aside (0: no cap)."""

    half_life_days = Type(float, default=30.0)
    """Recency in the score: an article this many days old counts half a new one (0: ignore age)."""

    keyword_weight = Type(float, default=0.5)
    """Score added for each distinct include keyword an article names."""

    group_by = Choice(("theme", "source"), default="theme")
    """Group the reading list by guide theme (a source's or pin's `theme`) or by source name."""

    summary_length = Type(int, default=300)
    """Summaries are cut at a word boundary to at most this many characters, with an ellipsis."""

    home_picks = Type(int, default=3)
    """How many of the newest picks the home page shows at `<!-- winwin:latest-picks -->`."""
