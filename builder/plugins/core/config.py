"""Settings of the `winwin` plugin (the site: guide, blog cross-links, feeds)."""

from mkdocs.config.base import Config
from mkdocs.config.config_options import Optional, Type

from ...crosslinks import COMMUNITY_HEADING


class SiteConfig(Config):
    guide_dir = Type(str, default="guide")
    """Folder of the guide chapters, inside docs_dir. Each chapter's `theme` is a theme id."""

    contribute_page = Optional(Type(str))
    """Docs-relative page on how to contribute; linked under each chapter's community pointers."""

    community_heading = Type(str, default=COMMUNITY_HEADING)
    """Heading of the list of posts appended to every guide chapter."""

    feeds_max_items = Type(int, default=50)
    """Newest posts kept in each feed (0 keeps all)."""
