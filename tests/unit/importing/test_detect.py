"""Which export is it: told from the content, never from the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from mkdocs_winwin.errors import SourceError
from mkdocs_winwin.importing.detect import detect

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("name, kind", [
    ("wordpress.xml", "wordpress"),
    ("blogger-classic.xml", "blogger-classic"),
    ("blogger-takeout.atom", "blogger-takeout"),
    ("feed-rss.xml", "rss"),
    ("feed-atom.xml", "atom"),
    ("feed.json", "json-feed"),
])
def test_each_fixture_is_recognised(name, kind):
    assert detect((FIXTURES / name).read_bytes()[:65536], name) == kind


def test_bom_and_rdf():
    assert detect(b"\xef\xbb\xbf<?xml version='1.0'?><rdf:RDF xmlns:rdf='x'/>", "f") == "rss"


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"<html><body>hi</body></html>", "is a web page"),
    (b"<?xml version='1.0'?><urlset/>", "root is <urlset>"),
    (b"plain text", "neither XML nor JSON"),
    (b'{"a": 1}', "is JSON but not a JSON Feed"),
    (b'{"a": ', "not valid JSON"),
])
def test_what_is_not_an_export_says_so(data, message):
    with pytest.raises(SourceError, match=message):
        detect(data, "upload")
