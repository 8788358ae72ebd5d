"""YAML as winwin reads content files: safe, and an impossible date is a value, not a crash.

PyYAML's SafeLoader turns `2026-02-30`, a 13th month or `25:00:00` into a
ValueError from deep inside its constructor, with no file, key or line. Here
such a scalar loads as an `ImpossibleDate` (a str carrying the reason), so the
schema can name the file, the key and the fix like any other bad value.
MkDocs and Material read the same files with the plain SafeLoader: the
validation refuses every ImpossibleDate before they do.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import yaml


class ImpossibleDate(str):
    """A scalar YAML reads as a timestamp that no calendar has, e.g. 2026-02-30."""

    reason: str = ""


# libyaml's parser when PyYAML has it (python-frontmatter, MkDocs' 1.6 callers and
# this one alike: the pure-Python parser is about 8 times slower on 1000 posts).
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentLoader(_BASE):
    """SafeLoader (libyaml's when there) with impossible dates kept as ImpossibleDate."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            value = ImpossibleDate(node.value)
            value.reason = str(exc)
            return value


ContentLoader.add_constructor("tag:yaml.org,2002:timestamp", ContentLoader.construct_yaml_timestamp)


def remembered(parse: Callable[[str], Any], size: int = 8192) -> Callable[[str], Any]:
    """`parse(text)`, each distinct text parsed once (every post again on each rebuild of
    `winwin serve`): every caller gets its own deep copy of the values, to change as it likes."""
    parsed = functools.lru_cache(maxsize=size)(parse)

    def load(text: str) -> Any:
        return copy.deepcopy(parsed(text))

    return load


def _load(text: str) -> Any:
    return yaml.load(text, Loader=ContentLoader)  # noqa: S506 - a SafeLoader subclass


load = remembered(_load)
"""YAML text to Python, impossible dates kept (see ImpossibleDate); raises yaml.YAMLError."""
