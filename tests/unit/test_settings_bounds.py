"""The settings' own types (plugins/config.py): ranges, paths inside the docs folder, plain text, hosts.

MkDocs' config check reports what these raise with the plugin and key; the
corpus (tests/cases/bad_content/settings-*) shows the whole message.
"""

from __future__ import annotations

import pytest
from mkdocs.config.base import ValidationError

from mkdocs_winwin.plugins.config import DocsPath, HostName, Number, PlainText, ReadingListConfig


@pytest.mark.parametrize("value", [-1, 10_001, True, "5", 2.5])
def test_counts_outside_their_range_or_type_are_refused(value):
    with pytest.raises(ValidationError):
        Number(int, minimum=0, maximum=10_000).validate(value)


def test_floats_take_whole_numbers_and_a_range_names_both_ends():
    option = Number(float, minimum=0.1, maximum=600)
    assert option.validate(10) == 10 and option.validate(0.5) == 0.5
    with pytest.raises(ValidationError, match="from 0.1 to 600"):
        option.validate(0)


@pytest.mark.parametrize("value", ["../x", "a/../../b", "/etc/passwd", "\\\\server\\share", "C:/x", "a\x00b", "  "])
def test_paths_that_leave_the_docs_folder_are_refused(value):
    with pytest.raises(ValidationError, match="not a path inside the docs folder"):
        DocsPath().validate(value)


@pytest.mark.parametrize("value", ["guide", "reading-list/picks.yml", "a..b/c.md"])
def test_paths_inside_pass(value):
    assert DocsPath().validate(value) == value


def test_plain_text_refuses_control_characters_and_length():
    with pytest.raises(ValidationError, match="U\\+0007"):
        PlainText().validate("bell\a")
    with pytest.raises(ValidationError, match="characters long"):
        PlainText(maximum=10).validate("x" * 11)
    assert PlainText().validate('Quotes " and <b> are escaped where printed') .startswith("Quotes")


@pytest.mark.parametrize("value, ok", [("mastodon.social", True), ("https://fosstodon.org/", True),
                                       ("evil.org/x?", False), ("a b", False), ("", False)])
def test_host_names(value, ok):
    if ok:
        assert HostName(str).validate(value) == value
    else:
        with pytest.raises(ValidationError):
            HostName(str).validate(value)


def test_every_bad_option_is_reported_not_only_the_first():
    config = ReadingListConfig()
    config.load_dict({"max_items": -1, "home_picks": -1, "summary_length": -1})
    failed, _ = config.validate()
    assert sorted(key for key, _ in failed) == ["home_picks", "max_items", "summary_length"]
