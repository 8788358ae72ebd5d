"""Settings of the `winwin-prompts` plugin: the "Your turn" section, reply
channels, the share row and link-preview tags.

Every key is optional. Channel settings are checked by builder.prompts, whose
errors name the key (e.g. `plugins.winwin-prompts.giscus.repo_id`).
"""

from mkdocs.config.base import Config
from mkdocs.config.config_options import ListOfItems, Optional, SubConfig, Type

from ...share import NETWORKS


class IssoConfig(Config):
    url = Optional(Type(str))
    """Base URL of your Isso server, e.g. https://comments.example.org/. The page
    loads Isso's client from `<url>/js/embed.min.js`. `winwin serve --comments`
    sets it to a local Isso for the preview."""


class GiscusConfig(Config):
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


class PromptsConfig(Config):
    heading = Type(str, default="Your turn")
    """Heading of the section under each post."""

    prompt = Type(str, default="What pointers would you add? Share one that helped you.")
    """The question asked when a page's front matter has no `prompt:`."""

    etiquette = Type(str, default="Disagree gently and keep it helpful: give a pointer before you ask for one.")
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

    share_networks = ListOfItems(Type(str), default=list(NETWORKS))
    """Networks in the share row, in order: linkedin, x, facebook, bluesky,
    mastodon, whatsapp, email (builder.share.NETWORKS).
    Copy link and the browser's own share button are always added."""

    mastodon_instance = Type(str, default="mastodon.social")
    """Mastodon instance for the share link when the reader's script cannot ask
    for theirs (no JavaScript)."""

    og_image = Type(str, default="assets/images/winwin-card.png")
    """Default link-preview image (docs- or theme-relative path, or an http(s)
    URL); a page's `image:` front matter replaces it."""

    twitter_site = Optional(Type(str))
    """The site's X handle for twitter:site, e.g. @winwin (optional)."""
