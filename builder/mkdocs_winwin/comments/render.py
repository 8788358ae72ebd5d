"""A page's conversation as HTML: a view model, and the Jinja template that shows it.

`page_view()` turns a moderated conversation into frozen view objects with
every text decided (labels, dates, sanitised bodies as `Markup`); the
template `partials/winwin/comments.html` in `templates/` only lays them out.
MkDocs renders it from the theme (a site overrides it by putting its own
`partials/winwin/comments.html` in its custom_dir); `render()` renders it
outside MkDocs, for the CLI and the tests.

The fragment reads without JavaScript: threaded with nested lists, each
comment an <li id="comment-ID"> with a permalink on its <time>, marked up
as schema.org Comment in microdata (replies as the `comment` property of
the comment they answer), author links only to http(s) with
rel="nofollow ugc".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import Markup

from .load import iso
from .model import Conversation
from .sanitize import body_html
from .thread import Node, thread

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "partials/winwin/comments.html"


@dataclass(frozen=True)
class CommentView:
    id: str
    anchor: str  # the HTML id, "comment-<id>"
    author: str
    author_url: str  # http(s) or ""
    date_iso: str  # for <time datetime>
    date_text: str  # "4 March 2011"
    body: Markup  # sanitised HTML
    source: str
    link: str  # where it was first posted, or ""
    link_host: str
    in_reply_to: str  # the author it answers, "" at the top level
    in_reply_to_anchor: str
    depth: int
    isso_id: str  # Isso's own number for comments pulled from Isso, else ""
    replies: tuple["CommentView", ...] = ()


@dataclass(frozen=True)
class PageView:
    page: str
    count: int  # comments shown
    heading: str  # "3 replies"
    reactions: str  # "12 likes, 3 reposts on the social web", or ""
    comments: tuple[CommentView, ...]
    live_isso: bool = False  # the page also loads the Isso widget

    @property
    def has_isso_comments(self) -> bool:
        return any(c.isso_id for c in _walk(self.comments))


def _walk(views):
    for v in views:
        yield v
        yield from _walk(v.replies)


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def replies_label(n: int) -> str:
    return plural(n, "reply", "replies")


def reactions_label(likes: int, reposts: int) -> str:
    parts = [plural(likes, "like", "likes")] if likes else []
    parts += [plural(reposts, "repost", "reposts")] if reposts else []
    return f"{', '.join(parts)} on the social web" if parts else ""


def date_text(c) -> str:
    return f"{c.date.day} {c.date:%B %Y}"


def _view(node: Node) -> CommentView:
    c, parent = node.comment, node.in_reply_to
    return CommentView(
        id=c.id, anchor=c.anchor, author=c.author, author_url=c.url,
        date_iso=iso(c.date, c.date_only), date_text=date_text(c), body=body_html(c.body),
        source=c.source, link=c.link, link_host=(urlsplit(c.link).hostname or "") if c.link else "",
        in_reply_to=parent.author if parent else "", in_reply_to_anchor=parent.anchor if parent else "",
        depth=node.depth, isso_id=c.id.removeprefix("isso-") if c.source == "isso" and c.id.startswith("isso-") else "",
        replies=tuple(_view(n) for n in node.replies),
    )


def page_view(conversation: Conversation, *, live_isso: bool = False) -> PageView | None:
    """What the page shows, or None when there is nothing to show."""
    likes = sum(r.kind == "like" for r in conversation.reactions)
    reposts = sum(r.kind == "repost" for r in conversation.reactions)
    count = len(conversation.comments)
    if not count and not likes and not reposts:
        return None
    return PageView(
        page=conversation.page, count=count,
        heading=replies_label(count) if count else "On the social web",
        reactions=reactions_label(likes, reposts),
        comments=tuple(_view(n) for n in thread(conversation.comments)),
        live_isso=live_isso,
    )


@functools.lru_cache(maxsize=1)
def environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined)


def render(view: PageView | None) -> Markup:
    """The fragment outside MkDocs (same template, same output)."""
    if view is None:
        return Markup("")
    return Markup(environment().get_template(TEMPLATE).render(winwin_comments=view))
