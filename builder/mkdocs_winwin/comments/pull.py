"""A pull from start to end: ask the source, check what it sent, merge it into the files.

The source is asked first and completely; only when every answer arrived
and parsed is anything written, so a source that fails (down, hanging,
malformed, too big) leaves the repository exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any


from ..content.schema import Problem
from . import isso, webmentions
from .http import Limits, get_json, new_client
from .store import Stored, store


@dataclass(frozen=True)
class Pulled:
    source: str  # the URL asked
    stored: Stored
    problems: tuple[Problem, ...] = ()  # entries the source sent that were left out, and why
    left_out: Counter = field(default_factory=Counter)  # webmention kinds not shown (mention-of, ...)


def pull_isso(url: str, docs_dir: str | os.PathLike, pages: Mapping[str, str], *, limits: Limits = Limits(),
              now: dt.datetime | None = None, get: Callable[[str], Any] | None = None) -> Pulled:
    now = now or dt.datetime.now(dt.timezone.utc)
    # One connection for every page's thread (keep-alive), closed before anything is written.
    with new_client(limits) as client:
        comments, problems = isso.pull(url, pages, get or partial(get_json, limits=limits, client=client,
                                                                  missing_ok=True), now)
    return Pulled(url, store(docs_dir, comments, now=now), tuple(problems))


def pull_webmentions(url: str, docs_dir: str | os.PathLike, pages: Mapping[str, str], *, limits: Limits = Limits(),
                     now: dt.datetime | None = None, get: Callable[[str], Any] | None = None) -> Pulled:
    now = now or dt.datetime.now(dt.timezone.utc)
    with new_client(limits) as client:
        data = webmentions.fetch_all(url, get or partial(get_json, limits=limits, client=client))
    found = webmentions.parse(data, url, pages, now)
    return Pulled(url, store(docs_dir, found.comments, found.reactions, now=now), found.problems, found.left_out)
