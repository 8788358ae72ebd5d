"""picks.yml: what a valid file gives, and the exact message for each kind of mistake."""

from __future__ import annotations

import datetime as dt
from textwrap import dedent

import pytest

from mkdocs_winwin.reading_list.picks import parse_picks, read_picks

WHERE = "content/reading-list/picks.yml"


def parse(text: str):
    return parse_picks(dedent(text), WHERE)


def messages(text: str) -> list[str]:
    return [str(p) for p in parse(text)[1]]


def test_a_valid_file_gives_pins_manual_picks_and_hides():
    picks, problems = parse("""
        pins:
          - url: https://Example.org/listening/?utm_source=rss
            note: Send it to a new mentor.
            theme: be-of-help
        picks:
          - url: https://example.net/follow-up
            title: A follow-up system
            date: 2026-02-01
            note: For the friend who never hears back.
            source: Example Net
        hide:
          - https://example.com/ads/
          - https://example.com/sponsored/*
    """)
    assert problems == []
    (pin,) = picks.pins
    assert (pin.canonical_url, pin.note, pin.theme, pin.manual) == (
        "https://example.org/listening", "Send it to a new mentor.", "be-of-help", False)
    (manual,) = picks.manual
    assert manual.manual and manual.date == dt.datetime(2026, 2, 1, tzinfo=dt.timezone.utc)
    assert manual.source == "Example Net"
    assert picks.hidden_urls == {"https://example.com/ads"}
    assert picks.hidden_patterns == ("https://example.com/sponsored/*",)
    assert set(picks.pinned()) == {"https://example.org/listening", "https://example.net/follow-up"}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "pins: []\npicks:\nhide: []\n"])
def test_an_empty_file_means_no_picks(text):
    picks, problems = parse(text)
    assert problems == [] and picks.pins == () and picks.manual == ()


def test_a_missing_file_means_no_picks(tmp_path):
    assert read_picks(tmp_path / "nope.yml", WHERE)[1] == []


@pytest.mark.parametrize("text, expected", [
    ("pins:\n  - url: javascript:alert(1)\n",
     f"{WHERE}: pins entry 1 (javascript:alert(1)): 'url': expected an http(s) URL with a host, got "
     "'javascript:alert(1)'. Fix: write a full link starting with https:// (the article's full http(s) link)"),
    ("pins:\n  - note: no url\n",
     f"{WHERE}: pins entry 1: 'url': is missing. Fix: add 'url:' with the article's full http(s) link"),
    ("pins:\n  - https://example.org/a\n",
     f"{WHERE}: pins entry 1: expected 'url:' and other keys, got 'https://example.org/a'. "
     "Fix: start the entry with '- url: https://...' and indent its other keys"),
    ("picks:\n  - url: https://example.org/a\n    title: A\n    note: N\n",
     f"{WHERE}: picks entry 1 (https://example.org/a): 'date': is missing. "
     "Fix: add 'date:' with when the article was published, e.g. 2026-03-14"),
    ("picks:\n  - url: https://example.org/a\n    title: A\n    note: N\n    date: 2026-01-02 10:30\n",
     f"{WHERE}: picks entry 1 (https://example.org/a): 'date': '2026-01-02 10:30' is not a date YAML "
     "understands (a time needs seconds). Fix: write it as 2026-03-14 or 2026-03-14 09:30:00 "
     "(when the article was published, e.g. 2026-03-14)"),
    ("pins:\n  - url: https://example.org/a\n    note: [a, list]\n",
     f"{WHERE}: pins entry 1 (https://example.org/a): 'note': expected non-empty text. "
     "Fix: write the text after the colon (why it helps and who to send it to, in one or two sentences)"),
    ("pinz:\n  - url: https://example.org/a\n",
     f"{WHERE}: 'pinz': is not a section winwin knows. Fix: did you mean 'pins'?"),
    ("pins:\n  url: https://example.org/a\n",
     f"{WHERE}: 'pins': expected a list of entries. Fix: write each entry on its own line starting with "
     "'- url:' under 'pins:'"),
    ("hide:\n  - ftp://example.org/a\n",
     f"{WHERE}: hide entry 1: 'ftp://example.org/a' is not an http(s) URL or a pattern. "
     "Fix: write a full link starting with https://, or use * as a wildcard"),
    ("pins:\n  - url: https://example.org/a\n  - url: https://EXAMPLE.org/a/#x\n",
     f"{WHERE}: pins entry 2 (https://EXAMPLE.org/a/#x): 'url': the same article is already in pins entry 1. "
     "Fix: keep one entry per article"),
    ("pins:\n  - url: https://example.org/a\nhide:\n  - https://example.org/a\n",
     f"{WHERE}: pins entry 1 (https://example.org/a): 'url': the article is also listed under hide:. "
     "Fix: remove it from pins/picks or from hide"),
    ("pins:\n  - url: https://example.org/a\n   note: bad indent\n",
     f"{WHERE}: is not valid YAML at line 3, column 4. Fix: check that line for a missing colon, quote or indent"),
    ("- url: https://example.org/a\n",
     f"{WHERE}: expected the sections pins:, picks: and hide:. "
     "Fix: start the file with 'pins:' (see the authors' guide)"),
])
def test_each_mistake_names_the_file_entry_key_and_fix(text, expected):
    assert expected in messages(text)


def test_unknown_keys_are_warnings_with_a_hint():
    picks, problems = parse("pins:\n  - url: https://example.org/a\n    titel: A\n    colour: red\n")
    assert [str(p) for p in problems] == [
        f"{WHERE}: pins entry 1 (https://example.org/a): 'titel': is not a key winwin knows. "
        "Fix: did you mean 'title'?",
        f"{WHERE}: pins entry 1 (https://example.org/a): 'colour': is not a key winwin knows. "
        "Fix: use one of: url, note, theme, title, source, summary, date",
    ]
    assert all(p.warning for p in problems)
    assert len(picks.pins) == 1  # a warning does not drop the entry


def test_every_problem_is_reported_at_once():
    problems = parse("""
        pins:
          - url: nope
          - url: https://example.org/ok
            note: 5
        picks:
          - url: https://example.org/b
        hide:
          - 7
    """)[1]
    assert len([p for p in problems if not p.warning]) == 6
