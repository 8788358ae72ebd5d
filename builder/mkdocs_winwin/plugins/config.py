"""Every setting of winwin's three MkDocs plugins, declared once.

`winwin` (the site: guide, cross-links, feeds out), `winwin-prompts` ("Your
turn", share row, link previews) and `winwin-reading-list` (sources, fetching,
curation). Each key has its docstring; the plain-Python code receives frozen
settings objects made from these and keeps no defaults of its own.
"""

import re

from mkdocs.config.base import Config, ValidationError
from mkdocs.config.config_options import Choice, ListOfItems, Optional, SubConfig, Type

from ..content.crosslinks import COMMUNITY_HEADING
from ..prompts.share import NETWORKS
from ..urls import is_safe_link

POST_KEYS = ("title", "description", "authors")


class Number(Type):
    """A number within [minimum, maximum]: MkDocs' config check names the key of a value outside.

    Every count, length and duration of the settings is one, so `-1` or
    `1000000000` stops at the config with the range, not deep in a build.
    """

    def __init__(self, kind: type, *, minimum: float, maximum: float, default=None, why: str = ""):
        super().__init__((int, float) if kind is float else int, default=default)
        self.minimum, self.maximum, self.why = minimum, maximum, why

    def run_validation(self, value):
        if isinstance(value, bool):
            raise ValidationError(f"Expected a number, got {value!r}. Fix: write a number from "
                                  f"{self.minimum} to {self.maximum}.")
        value = super().run_validation(value)
        if not self.minimum <= value <= self.maximum:
            why = f" ({self.why})" if self.why else ""
            raise ValidationError(f"{value!r} is out of range{why}. Fix: write a number from "
                                  f"{self.minimum} to {self.maximum}.")
        return value


class DocsPath(Type):
    """A path inside the docs folder: relative, no '..', no control characters."""

    def __init__(self, default=None, *, example: str = ""):
        super().__init__(str, default=default)
        self.example = example or default or "folder/page.md"

    def run_validation(self, value):
        value = super().run_validation(value)
        parts = value.replace("\\", "/").split("/")
        if (not value.strip() or value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value)
                or ".." in parts or re.search(r"[\x00-\x1f\x7f]", value)):
            raise ValidationError(f"{value!r} is not a path inside the docs folder. Fix: give a path "
                                  f"relative to the docs folder, without '..', e.g. {self.example}.")
        return value


class PlainText(Type):
    """One line of text shown on pages: no control characters, at most `maximum` characters."""

    def __init__(self, default=None, *, maximum: int = 1000):
        super().__init__(str, default=default)
        self.maximum = maximum

    def run_validation(self, value):
        value = super().run_validation(value)
        bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", value)
        if bad:
            raise ValidationError(f"contains the control character U+{ord(bad.group()):04X}. "
                                  "Fix: delete it.")
        if len(value) > self.maximum:
            raise ValidationError(f"is {len(value)} characters long. Fix: keep it under {self.maximum}.")
        return value


class Link(Type):
    """A path inside the site or an http(s) URL with a host (mkdocs_winwin.urls.is_safe_link)."""

    def __init__(self, default=None):
        super().__init__(str, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if not is_safe_link(value):
            raise ValidationError(f"{value!r} is neither a path in the site nor an http(s) URL with a host. "
                                  "Fix: give e.g. assets/card.png or https://example.org/card.png.")
        return value


class HostName(Type):
    """A host name such as mastodon.social (no scheme, path or spaces)."""

    def run_validation(self, value):
        value = super().run_validation(value)
        host = value.strip().removeprefix("https://").removeprefix("http://").strip("/")
        if not re.fullmatch(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?", host):
            raise ValidationError(f"{value!r} is not a host name. Fix: write the instance's host, "
                                  "e.g. mastodon.social.")
        return value


MAX_COUNT = 10_000  # items in a list or a feed: more is a mistake, not a wish


class PluginSettings(Config):
    """A plugin's settings; every bad option is reported, where MkDocs' Config stops at the first."""

    def _validate(self):
        # mkdocs.config.base.Config._validate (MkDocs 1.6) without its `break`.
        failed, warnings = [], []
        for key, option in self._schema:
            try:
                self[key] = option.validate(self.get(key))
                warnings.extend((key, w) for w in option.warnings)
                option.reset_warnings()
            except ValidationError as exc:
                failed.append((key, exc))
        warnings += [(key, f"Unrecognised configuration name: {key}") for key in set(self.keys()) - self._schema_keys]
        return failed, warnings


class SiteConfig(PluginSettings):
    guide_dir = DocsPath(default="guide")
    """Folder of the guide chapters, inside docs_dir. Each chapter's `theme` is a
    theme id. A site without this folder has no guide: posts need no `themes:`."""

    post_required = ListOfItems(Choice(POST_KEYS), default=[])
    """Front-matter keys every post must have besides Material's `date`, e.g.
    [title, description, authors]. Empty by default, so an existing blog adopts
    winwin without editing a post (a missing title comes from the first heading,
    as Material does; a missing description from the excerpt)."""

    contribute_page = Optional(DocsPath(example="contribute/index.md"))
    """Docs-relative page on how to contribute; linked under each chapter's community pointers."""

    community_heading = PlainText(default=COMMUNITY_HEADING, maximum=200)
    """Heading of the list of posts appended to every guide chapter."""

    feeds_max_items = Number(int, minimum=0, maximum=MAX_COUNT, default=50)
    """Newest posts kept in each feed (0 keeps all)."""

    feeds_title = Optional(PlainText(maximum=200))
    """Title of the all-posts feeds; default: the site's `site_name`."""

    feeds_description = Optional(PlainText())
    """Description of the all-posts feeds; default: the site's `site_description`."""

    build_cache = Type(bool, default=False)
    """Keep each build's work in .cache/winwin/ next to mkdocs.yml (build-memo.pickle, and
    the compiled templates in templates/) and reuse it in the next `winwin build` wherever
    its inputs are unchanged: a build after a one-post edit redoes that post's work only.
    The output is the same as without it. Off by default: a clean build (CI) would pay
    for the digests and gain nothing. `winwin serve` always works this way, in memory."""


class IssoConfig(PluginSettings):
    url = Optional(Type(str))
    """Base URL of your Isso server, e.g. https://comments.example.org/. The page
    loads Isso's client from `<url>/js/embed.min.js`. `winwin serve --comments`
    sets it to a local Isso for the preview."""


class GiscusConfig(PluginSettings):
    repo = Optional(Type(str))
    """The GitHub repository holding the discussions, as owner/name."""

    repo_id = Optional(Type(str))
    """The repository's id (giscus.app shows it as data-repo-id)."""

    category = Optional(Type(str))
    """The discussion category new threads go to, e.g. Comments."""

    category_id = Optional(Type(str))
    """The category's id (giscus.app shows it as data-category-id)."""

    mapping = Type(str, default="pathname")
    """How a page finds its discussion: pathname, url, title or og:title."""


class PromptsConfig(PluginSettings):
    heading = PlainText(default="Your turn", maximum=200)
    """Heading of the section under each post."""

    prompt = PlainText(default="What pointers would you add? Share one that helped you.")
    """The question asked when a page's front matter has no `prompt:`."""

    etiquette = PlainText(default="Disagree gently and keep it helpful: give a pointer before you ask for one.")
    """One line of house etiquette shown under the question (from the guide)."""

    chapters = Type(bool, default=False)
    """Show the section under guide chapters too. A chapter's `comments:` front
    matter overrides this either way; posts always have it unless `comments: false`."""

    email = Optional(Type(str))
    """The site owner's address for "Reply by email" when a post's authors have
    no `email` in .authors.yml."""

    isso = SubConfig(IssoConfig)
    """Self-hosted Isso comments (anonymous comment box under the post)."""

    giscus = SubConfig(GiscusConfig)
    """giscus comments (GitHub Discussions); set all four ids or none."""

    share_networks = ListOfItems(Choice(NETWORKS), default=list(NETWORKS))
    """Networks in the share row, in order: linkedin, x, facebook, bluesky,
    mastodon, whatsapp, email (mkdocs_winwin.prompts.share.NETWORKS).
    Copy link and the browser's own share button are always added."""

    mastodon_instance = HostName(str, default="mastodon.social")
    """Mastodon instance for the share link when the reader's script cannot ask
    for theirs (no JavaScript)."""

    og_image = Optional(Link())
    """Default link-preview image (docs- or theme-relative path, or an http(s)
    URL); a page's `image:` front matter replaces it. None by default: a page
    without an image gets no og:image rather than someone else's card."""

    twitter_site = Optional(PlainText(maximum=100))
    """The site's X handle for twitter:site, e.g. @winwin (optional)."""

    comments_moderation = DocsPath(default="comments-moderation.yml")
    """The moderation file in the docs folder (`hidden:` entries of page, id and
    reason); it is read, never published. See mkdocs_winwin.comments."""

    comments_feed = Type(bool, default=True)
    """Write atom-comments.xml, the latest comments of the site, announced in the
    head of every page that has comments (needs `site_url`)."""


class SourceConfig(PluginSettings):
    url = Type(str)
    """http(s) URL of an RSS, Atom or JSON feed, or a local file path (relative to mkdocs.yml)."""

    name = PlainText(maximum=200)
    """Display name shown beside each article."""

    theme = Optional(Type(str))
    """Guide theme id (or any topic) under which this source's articles are grouped."""

    weight = Number(float, minimum=0, maximum=100, default=1.0)
    """Ranking multiplier: above 1 favours this source, below 1 holds it back."""

    max_items = Optional(Number(int, minimum=0, maximum=MAX_COUNT))
    """At most this many of this source's articles on the reading list."""

    timeout = Optional(Number(float, minimum=0.1, maximum=600))
    """Seconds to wait for this source (overrides `fetch_timeout`), for a feed that is always slow."""

    max_bytes = Optional(Number(int, minimum=1024, maximum=1024 ** 3))
    """Largest body accepted from this source (overrides `fetch_max_bytes`)."""


class ReadingListConfig(PluginSettings):
    sources = ListOfItems(SubConfig(SourceConfig), default=[])
    """The feeds worth following."""

    cache_dir = Type(str, default=".cache/winwin")
    """Where the article store lives, relative to mkdocs.yml."""

    page = DocsPath(default="reading-list/index.md")
    """Docs-relative page the reading list is rendered into."""

    picks_file = DocsPath(default="reading-list/picks.yml")
    """Docs-relative curation file: pins, hides and manual picks."""

    # --- fetching (reading_list.fetch; `winwin feeds fetch`) --------------------

    fetch_timeout = Number(float, minimum=0.1, maximum=600, default=10)
    """Seconds a source may take: to connect, for each read, and for the whole download."""

    fetch_max_bytes = Number(int, minimum=1024, maximum=1024 ** 3, default=10 * 1024 * 1024)
    """Largest feed accepted, counted on the wire and again after gzip decompression (10 MB)."""

    fetch_max_redirects = Number(int, minimum=0, maximum=20, default=5)
    """Redirects followed per request before giving up."""

    fetch_concurrency = Number(int, minimum=1, maximum=256, default=32)
    """Sources fetched at the same time. Above the number of slow feeds, one slow feed never delays others."""

    fetch_user_agent = Optional(Type(str))
    """User-Agent sent with every request; default `winwin/<version> (+<site_url>; <site_name>)`."""

    # --- curation (reading_list.curation) -------------------------------------

    include_keywords = ListOfItems(Type(str), default=[])
    """Keep only articles whose title or summary names one of these whole words
    (any case); each distinct match also raises the article's score. Empty: keep all."""

    exclude_keywords = ListOfItems(Type(str), default=[])
    """Drop articles whose title or summary names one of these whole words (any case)."""

    max_age_days = Number(int, minimum=0, maximum=36_500, default=0, why="100 years at most")
    """Drop articles published more than this many days before the build (0: no limit)."""

    per_source_max = Number(int, minimum=0, maximum=MAX_COUNT, default=10)
    """At most this many articles of one source (a source's `max_items` overrides it; 0: no cap)."""

    max_items = Number(int, minimum=0, maximum=MAX_COUNT, default=50)
    """At most this many articles on the reading list and in its feed, pins aside (0: no cap)."""

    half_life_days = Number(float, minimum=0, maximum=36_500, default=30.0)
    """Recency in the score: an article this many days old counts half a new one (0: ignore age)."""

    keyword_weight = Number(float, minimum=0, maximum=100, default=0.5)
    """Score added for each distinct include keyword an article names."""

    group_by = Choice(("theme", "source"), default="theme")
    """Group the reading list by guide theme (a source's or pin's `theme`) or by source name."""

    summary_length = Number(int, minimum=0, maximum=MAX_COUNT, default=300)
    """Summaries are cut at a word boundary to at most this many characters, with an ellipsis."""

    home_picks = Number(int, minimum=0, maximum=100, default=3)
    """How many of the newest picks the home page shows at `<!-- winwin:latest-picks -->`."""
