"""Blogger's two export formats, read into the model.

Classic export (Settings > Back up content, an Atom file): each entry is typed
by a category of scheme `http://schemas.google.com/g/2005#kind` whose term ends
in `#post`, `#page`, `#comment`, `#settings` or `#template`; drafts carry
`app:control/app:draft` = yes; labels are categories of scheme
`http://www.blogger.com/atom/ns#`; a comment names its post in
`thr:in-reply-to` and the comment it answers in a `related` link ending in
`/comments/default/<id>`.

Takeout export (`feed.atom`, namespace `http://schemas.google.com/blogger/2018`):
`blogger:type` (POST, PAGE, COMMENT), `blogger:status` (LIVE, DRAFT, ...),
`blogger:trashed` (a date when trashed), `blogger:filename` (the old path),
`blogger:parent` (a comment's post) and `blogger:inReplyTo` (its parent).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from .assemble import RawComment, attach_comments, comment_id, finish_post, name_from_url
from .model import Export, ImportedAuthor, ImportedPost, LeftOut, Problem
from .xmlsafe import iter_children_of, local, parse_date, text

KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
# Where Blogger keeps the images of every blog, whatever its own domain (and
# their subdomains: 1.bp.blogspot.com ...).
BLOGGER_IMAGE_HOSTS = frozenset({"blogger.googleusercontent.com", "bp.blogspot.com"})
# The prefixes Blogger exports use; some copies lose their declarations (see xmlsafe).
PREFIXES = {"app": "http://purl.org/atom/app#", "thr": "http://purl.org/syndication/thread/1.0",
            "gd": "http://schemas.google.com/g/2005", "georss": "http://www.georss.org/georss",
            "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/", "blogger": "http://schemas.google.com/blogger/2018"}
# Blogger's stand-in picture for people without one: not worth fetching.
DEFAULT_AVATARS = ("img1.blogblog.com", "img2.blogblog.com", "/img/b16-rounded.gif", "/img/blank.gif")


def _children(entry: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in entry if local(child.tag) == name]


def _child(entry: etree._Element, name: str) -> etree._Element | None:
    found = _children(entry, name)
    return found[0] if found else None


def _link(entry: etree._Element, rel: str) -> str:
    for link in _children(entry, "link"):
        if link.get("rel") == rel and (rel != "alternate" or link.get("type", "text/html") == "text/html"):
            return link.get("href", "")
    return ""


def _author(entry: etree._Element) -> ImportedAuthor:
    element = _child(entry, "author")
    if element is None:
        return ImportedAuthor("", "")
    name, uri = text(_child(element, "name")), text(_child(element, "uri"))
    email = text(_child(element, "email"))
    image = _child(element, "image")
    avatar = image.get("src", "") if image is not None else ""
    if avatar.startswith("//"):
        avatar = "https:" + avatar
    if any(marker in avatar for marker in DEFAULT_AVATARS):
        avatar = ""
    return ImportedAuthor(uri or name, name, "" if email == "noreply@blogger.com" else email, uri, avatar)


def _entry_kind(entry: etree._Element, takeout: bool) -> str:
    if takeout:
        return text(_child(entry, "type")).lower()
    for category in _children(entry, "category"):
        if category.get("scheme") == KIND_SCHEME:
            return category.get("term", "").rsplit("#", 1)[-1]
    return ""


def _labels(entry: etree._Element) -> tuple[str, ...]:
    """Every category but the kind: labels (scheme blogger.com/atom/ns# in the classic export, none in Takeout)."""
    labels = []
    for category in _children(entry, "category"):
        if category.get("scheme") == KIND_SCHEME:
            continue
        term = " ".join(category.get("term", "").split())
        if term and term not in labels:
            labels.append(term)
    return tuple(labels)


def _is_draft(entry: etree._Element) -> bool:
    control = _child(entry, "control")
    return control is not None and text(_child(control, "draft")).lower() == "yes"


def _comment_parent(entry: etree._Element, takeout: bool) -> str:
    if takeout:
        return comment_id("blogger", text(_child(entry, "inReplyTo")))
    for link in _children(entry, "link"):
        href = link.get("href", "")
        if link.get("rel") == "related" and "/comments/default/" in href:
            return "blogger-" + href.rstrip("/").rsplit("/", 1)[-1]
    return ""


def _comment_left_out(entry: etree._Element, takeout: bool) -> str:
    for prop in _children(entry, "extendedProperty"):
        if prop.get("name") == "blogger.contentRemoved" and prop.get("value") == "true":
            return "deleted"
    if not takeout:
        return ""
    if text(_child(entry, "trashed")):
        return "trashed"
    status = text(_child(entry, "status")).upper()
    if status in ("", "LIVE"):
        return ""
    if "SPAM" in status:
        return "spam"
    if status in ("DELETED", "SOFT_TRASHED", "TRASHED"):
        return "deleted" if status == "DELETED" else "trashed"
    return "unapproved"


def parse_blogger(path: Path, where: str, takeout: bool) -> Export:
    """Read a Blogger export of either format (streamed) into the model."""
    posts: list[ImportedPost] = []
    comments: list[RawComment] = []
    authors: dict[str, ImportedAuthor] = {}
    left_out: list[LeftOut] = []
    problems: list[Problem] = []
    title, site_url = "", ""
    for element in iter_children_of(path, "feed", where, declare=PREFIXES):
        name = local(element.tag)
        if name == "title":
            title = text(element)
        elif name == "link" and element.get("rel") == "alternate":
            site_url = element.get("href", "")
        if name != "entry":
            continue
        kind = _entry_kind(element, takeout)
        content = _child(element, "content")
        html = (content.text or "") if content is not None else ""
        date = parse_date(text(_child(element, "published"))) or parse_date(text(_child(element, "updated")))
        source_id = text(_child(element, "id"))
        author = _author(element)
        if kind == "comment":
            if takeout:
                post_ref = text(_child(element, "parent"))
            else:
                reply = _child(element, "in-reply-to")
                post_ref = reply.get("ref", "") if reply is not None else ""
            comments.append(RawComment(
                post_ref, comment_id("blogger", source_id), _comment_parent(element, takeout),
                author.name or "Anonymous", author.url, date, html, _comment_left_out(element, takeout),
            ))
            continue
        if kind not in ("post", "page"):
            continue  # settings, template, layout: nothing to import
        entry_title = text(_child(element, "title"))
        if takeout:
            status = text(_child(element, "status")).upper()
            old_path = text(_child(element, "filename"))
            old_url = old_path if old_path.startswith("/") else ""
            if text(_child(element, "trashed")) or status in ("SOFT_TRASHED", "DELETED"):
                left_out.append(LeftOut(kind, entry_title or source_id, "trashed"))
                continue
            draft = status not in ("LIVE", "")
            excerpt = text(_child(element, "metaDescription"))
        else:
            old_url = _link(element, "alternate")
            draft = _is_draft(element)
            excerpt = ""
        if author.key and author.key not in authors:
            authors[author.key] = author
        post = finish_post(ImportedPost(
            source_id=source_id, kind=kind, title=entry_title, date=date, html=html, excerpt=excerpt,
            author=author.key, labels=_labels(element), draft=draft, old_url=old_url,
            name=name_from_url(old_url),
        ), problems)
        if post is not None:
            posts.append(post)
    posts = attach_comments(posts, comments, left_out, problems)
    hosts = set(BLOGGER_IMAGE_HOSTS)
    if site_url:
        hosts.add(urlsplit(site_url).hostname or "")
    hosts.update(urlsplit(p.old_url).hostname or "" for p in posts)
    hosts.discard("")
    return Export("blogger-takeout" if takeout else "blogger-classic", title, site_url, tuple(posts),
                  tuple(authors.values()), tuple(left_out), tuple(problems), frozenset(hosts))
