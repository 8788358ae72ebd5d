"""Weave the guide and the blog together: pure Markdown and HTML generation, no I/O.

A chapter's community pointers are Markdown with links between source files
(`../blog/posts/x.md`), so MkDocs resolves them to whatever URL the blog gives
a post, and `--strict` catches a link that points nowhere.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping
from html import escape

from .content import Author, Chapter, Post

COMMUNITY_HEADING = "Pointers from the community"


def relative_link(source: str, target: str) -> str:
    """The link from one docs-relative Markdown file to another."""
    return posixpath.relpath(target, posixpath.dirname(source) or ".")


def _byline(post: Post, authors: Mapping[str, Author]) -> str:
    names = [authors[a].name if a in authors else a for a in post.authors]
    return ", ".join(names)


def community_section(
    chapter: Chapter,
    posts: Iterable[Post],
    authors: Mapping[str, Author],
    contribute_page: str | None = None,
    heading: str = COMMUNITY_HEADING,
) -> str:
    """The Markdown appended to a chapter: its theme's posts, newest first."""
    lines = ["", "", f"## {heading} {{ #community-pointers }}", ""]
    items = list(posts)
    for post in items:
        link = relative_link(chapter.path, post.path)
        when = post.date.strftime("%B %-d, %Y")
        lines.append(
            f"- [{_escape(post.title)}]({link}) by {_escape(_byline(post, authors))}, "
            f"{when}. {_escape(post.description)}"
        )
    if not items:
        lines.append("No pointers on this theme yet.")
    if contribute_page:
        lines += ["", f"[Share your own pointers]({relative_link(chapter.path, contribute_page)})"]
    return "\n".join(lines) + "\n"


def guide_links(post: Post, chapters: Mapping[str, Chapter], href: Callable[[str], str]) -> str:
    """The HTML appended to a rendered post: links to the guide chapters it belongs to.

    HTML rather than Markdown, appended after rendering: it needs no Markdown
    extension, and Material's blog, which renders every post's Markdown again
    for each listing page, never pays for it. `href(chapter_path)` gives the
    link from the post's page to a chapter's page.
    """
    links = [
        f'<a href="{escape(href(chapters[t].path))}">{escape(chapters[t].title)}</a>'
        for t in post.themes if t in chapters
    ]
    if not links:
        return ""
    return (
        '\n<nav class="winwin-guide-links" aria-label="In the guide">\n'
        f"<p><strong>In the guide:</strong> {' · '.join(links)}</p>\n"
        "</nav>\n"
    )


def _escape(text: str) -> str:
    """Keep user text from being read as Markdown link syntax."""
    return text.replace("[", r"\[").replace("]", r"\]")
