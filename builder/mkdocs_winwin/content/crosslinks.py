"""Weave the guide and the blog together: pure HTML and Markdown generation, no I/O.

The lists are HTML, put in after MkDocs has rendered a page: they need no
Markdown extension, cost a string join instead of a Markdown pass (a chapter
can list hundreds of posts), and Material's blog, which renders each post's
Markdown again for every listing page, never sees them. The caller passes
`href(docs_path)`, the link from the page at hand to another page's file, or
None when that page is not in the build (a draft, an excluded file): such
pages are left out rather than linked.
Both lists are kept out of the search index (Material's `data-search-exclude`):
the posts are indexed on their own pages, and a search for a chapter's title
should not return every post that links to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape

from .loader import Author, Chapter, Post

COMMUNITY_HEADING = "Pointers from the community"
COMMUNITY_ID = "community-pointers"
# Where a chapter's rendered HTML gets its list of community pointers.
COMMUNITY_MARK = "<!-- winwin:community-pointers -->"


def _byline(post: Post, authors: Mapping[str, Author]) -> str:
    names = [authors[a].name if a in authors else a for a in post.authors]
    return ", ".join(names)


def markdown_text(text: str) -> str:
    """Text safe inside a Markdown heading or link label: no markup, no brackets, no
    attribute list (`Extra {: onclick="..." }` would become an attribute of the heading)."""
    return "".join(f"&#{ord(c)};" if c in "<>&[]*_`\\#{}\"'" else c for c in " ".join(text.split()))


def community_heading(heading: str = COMMUNITY_HEADING) -> str:
    """The Markdown appended to a chapter: the section's heading, so that it is
    in the table of contents, and the mark its list replaces after rendering."""
    return f"\n\n## {markdown_text(heading)} {{ #{COMMUNITY_ID} }}\n\n{COMMUNITY_MARK}\n"


def community_list(
    posts: Iterable[Post],
    authors: Mapping[str, Author],
    href: Callable[[str], str | None],
    contribute_page: str | None = None,
) -> str:
    """The HTML under a chapter's community heading: its theme's posts, newest first."""
    items = [
        f'<li><a href="{escape(link)}">{escape(post.title)}</a> '
        f"by {escape(_byline(post, authors))}, {post.date.strftime('%B %-d, %Y')}. "
        f"{escape(post.description)}</li>"
        for post in posts if (link := href(post.path)) is not None
    ]
    body = "\n".join(items)
    html = f"<ul data-search-exclude>\n{body}\n</ul>\n" if items else "<p>No pointers on this theme yet.</p>\n"
    if contribute_page and (link := href(contribute_page)) is not None:
        html += f'<p><a href="{escape(link)}">Share your own pointers</a></p>\n'
    return html


def guide_links(post: Post, chapters: Mapping[str, Chapter], href: Callable[[str], str | None]) -> str:
    """The HTML appended to a rendered post: links to the guide chapters it belongs to."""
    links = [
        f'<a href="{escape(link)}">{escape(chapters[t].title)}</a>'
        for t in post.themes if t in chapters and (link := href(chapters[t].path)) is not None
    ]
    if not links:
        return ""
    return (
        '\n<nav class="winwin-guide-links" aria-label="In the guide" data-search-exclude>\n'
        f"<p><strong>In the guide:</strong> {' · '.join(links)}</p>\n"
        "</nav>\n"
    )
