"""Front matter written by hand (not by yaml.dump, for speed) must read back exactly."""

from __future__ import annotations

import datetime as dt

import frontmatter
import pytest
import yaml

from mkdocs_winwin.importing.files import post_file, scalar

TEXTS = ["Hello", "Special chars: l'é", "yes", "No", "On", "y", "null", "~", "", "123", "1.5", "0x1F", "1_000",
         ".inf", "NaN", "2011-03-04", "a, b", "Café com Leite", "- dash", "#hash", "x #y", "key: v", "a:b",
         "O'Neil's", "tab\tx", "trail ", " lead", "@at", "`tick`", "*star", "&amp", "!bang", "%pc", "a\nb",
         "It's 100% great!", "C++", "what?", "why? because", "東京の旅", "e.g. this", "/2011/03/x.html", "Über",
         "_under", "x (y)", "semi; colon", '"quoted"', "back\\slash", "{brace}", "[bracket]", "a | b", "> gt"]


@pytest.mark.parametrize("text", TEXTS)
def test_scalars_read_back_the_same(text):
    assert yaml.safe_load(f"k: {scalar(text)}")["k"] == text
    assert yaml.safe_load(f"k: [{scalar(text, flow=True)}, x]")["k"] == [text, "x"]


def test_a_post_file_reads_back_the_same():
    meta = {"title": "Ask: then listen", "date": dt.datetime(2011, 3, 4, 10, 20, 30, tzinfo=dt.timezone.utc),
            "authors": ["ana"], "tags": ["Café com Leite", "a, b", "yes"], "description": "It's 100%.",
            "draft": True, "slug": "ask", "aliases": ["/2011/03/ask.html", "/p/a b"]}
    post = frontmatter.loads(post_file(meta, "Body text."))
    assert post.content == "Body text."
    assert post.metadata == {**meta, "date": dt.datetime(2011, 3, 4, 10, 20, 30)}
