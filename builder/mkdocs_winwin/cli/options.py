"""What every `winwin` command shares: the config-file option and the way to fail."""

from __future__ import annotations

import sys

import click

CONFIG_OPTION = click.option(
    "-f", "--config-file", default="mkdocs.yml", show_default=True,
    type=click.Path(dir_okay=False), help="The site's MkDocs configuration file.",
)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


def load_mkdocs_config(config_file: str, strict: bool = False):
    """The site's MkDocs config, or a clear message and exit 1.

    `strict`: MkDocs' own config warnings (an unknown setting) fail too, as in `build --strict`.
    """
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        return load_config(config_file, strict=strict or None)
    except (MkDocsException, OSError) as exc:
        _fail(f"{config_file}: {exc}")
