"""The fetch settings: one frozen object from the plugin's `fetch_*` keys, checked once.

The defaults live in plugins/config.py (ReadingListConfig); these are only
what a test or the benchmark uses when it builds FetchSettings by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_ENTRIES = 1000
"""Entries read from one feed document: parsing time stays bounded whatever a feed sends."""


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 10.0  # seconds: connect, each read, and the whole request, headers and body
    max_bytes: int = DEFAULT_MAX_BYTES
    max_redirects: int = 5
    concurrency: int = 32
    user_agent: str = "winwin"
    max_entries: int = MAX_ENTRIES


def user_agent(site_name: str, site_url: str | None) -> str:
    """`winwin/<version> (+<site url>; <site name>)`: who is asking, and where to find them."""
    from .. import __version__

    tool = f"winwin/{__version__}"
    contact = "; ".join(part for part in (f"+{site_url}" if site_url else "", site_name) if part)
    return f"{tool} ({contact})" if contact else tool


def fetch_settings(config, site_name: str, site_url: str | None) -> FetchSettings:
    """FetchSettings from the reading-list plugin's settings; ConfigError names the key and the fix."""
    checks = [
        ("fetch_timeout", config.fetch_timeout > 0, "a number of seconds above 0"),
        ("fetch_max_bytes", config.fetch_max_bytes >= 1024, "a number of bytes, 1024 or more"),
        ("fetch_max_redirects", 0 <= config.fetch_max_redirects <= 5, "a whole number from 0 to 5"),
        ("fetch_concurrency", 1 <= config.fetch_concurrency <= 256, "a whole number from 1 to 256"),
    ]
    for key, ok, wanted in checks:
        if not ok:
            raise ConfigError("", f"'{key}' is {config[key]!r}", f"make it {wanted}")
    return FetchSettings(
        timeout=float(config.fetch_timeout), max_bytes=config.fetch_max_bytes,
        max_redirects=config.fetch_max_redirects, concurrency=config.fetch_concurrency,
        user_agent=config.fetch_user_agent or user_agent(site_name, site_url),
    )
