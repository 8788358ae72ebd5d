"""WordPress eXtended RSS (WXR, any 1.x), read into the model.

Items are typed by `wp:post_type` (post, page, attachment, and technical
types that are not content), with `wp:status`, `wp:post_name`,
`content:encoded`, `excerpt:encoded`, `dc:creator` (an author login of the
channel's `wp:author` list), categories of domain `category` and `post_tag`,
and nested `wp:comment` elements with `wp:comment_parent` and
`wp:comment_approved` (1, 0, spam, trash).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .assemble import RawComment, attach_comments, finish_post, name_from_url
from .model import Export, ImportedAuthor, ImportedPost, LeftOut, Problem
from .xmlsafe import iter_children_of, local, namespace, parse_date, text

# WordPress.com serves a blog's own images through its CDN (i0.wp.com/<blog host>/...).
WORDPRESS_COM_IMAGE_HOSTS = frozenset({"i0.wp.com", "i1.wp.com", "i2.wp.com", "i3.wp.com"})
DRAFT_STATUSES = {"draft", "pending", "future", "private"}
APPROVED = {"1": "", "0": "unapproved", "spam": "spam", "trash": "trashed", "post-trashed": "trashed"}
_BLOCK = re.compile(r"<(p|div|h[1-6]|ul|ol|table|blockquote|pre|figure)[\s>]", re.IGNORECASE)


def autop(content: str) -> str:
    """WordPress keeps classic posts without <p>: blank lines are paragraphs, newlines <br> (its wpautop).

    Content that already has block elements (the block editor's, or HTML
    written by hand) is left as it is.
    """
    if not content.strip() or _BLOCK.search(content):
        return content
    paragraphs = [chunk.strip() for chunk in re.split(r"\n\s*\n", content.replace("\r\n", "\n")) if chunk.strip()]
    return "\n".join(f"<p>{chunk.replace(chr(10), '<br>' + chr(10))}</p>" for chunk in paragraphs)


_CAPTION = re.compile(r"\[caption[^\]]*\](.*?)\[/caption\]", re.IGNORECASE | re.DOTALL)
_CAPTION_TEXT = re.compile(r"^(.*(?:<img[^>]*>|</a>))(.*)$", re.IGNORECASE | re.DOTALL)
_EMBED_CODE = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]|\[(?:youtube|vimeo)\s+(?:url=)?[\"']?([^\]\"'\s]+)[\"']?\]",
                         re.IGNORECASE)
_OTHER_CODE = re.compile(r"\[(gallery|audio|video|playlist|contact-form(?:-7)?|wpforms|gravityform|"
                         r"soundcloud|spotify|instagram|tweet|twitter|googlemaps|code|sourcecode)\b[^\]]*\]",
                         re.IGNORECASE)


def shortcodes(content: str) -> tuple[str, list[str]]:
    """WordPress shortcodes: captions become figures, embeds links; the others are named for the report."""
    def caption(match: re.Match) -> str:
        inner = match.group(1).strip()
        split = _CAPTION_TEXT.match(inner)
        if not split or not split.group(2).strip():
            return f"<figure>{inner}</figure>"
        return f"<figure>{split.group(1)}<figcaption>{split.group(2).strip()}</figcaption></figure>"

    def embed(match: re.Match) -> str:
        url = (match.group(1) or match.group(2) or "").strip()
        return f'<p><a href="{url}">{url}</a></p>' if url.startswith(("http://", "https://")) else ""

    content = _EMBED_CODE.sub(embed, _CAPTION.sub(caption, content))
    return content, sorted({m.group(1).lower() for m in _OTHER_CODE.finditer(content)})


def _fields(item: etree._Element) -> dict[str, str]:
    """Single-valued children by local name (post_type, status, encoded...), namespaced ones by prefix-less name."""
    fields: dict[str, str] = {}
    for child in item:
        name = local(child.tag)
        if not name or name in ("category", "comment", "postmeta"):
            continue
        if name == "encoded":
            name = "excerpt" if "excerpt" in namespace(child.tag) else "content"
        fields.setdefault(name, child.text or "")
    return fields


def _comment(post_ref: str, element: etree._Element) -> RawComment:
    f = {local(child.tag): (child.text or "") for child in element}
    kind = f.get("comment_type", "").strip()
    reason = kind if kind in ("pingback", "trackback") else APPROVED.get(f.get("comment_approved", "").strip(),
                                                                         "unapproved")
    parent = f.get("comment_parent", "0").strip()
    return RawComment(
        post_ref=post_ref, id=f"wp-{f.get('comment_id', '').strip()}" if f.get("comment_id", "").strip() else "",
        parent=f"wp-{parent}" if parent not in ("", "0") else "",
        author=f.get("comment_author", "").strip() or "Anonymous", url=f.get("comment_author_url", "").strip(),
        date=parse_date(f.get("comment_date_gmt", "")) or parse_date(f.get("comment_date", "")),
        html=autop(f.get("comment_content", "")), left_out=reason,
    )


def _author(element: etree._Element) -> ImportedAuthor:
    f = {local(child.tag): text(child) for child in element}
    login = f.get("author_login", "")
    # dc:creator and author_login differ in case in real exports ('bob' and 'Bob'): keys are lowercase.
    return ImportedAuthor(login.lower(), f.get("author_display_name") or login, f.get("author_email", ""))


def parse_wxr(path: Path, where: str) -> Export:
    posts: list[ImportedPost] = []
    comments: list[RawComment] = []
    authors: dict[str, ImportedAuthor] = {}
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    title = site_url = ""
    hosts: set[str] = set()
    for element in iter_children_of(path, "channel", where):
        name = local(element.tag)
        if name == "title":
            title = text(element)
        elif name in ("link", "base_site_url", "base_blog_url"):
            site_url = site_url or text(element)
            hosts.add(urlsplit(text(element)).hostname or "")
        elif name == "author":
            author = _author(element)
            authors.setdefault(author.key, author)
        if name != "item":
            continue
        f = _fields(element)
        post_type, status = f.get("post_type", "post").strip(), f.get("status", "").strip()
        if post_type == "attachment":
            hosts.add(urlsplit(f.get("attachment_url", "")).hostname or "")
            continue
        if post_type not in ("post", "page"):
            continue  # menus, revisions, blocks, custom types: not content of the blog
        source_id = f"wp-{f.get('post_id', '').strip()}"
        # WordPress keeps some characters of titles as HTML entities ('l&#039;&eacute;').
        item_title = html_lib.unescape(f.get("title", "").strip())
        if status in ("trash", "auto-draft", "inherit"):
            left_out.append(LeftOut(post_type, item_title or source_id, "trashed" if status == "trash" else status))
            continue
        link = f.get("link", "").strip()
        old_path = urlsplit(link).path if link else ""
        old_url = link if old_path not in ("", "/") else ""  # '/?p=42' is not a permalink
        labels = []
        for category in element:
            if local(category.tag) == "category" and category.get("domain") in ("category", "post_tag"):
                label = " ".join(text(category).split())
                if label and label != "Uncategorized" and label not in labels:
                    labels.append(label)
        date = parse_date(f.get("post_date_gmt", "")) or parse_date(f.get("post_date", "")) or \
            parse_date(f.get("pubDate", ""))
        protected = bool(f.get("post_password", "").strip())
        if protected:
            problems.append(Problem(item_title or source_id, "was protected by a password on WordPress; it is "
                                    "imported as a draft, since a static site cannot ask for one",
                                    "publish it (remove 'draft: true') only if it may be public"))
        content, unknown = shortcodes(f.get("content", ""))
        if unknown:
            problems.append(Problem(item_title or source_id, "uses WordPress shortcodes that only WordPress "
                                    f"understands ({', '.join(f'[{c}]' for c in unknown)}); they are kept as text",
                                    "replace each with Markdown (an image, a link, a code block) in the post"))
        post = finish_post(ImportedPost(
            source_id=source_id, kind=post_type, title=item_title, date=date,
            html=autop(content), excerpt=f.get("excerpt", "").strip(),
            author=f.get("creator", "").strip().lower(), labels=tuple(labels), draft=status in DRAFT_STATUSES or protected,
            old_url=old_url, name=unquote(f.get("post_name", "").strip()) or name_from_url(old_url),
        ), problems)
        if post is not None:
            posts.append(post)
        for child in element:
            if local(child.tag) == "comment":
                comments.append(_comment(source_id, child))
    posts = attach_comments(posts, comments, left_out, problems)
    hosts.discard("")
    if any(h.endswith((".wordpress.com", ".files.wordpress.com")) for h in hosts):
        hosts |= WORDPRESS_COM_IMAGE_HOSTS
    used = {p.author for p in posts}
    return Export("wordpress", title, site_url, tuple(posts), tuple(a for a in authors.values() if a.key in used),
                  tuple(left_out), tuple(problems), frozenset(hosts))
