"""`winwin import SOURCE`: bring an existing blog in (Blogger, WordPress, any feed)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import CONFIG_OPTION, _fail, load_mkdocs_config


def _label_theme(values: tuple[str, ...]) -> dict[str, str]:
    mapping = {}
    for value in values:
        label, sep, theme = value.rpartition("=")
        if not sep or not label.strip() or not theme.strip():
            raise click.BadParameter(f"'{value}' is not LABEL=THEME, e.g. --label-theme 'Small talk=good-conversation'")
        mapping[" ".join(label.split())] = theme.strip()
    return mapping


def _site(config_file: str):
    """The site's docs folder, blog settings and guide themes, read from mkdocs.yml."""
    config = load_mkdocs_config(config_file)
    blog = config.plugins.get("material/blog")
    if blog is None:
        _fail(f"{config_file}: the site has no blog. Fix: add '- blog' under 'plugins:' (Material's blog plugin).")
    winwin = config.plugins.get("winwin")
    themes: set[str] = set()
    if winwin is not None:
        from ..content.loader import Layout, load_chapters

        themes = {c.theme for c in load_chapters(Path(config.docs_dir), Layout(guide_dir=winwin.config.guide_dir), [])}
    return config, blog.config, winwin, themes


@click.command("import")
@click.argument("source")
@CONFIG_OPTION
@click.option("--dry-run", is_flag=True, help="Print what would be written; write nothing, fetch no picture.")
@click.option("--author", default="", metavar="ID", help="Credit every post to this author id of .authors.yml "
              "(default: add the blog's own authors).")
@click.option("--theme", default="", metavar="ID", help="Put every post in this guide theme (sites with a guide).")
@click.option("--label-theme", multiple=True, metavar="LABEL=ID",
              help="Put posts with this label in this guide theme; repeat for more labels.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Import only posts from this date on (YYYY-MM-DD).")
@click.option("--old-host", multiple=True, metavar="HOST",
              help="Another host name of the old blog (its images are downloaded, links to its posts rewritten); "
                   "needed for Blogger Takeout exports, which do not name the blog's address.")
@click.option("--pages-dir", default="pages", show_default=True, help="Folder of the docs for imported pages.")
@click.option("--keep-emails", is_flag=True, help="Keep the blog authors' own e-mail addresses in .authors.yml "
              "(commenters' addresses are never written).")
@click.option("--no-images", is_flag=True, help="Leave every image where it is (remote links).")
@click.option("--max-size", default=100, show_default=True, metavar="MB", help="The largest export to read.")
def import_(source: str, config_file: str, dry_run: bool, author: str, theme: str, label_theme: tuple[str, ...],
            since, old_host: tuple[str, ...], pages_dir: str, keep_emails: bool, no_images: bool,
            max_size: int) -> None:
    """Import a blog: a Blogger export (either format), a WordPress export (WXR), or an RSS/Atom/JSON feed.

    SOURCE is a file or an http(s) address. Posts, pages, comments (with their
    reply threads), authors and images are written into the site; each post
    keeps its old address as a redirect. Safe to run again: what is already
    there is left as it is, and only what is new is added.
    """
    from ..errors import WinwinError
    from ..importing.run import Options, import_blog

    folder = Path(pages_dir.strip("/"))
    if not folder.parts or ".." in folder.parts or folder.is_absolute():
        raise click.BadParameter(f"'{pages_dir}' is not a folder inside the docs folder, e.g. pages",
                                 param_hint="--pages-dir")
    config, blog, winwin, themes = _site(config_file)
    mapping = _label_theme(label_theme)
    if themes and not theme and not mapping:
        _fail(f"{config_file}: this site has a guide, so every post needs a guide theme. Fix: add --theme ID "
              f"(one of: {', '.join(sorted(themes))}) or --label-theme 'LABEL=ID' for each label.")
    unknown = sorted((({theme} if theme else set()) | set(mapping.values())) - themes)
    if unknown:
        _fail(f"{config_file}: no guide chapter has the theme {', '.join(repr(t) for t in unknown)}. "
              f"Fix: use one of: {', '.join(sorted(themes)) or '(the site has no guide)'}.")
    options = Options(
        docs_dir=Path(config.docs_dir), blog_dir=blog.blog_dir, post_dir=blog.post_dir, pages_dir=pages_dir.strip("/"), author=author,
        theme=theme, label_themes=mapping, require_themes=bool(themes), since=since.date() if since else None, dry_run=dry_run,
        keep_emails=keep_emails, images=not no_images, old_hosts=frozenset(h.lower() for h in old_host),
        max_mb=max_size, site_url=config.site_url or "", post_url_format=blog.post_url_format,
        post_url_date_format=blog.post_url_date_format,
    )
    try:
        report = import_blog(source, options)
    except WinwinError as exc:
        _fail(f"{exc}")
    click.echo(report.render())
    if winwin is None and report.redirects:
        click.secho("Note: the 'winwin' plugin is not enabled, so old addresses will not redirect. "
                    "Fix: add '- winwin' under 'plugins:' in mkdocs.yml.", fg="yellow", err=True)
