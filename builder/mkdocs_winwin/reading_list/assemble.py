"""The reading list's inputs put together: settings to curation rules, picks.yml, the articles.

Shared by the MkDocs plugin and `winwin feeds list`, so both curate the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from pathlib import Path

from . import curation
from .picks import Picks, read_picks
from .store import open_store


def build_time() -> dt.datetime:
    """'Now' for curation: SOURCE_DATE_EPOCH when set, so a rebuild gives the same list."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc)


def curation_rules(config, sources, picks: Picks) -> curation.Rules:
    """The curation rules from the plugin settings, the sources and picks.yml."""
    return curation.Rules(
        include=tuple(config.include_keywords),
        exclude=tuple(config.exclude_keywords),
        max_age_days=config.max_age_days or None,
        per_source=config.per_source_max or None,
        source_caps={s.id: s.max_items for s in sources if s.max_items},
        total=config.max_items or None,
        weights={s.id: s.weight for s in sources},
        half_life_days=config.half_life_days,
        keyword_weight=config.keyword_weight,
        pinned=frozenset(picks.pinned()),
        hidden=picks.hidden_urls,
        hidden_patterns=picks.hidden_patterns,
    )


def load_picks(docs_dir: str | Path, picks_file: str) -> tuple[Picks, list[str]]:
    """picks.yml and its warnings; ValueError listing every error when it has any."""
    where = posixpath.join(Path(docs_dir).name, picks_file)
    picks, problems = read_picks(Path(docs_dir) / picks_file, where)
    errors = [f"  - {p}" for p in problems if not p.warning]
    if errors:
        raise ValueError(f"{len(errors)} problem(s) in {where}:\n" + "\n".join(errors))
    return picks, [str(p) for p in problems if p.warning]


def stored_articles(sources, cache_dir: Path) -> tuple[list, list[str]]:
    """The articles of `sources` and warnings: local files read now, http(s) feeds from the store.

    Writes nothing: local-file sources are parsed straight from the project
    (they need no store), and the store is opened read-only, so a build works
    with a read-only `.cache/`. Raises StoreError when the store stays locked.
    """
    from .fetch import local_result

    warnings, articles = [], []
    for source in sources:
        if not source.is_local:
            continue
        result = local_result(source)
        where = f"reading list source '{source.name}' ({source.url})"
        warnings += [f"{where}: {w}" for w in result.warnings]
        if result.problem:
            fix = f" Fix: {result.advice}" if result.advice else ""
            warnings.append(f"{where}: {result.problem}; it gives no articles in this build.{fix}")
        articles += result.articles
    remote = [s.id for s in sources if not s.is_local]
    if remote:
        with open_store(cache_dir, read_only=True) as store:
            articles += store.articles(remote)
            warnings += [f"reading list: {note}" for note in store.notes]
    far_past = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    articles.sort(key=lambda a: (a.published is None, -(a.published or far_past).timestamp(),
                                 -a.first_seen.timestamp(), a.source_id, a.guid))
    return articles, warnings
