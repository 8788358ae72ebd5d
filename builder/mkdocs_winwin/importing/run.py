"""`import_blog()`: read an export, plan every file, stage them, move them in, report.

Read all and check all first (the parsers), then write (Pelican's pipeline):
nothing reaches the docs folder unless the whole import went well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import frontmatter
import yaml

from ..comments.files import dump as dump_conversation
from ..comments.load import parse_conversation
from ..comments.merge import merge
from ..comments.model import Comment, Conversation, comments_file
from ..content.loader import Layout
from ..errors import ContentError
from . import files
from .assemble import slugify
from .authors import Authors
from .blogger import parse_blogger
from .feed import parse_feed
from .fetch import Fetcher, any_host
from .images import Images, on_hosts
from .markdown import description, to_markdown
from .model import Export, ImportedPost, Problem
from ..redirects import alias_problem
from .report import Report
from .source import DEFAULT_MAX_MB, open_source
from .write import Staging
from .wxr import parse_wxr


@dataclass(frozen=True)
class Options:
    """Where the site keeps things and what the user asked for."""

    docs_dir: Path
    blog_dir: str = "blog"
    post_dir: str = "{blog}/posts"  # Material's blog setting
    pages_dir: str = "pages"
    author: str = ""  # --author: an author id of .authors.yml for every post
    theme: str = ""  # --theme: a guide theme id for every post
    label_themes: dict[str, str] = field(default_factory=dict)  # label -> theme id
    require_themes: bool = False  # the site has a guide: every post needs a theme
    since: dt.date | None = None
    dry_run: bool = False
    keep_emails: bool = False
    images: bool = True
    old_hosts: frozenset[str] = frozenset()  # more hosts of the old blog (--old-host)
    max_mb: int = DEFAULT_MAX_MB
    timeout: float = 10.0
    max_image_bytes: int = 10 * 1024 * 1024
    site_url: str = ""  # the new site's address, for the old-to-new list
    post_url_format: str = "{date}/{slug}"
    post_url_date_format: str = "yyyy/MM/dd"
    allow_host: Callable[[str], bool] = any_host  # which hosts may be contacted at all
    progress: bool | None = None  # None: a progress bar only on a terminal

    @property
    def posts_dir(self) -> str:
        return Layout(blog_dir=self.blog_dir, post_dir=self.post_dir).posts_dir

    @property
    def authors_file(self) -> str:
        return Layout(blog_dir=self.blog_dir).authors_file


def parse(source_path: Path, where: str, kind: str) -> Export:
    if kind in ("blogger-classic", "blogger-takeout"):
        return parse_blogger(source_path, where, takeout=kind == "blogger-takeout")
    if kind == "wordpress":
        return parse_wxr(source_path, where)
    return parse_feed(source_path, where, kind)


def import_blog(source: str, options: Options) -> Report:
    """Import one export into the docs folder; raise a WinwinError for what stops it all."""
    fetcher = Fetcher(timeout=options.timeout, allow=options.allow_host)
    try:
        opened = open_source(source, options.max_mb, Fetcher(timeout=max(options.timeout, 60.0),
                                                             allow=options.allow_host))
        try:
            export = parse(opened.path, source, opened.kind)
        finally:
            if opened.temporary:
                opened.path.unlink(missing_ok=True)
        return _Importer(export, options, fetcher, source).run()
    finally:
        fetcher.close()


def _date_part(date: dt.datetime, pattern: str) -> str:
    """Material's post_url_date_format for the common patterns (yyyy, MM, dd)."""
    return pattern.replace("yyyy", f"{date:%Y}").replace("MM", f"{date:%m}").replace("dd", f"{date:%d}")


class _Importer:
    def __init__(self, export: Export, options: Options, fetcher: Fetcher, source: str) -> None:
        self.export, self.options, self.source = export, options, source
        self.docs = Path(options.docs_dir)
        self.staging = Staging(self.docs, dry_run=options.dry_run)
        self.report = Report(source, export.label, is_feed=export.is_feed, dry_run=options.dry_run,
                             pages_dir=f"{options.docs_dir.name}/{options.pages_dir}", images_off=not options.images)
        self.report.left_out.extend(export.left_out)
        self.report.problems.extend(export.problems)
        self.images = Images(
            hosts=export.image_hosts | options.old_hosts, store=self.staging.add, exists=self.staging.exists,
            fetcher=None if options.dry_run or not options.images else fetcher,
            max_bytes=options.max_image_bytes,
        )
        self.fetcher = fetcher
        self.authors = Authors(export, options, self.staging,
                               fetcher if options.images and not options.dry_run else None)
        self.now = dt.datetime.now(dt.timezone.utc)
        self.links: dict[str, str] | None = None
        self.used_aliases: set[str] = set()

    # -- the whole run ----------------------------------------------------------------

    def run(self) -> Report:
        try:
            self.authors.load()
            posts = self._select(self.export.posts)
            placed = self._place(posts)
            for post, rel, state in self._progress(placed):
                self._write_post(post, rel, state, placed)
            self.authors.write()
            self.report.images_fetched = sum(1 for p in self.images.fetched.values() if p in self.staging.files)
            self.report.images_planned = self.images.planned
            self.report.images_remote = {url: f"{why} (in '{self.images.used_by.get(url, '?')}')"
                                         for url, why in self.images.failed.items()}
            self.report.written = sorted(p for p in self.staging.files if p not in self.staging.replaced)
            self.report.updated = sorted(self.staging.replaced)
            self.staging.commit()
        finally:
            self.images.close()
            self.staging.discard()
        return self.report

    def _progress(self, items: list) -> Any:
        show = self.options.progress if self.options.progress is not None else sys.stderr.isatty()
        if not show:
            return items
        from tqdm import tqdm

        return tqdm(items, desc="Importing", unit="post", file=sys.stderr)

    def _select(self, posts: tuple[ImportedPost, ...]) -> list[ImportedPost]:
        if self.options.since is None:
            return list(posts)
        since = dt.datetime.combine(self.options.since, dt.time(), dt.timezone.utc)
        kept = [p for p in posts if p.date is not None and p.date >= since]
        self.report.skipped_older = len(posts) - len(kept)
        return kept

    # -- where each post goes ---------------------------------------------------------

    def _folder(self, post: ImportedPost) -> str:
        return self.options.posts_dir if post.kind == "post" else self.options.pages_dir

    def _aliases(self, post: ImportedPost) -> list[str]:
        if not post.old_url:
            return []
        path = unquote(urlsplit(post.old_url).path)
        if alias_problem(path):
            return []
        return [path]

    def _same_post(self, rel: str, post: ImportedPost) -> bool:
        """Is the file already there this post, from an earlier import?"""
        data = self.staging.read(rel)
        if data is None:
            return False
        try:
            meta = frontmatter.loads(data.decode("utf-8")).metadata
        except (ValueError, yaml.YAMLError):
            return False
        aliases = meta.get("aliases") or []
        mine = self._aliases(post)
        if mine and isinstance(aliases, list) and mine[0] in aliases:
            return True
        # No old address to go by (a feed item, a duplicate whose address went to the first copy): the title.
        return not aliases and meta.get("title") == post.title

    def _place(self, posts: list[ImportedPost]) -> list[tuple[ImportedPost, str, str]]:
        """Each post's file and state: 'new' or 'there' (imported before); duplicates renamed."""
        placed, claimed = [], set()
        for post in posts:
            # A title in a script without Latin letters slugs to '': name it after its id, the same every run.
            base = slugify(post.name) or slugify(post.title) or \
                f"{post.kind}-{hashlib.sha1(post.source_id.encode('utf-8')).hexdigest()[:8]}"
            slug, n = base, 1
            while True:
                rel = f"{self._folder(post)}/{slug}.md"
                if rel not in claimed and (not self.staging.exists(rel) or self._same_post(rel, post)):
                    break
                n += 1
                slug = f"{base}-{n}"
            if slug != base and f"{self._folder(post)}/{base}.md" in claimed:
                self.report.problems.append(Problem(
                    post.title, f"another {post.kind} of the export has the same address name '{base}'; "
                    f"this one was written as '{slug}'", "check that both are wanted; rename one if you like"))
            claimed.add(rel)
            placed.append((post, rel, "there" if self.staging.exists(rel) else "new"))
        return placed

    def new_url(self, post: ImportedPost, rel: str) -> str:
        slug = posixpath.splitext(posixpath.basename(rel))[0]
        if post.kind == "post" and post.date is not None:
            path = self.options.post_url_format.format(
                date=_date_part(post.date, self.options.post_url_date_format), slug=slug, categories="",
                file=slug).replace("//", "/").strip("/")
            url = f"{self.options.blog_dir}/{path}/"
        else:
            url = f"{self.options.pages_dir}/{slug}/"
        return self.options.site_url.rstrip("/") + "/" + url if self.options.site_url else "/" + url

    # -- writing one post ---------------------------------------------------------------

    def _write_post(self, post: ImportedPost, rel: str, state: str, placed: list) -> None:
        slug = posixpath.splitext(posixpath.basename(rel))[0]
        folder = posixpath.dirname(rel)
        aliases = self._aliases(post)
        if aliases and aliases[0] in self.used_aliases:
            self.report.problems.append(Problem(
                post.title, f"has the same old address as an earlier entry ({aliases[0]}), which keeps it",
                "check whether the export holds this post twice; delete the copy you do not want"))
            aliases = []
        self.used_aliases.update(aliases)
        if post.old_url and not aliases and alias_problem(unquote(urlsplit(post.old_url).path)) \
                and urlsplit(post.old_url).path not in ("", "/"):
            self.report.problems.append(Problem(
                post.title, f"its old address {post.old_url} cannot get a redirect "
                f"({alias_problem(unquote(urlsplit(post.old_url).path))})",
                "redirect it on the old host, or let it go"))
        if post.kind == "page":
            self.report.pages += 1
        else:
            self.report.posts += 1
        self.report.drafts += post.draft
        self.report.redirects += len(aliases) if not post.draft else 0
        if post.old_url:
            old = post.old_url
            if old.startswith("/") and len(self.options.old_hosts) == 1:  # Takeout gives paths only
                old = f"https://{next(iter(self.options.old_hosts))}{old}"
            self.report.urls.append((old, self.new_url(post, rel)))
        if state == "there":
            self.report.unchanged += 1
        else:
            self.images.prefetch(post.html, slug, base=post.old_url)
            body = self._markdown(post.html, post, slug, folder, placed)
            self.staging.add(rel, files.post_file(self._meta(post, slug, aliases), body).encode("utf-8"))
            self.images.settle()
        self._write_comments(post, rel, slug, folder, placed)

    def _markdown(self, html: str, post: ImportedPost, slug: str, folder: str, placed: list) -> str:
        links = self._links(placed)
        hosts = self.images.hosts

        def image(src: str) -> str:
            local = self.images.resolve(src, slug, post.title, base=post.old_url)
            return posixpath.relpath(local, folder) if local else src

        def link(href: str) -> str:
            # A link to another post of the old blog: by its full address, or site-relative ('/2011/03/x.html').
            parts = urlsplit(href)
            ours = on_hosts(href, hosts) or (not parts.scheme and not parts.netloc and href.startswith("/"))
            target = links.get(unquote(parts.path).rstrip("/")) if ours else None
            return posixpath.relpath(target, folder) if target else href

        return to_markdown(html, image=image, link=link)

    def _links(self, placed: list) -> dict[str, str]:
        """Old path -> new file of every published post, to rewrite links between them (drafts are not built)."""
        if self.links is None:
            self.links = {unquote(urlsplit(other.old_url).path).rstrip("/"): other_rel
                          for other, other_rel, _ in placed if other.old_url and not other.draft}
        return self.links

    def _meta(self, post: ImportedPost, slug: str, aliases: list[str]) -> dict[str, Any]:
        about = description(post.excerpt) if post.excerpt else ""
        about = about or description(post.html) or post.title
        meta: dict[str, Any] = {"title": post.title}
        if post.kind == "post":
            meta["date"] = post.date
            meta["authors"] = [self.authors.id_for(post.author)]
            themes = sorted({self.options.label_themes[l] for l in post.labels if l in self.options.label_themes}
                            | ({self.options.theme} if self.options.theme else set()))
            if themes:
                meta["themes"] = themes
            elif self.options.require_themes:
                self.report.problems.append(Problem(
                    post.title, "has no guide theme: none of its labels is given one with --label-theme",
                    "add 'themes:' to the post, or import again with --label-theme or --theme"))
            if post.labels:
                meta["tags"] = list(post.labels)
        meta["description"] = about
        if post.draft:
            meta["draft"] = True
        if post.kind == "post":
            meta["slug"] = slug
        if aliases:
            meta["aliases"] = aliases
        return meta

    def _write_comments(self, post: ImportedPost, rel: str, slug: str, folder: str, placed: list) -> None:
        """Add the post's comments to its conversation file (the comments feature's format).

        Only comments whose id is not in the file yet are added: a second
        import adds nothing, and a comment edited or moderated since stays so.
        """
        if not post.comments:
            return
        comments_rel = comments_file(rel)
        current = Conversation(rel)
        old = self.staging.read(comments_rel)
        if old is not None:
            current, errors = parse_conversation(old.decode("utf-8", "replace"), comments_rel, rel, self.now)
            errors = [e for e in errors if not e.warning]
            if errors:
                raise ContentError(comments_rel, f"has {len(errors)} problem(s), so imported comments cannot be "
                                   f"added (first: {errors[0]})", "fix the file, then import again; nothing was written")
        known = set(current.by_id())
        added = []
        for comment in post.comments:
            self.report.comments_kept += 1
            if comment.id in known:
                continue
            body = self._markdown(comment.html, post, slug, folder, placed).strip("\n")
            if len(body) > files.MAX_COMMENT_CHARS:
                self.report.problems.append(Problem(post.title, f"comment {comment.id} is longer than "
                                                    f"{files.MAX_COMMENT_CHARS:,} characters and was cut",
                                                    "nothing to do, or shorten it by hand"))
                body = body[: files.MAX_COMMENT_CHARS - 1]
            added.append(Comment(id=comment.id, author=files.clean_author(comment.author),
                                 date=comment.date.astimezone(dt.timezone.utc), source="import",
                                 body=(body or "(empty)") + "\n", parent=comment.parent,
                                 url=files.clean_url(comment.url)))
        if added:
            merged, _ = merge(current, added)
            self.staging.add(comments_rel, dump_conversation(merged).encode("utf-8"))
