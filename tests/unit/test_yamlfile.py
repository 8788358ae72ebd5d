"""Content YAML: a text parsed once per process, every caller given its own copy."""

import datetime as dt

import pytest
import yaml

from mkdocs_winwin.content import yamlfile


def test_the_same_text_gives_equal_values_in_new_objects():
    text = "title: Same\ndate: 2026-01-02\ntags: [a, b]\nwhen: 2026-02-30\n"
    first = yamlfile.load(text)
    first["tags"].append("changed")
    again = yamlfile.load(text)
    assert again["tags"] == ["a", "b"] and again["date"] == dt.date(2026, 1, 2)
    assert isinstance(again["when"], yamlfile.ImpossibleDate) and "day is out of range" in again["when"].reason


def test_an_error_is_raised_every_time():
    for _ in range(2):
        with pytest.raises(yaml.YAMLError):
            yamlfile.load("title: [unclosed")
