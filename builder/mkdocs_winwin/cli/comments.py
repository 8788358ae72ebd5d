"""`winwin comments`: see what the build shows, pull from Isso and webmentions, add an e-mailed reply.

The MkDocs side only: read mkdocs.yml, find the pages' addresses, print.
What a comment is, how pulls merge and what is hidden lives in
mkdocs_winwin.comments.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .options import CONFIG_OPTION, _fail, load_mkdocs_config

DEFAULT_MODERATION = "comments-moderation.yml"


def _moderation(config) -> str:
    prompts = config.plugins.get("winwin-prompts")
    return prompts.config.comments_moderation if prompts else DEFAULT_MODERATION


def site_pages(config) -> dict[str, str]:
    """{URL path as a browser has it: page source} for every page of the site.

    Runs the plugins up to on_files, without rendering: Material's blog gives
    posts their address there ({date}/{slug} and the like).
    """
    from urllib.parse import urlsplit

    from mkdocs.structure.files import get_files

    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    base = (urlsplit(config.site_url or "/").path or "/").rstrip("/") + "/"
    # Every page, drafts too: Material's blog marks posts excluded until it builds its own navigation.
    return {base + f.url.removeprefix("./"): f.src_uri for f in files.documentation_pages(inclusion=lambda _: True)}


def _page_arg(config, page: str) -> str:
    """A page as the docs-relative source path, from either that or a path on disk."""
    docs = Path(config.docs_dir).resolve()
    on_disk = Path(page).resolve()
    if on_disk.is_file() and docs in on_disk.parents:
        return on_disk.relative_to(docs).as_posix()
    if (docs / page).is_file():
        return Path(page).as_posix()
    _fail(f"{page}: no such page in {config.docs_dir}. Fix: give the page's path, e.g. blog/posts/my-post.md")


@click.group()
def comments() -> None:
    """Comments kept beside each page in PAGE.comments.yml (see `winwin comments list`)."""


@comments.command("list")
@CONFIG_OPTION
@click.argument("page", required=False)
def list_(config_file: str, page: str | None) -> None:
    """What the build shows for PAGE (or every page with comments), and what it hides and why."""
    from ..comments.files import read_all
    from ..comments.load import iso
    from ..comments.moderate import moderate
    from ..comments.render import reactions_label
    from ..comments.thread import thread, walk

    config = load_mkdocs_config(config_file)
    loaded = read_all(config.docs_dir, moderation=_moderation(config))
    for problem in loaded.problems:
        click.echo(f"{'warning' if problem.warning else 'error'}: {problem}", err=True)
    pages = [_page_arg(config, page)] if page else sorted(loaded.conversations)
    for name in pages:
        conversation = loaded.conversations.get(name)
        if conversation is None:
            click.echo(f"{name}: no comments")
            continue
        shown, hidden = moderate(conversation, loaded.rules)
        likes = sum(r.kind == "like" for r in shown.reactions)
        reactions = reactions_label(likes, len(shown.reactions) - likes)
        click.echo(f"{name}: {len(shown.comments)} shown, {len(hidden)} hidden" + (f"; {reactions}" if reactions else ""))
        for node in walk(thread(shown.comments)):
            c = node.comment
            answer = f"  in reply to {node.in_reply_to.author}" if node.in_reply_to else ""
            click.echo(f"  {'  ' * node.depth}{c.id}  {iso(c.date, c.date_only)}  {c.author} ({c.source}){answer}")
        for h in hidden:
            click.echo(f"  hidden  {h.comment.id}  {iso(h.comment.date, h.comment.date_only)}  "
                       f"{h.comment.author} ({h.comment.source}): {h.reason}")
    if loaded.errors:
        _fail(f"{len(loaded.errors)} error(s) in the comments of {config.docs_dir}: the build stops on them.")


def _report(pulled) -> None:
    for problem in pulled.problems:
        click.echo(f"{'warning' if problem.warning else 'left out'}: {problem}", err=True)
    for problem in pulled.stored.refused:
        click.echo(f"error: {problem}", err=True)
    for kind, n in sorted(pulled.left_out.items()):
        click.echo(f"not shown: {n} {kind} (only replies, likes and reposts are kept)")
    c = pulled.stored.changes
    click.echo(f"{pulled.source}: {c.added} new, {c.updated} updated, {c.unchanged} unchanged; "
               f"{len(pulled.stored.written)} file(s) written")
    for path in pulled.stored.written:
        click.echo(f"  {path}")
    if pulled.stored.refused:
        sys.exit(1)


@comments.command()
@CONFIG_OPTION
@click.option("--isso", metavar="URL", help="A running Isso server: its approved comments, page by page.")
@click.option("--webmentions", metavar="URL", help="A webmention.io-compatible JF2 endpoint (replies, likes, reposts).")
@click.option("--timeout", default=10.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--max-bytes", default=5 * 1024 * 1024, show_default=True, help="The largest answer accepted.")
def pull(config_file: str, isso: str | None, webmentions: str | None, timeout: float, max_bytes: int) -> None:
    """Pull comments into the PAGE.comments.yml files; safe to run again (no duplicates)."""
    from ..comments.http import Limits
    from ..comments.pull import pull_isso, pull_webmentions
    from ..errors import SourceError

    if not isso and not webmentions:
        _fail("Nothing to pull from. Fix: give --isso URL or --webmentions URL (or both).")
    config = load_mkdocs_config(config_file)
    pages = site_pages(config)
    limits = Limits(timeout=timeout, max_bytes=max_bytes)
    try:
        for url, run in ((isso, pull_isso), (webmentions, pull_webmentions)):
            if url:
                _report(run(url, config.docs_dir, pages, limits=limits))
    except SourceError as exc:
        _fail(f"Nothing was written from this source: {exc}")


@comments.command()
@CONFIG_OPTION
@click.argument("page")
@click.option("--name", required=True, help="The author's name, as they want it shown.")
@click.option("--url", default="", help="The author's http(s) page (optional).")
@click.option("--reply-to", default="", metavar="ID", help="The id of the comment this one answers.")
@click.option("--file", "body_file", type=click.File("r", encoding="utf-8"), default="-",
              help="The reply's text (Markdown); standard input when left out.")
def add(config_file: str, page: str, name: str, url: str, reply_to: str, body_file) -> None:
    """Add a reply that came by e-mail (published with its author's consent) to PAGE."""
    from ..comments.add import email_comment
    from ..comments.store import existing, store

    config = load_mkdocs_config(config_file)
    page = _page_arg(config, page)
    body = body_file.read()
    now = dt.datetime.now(dt.timezone.utc)
    conversation, errors = existing(Path(config.docs_dir), page, now)
    if errors:
        _fail("\n".join(str(p) for p in errors) + "\nFix those first: nothing was added.")
    comment, problems = email_comment(conversation, name=name, body=body, url=url, reply_to=reply_to, now=now)
    if comment is None:
        _fail("\n".join(str(p) for p in problems))
    if comment.id in conversation.by_id():
        click.echo(f"{conversation.file}: already has this reply as {comment.id}; nothing changed.")
        return
    store(config.docs_dir, {page: [comment]}, now=now)
    click.echo(f"{conversation.file}: added {comment.id} by {comment.author}")
