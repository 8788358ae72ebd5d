"""The `winwin` command: build, serve, check, and scaffold new posts.

Heavy imports (mkdocs, the content model) happen inside the commands, so
`winwin --help` stays instant.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from .options import CONFIG_OPTION, _fail, load_mkdocs_config


def _site_settings(config_file: str, strict: bool = False):
    """The MkDocs config and our plugin's content layout, without building."""
    from ..plugins.core import site_layout

    config = load_mkdocs_config(config_file, strict)
    plugin = config.plugins.get("winwin")
    if plugin is None:
        _fail(f"{config_file}: the 'winwin' plugin is not enabled. Fix: add '- winwin' under 'plugins:'.")
    return config, site_layout(config, plugin.config)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mkdocs-winwin")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Publish a give-first networking guide, pointer posts and a reading list."""
    # MkDocs' own CLI prints its log; without a handler here, `build --strict`
    # would say "Aborted with 1 warnings" and never show the warning.
    import logging

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.INFO if ctx.invoked_subcommand == "serve" else logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.INFO)
    mkdocs_log.addHandler(handler)

    def restore() -> None:  # leave logging as found when called in-process (tests)
        mkdocs_log.removeHandler(handler)
        mkdocs_log.setLevel(level)

    ctx.call_on_close(restore)


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False), help="Where to write the site.")
@click.option("--fetch", "fetch_first", is_flag=True,
              help="Fetch the reading list's feeds first (`winwin feeds fetch`); else the build is offline.")
def build(config_file: str, strict: bool, site_dir: str | None, fetch_first: bool) -> None:
    """Build the site; the previous site stays in place unless the build succeeds."""
    from mkdocs.exceptions import MkDocsException

    from .build import build_site

    if fetch_first:
        from .feeds import run_fetch

        # Failing feeds keep their last good articles, so they do not stop the build.
        run_fetch(config_file)
    try:
        target = build_site(config_file, site_dir=site_dir, strict=strict)
    except MkDocsException as exc:
        _fail(f"Build failed: nothing was written (a previous site stays as it was).\n{exc}")
    except SystemExit as exc:  # mkdocs' Abort on --strict warnings
        if exc.code:
            _fail("Build failed: nothing was written (a previous site stays as it was).")
        raise
    click.echo(f"Site written to {target}")


@main.command()
@CONFIG_OPTION
@click.option("-p", "--port", default=8000, show_default=True, type=int, help="Port on 127.0.0.1.")
@click.option("--comments", is_flag=True,
              help="Also run a local Isso comment server (SQLite in .cache/winwin/isso/) and point the pages at it.")
def serve(config_file: str, port: int, comments: bool) -> None:
    """Preview the site on 127.0.0.1 with live reload; drafts are shown.

    Each edit rebuilds only what changed (the site stays built in memory), an
    open page reloads when it changed, and a content error shows on the page
    while the last good version stays up.
    """
    import os

    from ..incremental.preview import serve as preview

    if not comments:
        preview(config_file, port=port)
        return
    from ..prompts.isso import IssoError, IssoServer
    from ..plugins.prompts import ISSO_URL_ENV

    folder = Path(config_file).resolve().parent / ".cache" / "winwin" / "isso"
    try:
        origins = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
        with IssoServer(folder, site_origin=origins) as isso:
            click.echo(f"Comments: Isso on {isso.url} (database {isso.db}, log {isso.log_file})")
            os.environ[ISSO_URL_ENV] = isso.url
            try:
                preview(config_file, port=port)
            finally:
                os.environ.pop(ISSO_URL_ENV, None)
    except IssoError as exc:
        _fail(str(exc))


@main.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Fail on warnings too, as `build --strict` does.")
def check(config_file: str, strict: bool) -> None:
    """Validate everything the build would refuse (content, settings, picks) without building."""
    from ..plugins.check import site_problems

    config, layout = _site_settings(config_file, strict)
    site, problems = site_problems(config, layout)
    for problem in problems:
        label = "warning" if problem.warning else "error"
        click.echo(f"{label}: {problem}", err=True)
    errors = [p for p in problems if not p.warning]
    if errors:
        _fail(f"{len(errors)} error(s) in {config.docs_dir}.")
    if strict and problems:
        _fail(f"{len(problems)} warning(s) in {config.docs_dir}, which --strict counts as errors.")
    click.echo(f"OK: {len(site.chapters)} chapters, {len(site.posts)} posts, {len(site.authors)} authors.")


@main.group()
def new() -> None:
    """Create content from a template."""


@new.command("post")
@CONFIG_OPTION
@click.argument("title")
@click.option("--author", "authors", multiple=True, required=True, help="Author id from .authors.yml (repeatable).")
@click.option("--theme", "themes", multiple=True, required=True, help="Guide theme id (repeatable).")
@click.option("--description", default="", help="One line on why these pointers help.")
def new_post(config_file: str, title: str, authors: tuple[str, ...], themes: tuple[str, ...],
             description: str) -> None:
    """Write a new draft pointer post and print its path.

    The post is dated today, or on the (UTC) day of SOURCE_DATE_EPOCH when it is set.
    """
    from ..content.loader import load_site
    from ..content.scaffold import post_file_name, render_post

    config, layout = _site_settings(config_file)
    site = load_site(config.docs_dir, layout)
    bad = [f"unknown author '{a}' (valid: {', '.join(sorted(site.authors))})"
           for a in authors if a not in site.authors]
    bad += [f"unknown theme '{t}' (valid: {', '.join(sorted(site.themes))})"
            for t in themes if t not in site.themes]
    if bad:
        _fail("Cannot create the post: " + "; ".join(bad) + ".")
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    today = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch.isdigit() else dt.date.today()
    path = Path(config.docs_dir, layout.posts_dir, post_file_name(title, today))
    if path.exists():
        _fail(f"{path} already exists; not overwriting it. Pick another title or edit that file.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_post(title, today, authors, themes, description), encoding="utf-8")
    click.echo(str(path))




def _add_subcommands() -> None:
    from .comments import comments
    from .feeds import feeds
    from .importing import import_

    main.add_command(comments)
    main.add_command(feeds)
    main.add_command(import_)


_add_subcommands()
