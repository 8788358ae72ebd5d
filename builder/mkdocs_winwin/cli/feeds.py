"""`winwin feeds`: fetch the reading list's sources, and import/export them as OPML.

Exit status of `feeds fetch` (and of the fetch step of `winwin build --fetch`):
0 when at least one source was fetched or skipped as asked (failing sources
keep their last good articles and are listed in the report), 1 when every
source that was tried failed (usually: no network, or a broken config), and
with `--strict` 1 as soon as any source failed.

`feeds import` prints the `sources:` block to paste into mkdocs.yml rather than
editing it: a YAML round-trip would drop the file's comments and the
`!!python/name` tags Material's emoji settings need.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .options import CONFIG_OPTION, _fail
from ..reading_list.sources import PLUGIN_NAME


def _reading_list(config_file: str):
    """(mkdocs config, plugin settings, sources, config folder) of the site, or a clear failure."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    from ..reading_list.sources import SourceError, load_sources

    try:
        config = load_config(config_file)
    except (ConfigurationError, OSError) as exc:
        _fail(f"{config_file}: {exc}")
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        _fail(f"{config_file}: the '{PLUGIN_NAME}' plugin is not enabled. "
              f"Fix: add '- {PLUGIN_NAME}:' with a 'sources:' list under 'plugins:'.")
    config_dir = Path(config.config_file_path).resolve().parent
    try:
        sources = load_sources(plugin.config.sources, config_dir)
    except SourceError as exc:
        _fail(f"{config_file}, plugin '{PLUGIN_NAME}': {exc}")
    return config, plugin.config, sources, config_dir


def run_fetch(config_file: str, strict: bool = False) -> int:
    """Fetch every http(s) source of the site into its store and print the report; returns the exit status.

    Local-file sources are not fetched: the build reads them straight from the project.
    """
    from tqdm import tqdm

    from ..errors import WinwinError
    from ..reading_list.fetch import fetch_all, fetch_settings, format_report
    from ..reading_list.store import open_store

    config, settings, sources, config_dir = _reading_list(config_file)
    try:
        fetch = fetch_settings(settings, config.site_name, config.site_url)
    except WinwinError as exc:
        _fail(f"{config_file}, plugin '{PLUGIN_NAME}': {exc}")
    local = [s for s in sources if s.is_local]
    sources = [s for s in sources if not s.is_local]
    if local:
        click.echo(f"{len(local)} local-file sources are read by the build itself, not fetched.", err=True)
    if not sources:
        click.echo(f"No http(s) sources to fetch. Add feeds under '{PLUGIN_NAME}: sources:' in {config_file}.")
        return 0
    try:
        with open_store(config_dir / settings.cache_dir) as store, \
                tqdm(total=len(sources), unit="feed", desc="Fetching", file=sys.stderr, disable=None) as bar:
            results = fetch_all(sources, store, fetch, progress=lambda result: bar.update())
            lost = store.damage.lost(store) if store.damage else []
            notes = list(store.notes)
    except WinwinError as exc:  # the store is locked, or its folder cannot be written
        _fail(f"The article store: {exc}")
    click.echo(format_report(results))
    for note in notes:
        click.secho(f"\nstore: {note}", fg="yellow", err=True)
    if lost:
        click.secho(f"{len(lost)} articles of the damaged store are in no feed any more and were not rebuilt "
                    f"(the damaged copy is kept at {store.damage.moved_to}):", fg="yellow", err=True)
        for article in lost:
            click.echo(f"  lost: {article.title} <{article.url}> (source {article.source_id})", err=True)
    failed = [r for r in results if r.failed]
    tried = [r for r in results if r.outcome != "skipped"]
    if failed and (strict or len(failed) == len(tried)):
        return 1
    return 0


@click.group()
def feeds() -> None:
    """Follow feeds for the reading list: fetch them, import and export OPML."""


@feeds.command()
@CONFIG_OPTION
@click.option("--strict", is_flag=True, help="Exit with status 1 if any source failed.")
def fetch(config_file: str, strict: bool) -> None:
    """Fetch every source into the article store (.cache/winwin/), a bounded number at a time.

    Failing sources keep their last good articles and are reported at the end
    with their URL, what happened and what to do. Exit status: 1 when every
    source tried failed (or, with --strict, when any did), else 0.
    """
    sys.exit(run_fetch(config_file, strict))


@feeds.command("import")
@CONFIG_OPTION
@click.argument("opml_file", type=click.Path(exists=True, dir_okay=False))
def import_(config_file: str, opml_file: str) -> None:
    """Print the feeds of OPML_FILE as a `sources:` block to paste into mkdocs.yml.

    Feeds already among the site's sources are left out. mkdocs.yml is not
    edited: pasting keeps its comments and layout.
    """
    from ..reading_list.sources import SourceError, parse_opml, remote_only, source_id, sources_yaml

    try:
        found = parse_opml(Path(opml_file).read_bytes(), origin=opml_file)
    except SourceError as exc:
        _fail(str(exc))
    found, dropped = remote_only(found)
    known = set()
    if Path(config_file).exists():
        known = {s.id for s in _reading_list(config_file)[2]}
    new = [item for item in found if source_id(item["url"]) not in known]
    if new:
        click.echo(sources_yaml(new), nl=False)
    if dropped:
        click.echo(f"Left out {len(dropped)} entries that are not http(s) feed URLs:", err=True)
        for url in dropped:
            click.echo(f"  {url!r}", err=True)
    click.echo(
        f"{len(found)} feeds in {opml_file}, {len(found) - len(new)} already in {config_file}. "
        + (f"Paste the block above under '{PLUGIN_NAME}:' -> 'sources:' in {config_file}." if new else ""),
        err=True,
    )


@feeds.command()
@CONFIG_OPTION
def export(config_file: str) -> None:
    """Print the site's http(s) sources as OPML 2.0, for a feed reader."""
    from ..reading_list.sources import to_opml

    config, _, sources, _ = _reading_list(config_file)
    click.echo(to_opml(sources, f"{config.site_name}: reading list sources"), nl=False)
    local = [s.url for s in sources if s.is_local]
    if local:
        click.echo(f"Left out {len(local)} local-file sources (a feed reader cannot reach them): "
                   + ", ".join(local), err=True)


@feeds.command("list")
@CONFIG_OPTION
@click.option("--why", is_flag=True, help="Also list dropped articles, each with the rule that decided and its score.")
def list_(config_file: str, why: bool) -> None:
    """List the reading list as the next build will curate it (reads the store, offline).

    Each line: rank (or '-' when dropped), score, the rule that decided, title
    and source; with --why, every stored article and the reason in words.
    """
    from ..reading_list import page as reading_list
    from ..reading_list.curation import curate
    from ..errors import WinwinError
    from ..reading_list.assemble import build_time, curation_rules, load_picks, stored_articles

    config, settings, sources, config_dir = _reading_list(config_file)
    try:
        picks, warnings = load_picks(config.docs_dir, settings.picks_file)
    except ValueError as exc:
        _fail(str(exc))
    try:
        articles, more = stored_articles(sources, config_dir / settings.cache_dir)
    except WinwinError as exc:  # the store stayed locked by another process
        _fail(f"The article store: {exc}")
    for warning in warnings + more:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    decisions = curate(articles, curation_rules(settings, sources, picks), build_time())
    # Also what the build would warn about: pins not in the store, unsafe links.
    for warning in reading_list.build(decisions, picks, source_groups={}, group_titles={})[1]:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    kept = [d for d in decisions if d.kept]
    click.echo(f"{len(kept)} of {len(decisions)} stored articles on the reading list"
               + (f", {len(picks.manual)} manual pick(s) besides." if picks.manual else "."))
    for d in decisions if why else kept:
        rank = f"{d.rank:>3}" if d.kept else "  -"
        click.echo(f"{rank} {d.score:7.3f}  {d.rule:<18} {d.article.title}  ({d.article.source_name})")
        if why:
            click.echo(f"{'':13}{d.reason}")
            click.echo(f"{'':13}{d.article.url}")
