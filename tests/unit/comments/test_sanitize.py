"""Comment bodies are untrusted: only the allowlist reaches a page."""

from __future__ import annotations

import random

import lxml.html
import markdown
import pytest

from mkdocs_winwin.comments.sanitize import TAGS, _plain, body_html

HOSTILE = [
    "<script>alert(1)</script>hello",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    '<a href="https://ok.example/" onclick="alert(1)" style="color:red">x</a>',
    "<iframe src='https://evil.example/'></iframe>",
    "<style>body{display:none}</style>",
    "![pic](https://tracker.example/pixel.gif)",
    '<svg onload="alert(1)"><circle/></svg>',
    "<form action='https://evil.example/'><input name=x></form>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="  javascript:alert(1)">x</a>',
]


@pytest.mark.parametrize("body", HOSTILE)
def test_nothing_active_survives(body):
    html = str(body_html(body))
    root = lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")
    for element in root.iter():
        if element is root:
            continue
        assert element.tag in TAGS, html
        for name, value in element.attrib.items():
            assert name in ("href", "rel"), html
            if name == "href":
                assert value.startswith(("https://", "http://", "mailto:")), html
    assert "alert(1)" not in html or "<script" not in html
    assert "javascript" not in html.lower()
    assert "<script" not in html and "<img" not in html and "<iframe" not in html


def test_allowed_markup_is_kept_and_links_are_nofollow_ugc():
    html = str(body_html("*em* **strong** `code`\n\n- a\n- b\n\n> quote\n\n[site](https://a.example/) <mailto:x@y.example>"))
    for tag in ("<em>em</em>", "<strong>strong</strong>", "<code>code</code>", "<li>a</li>", "<blockquote>"):
        assert tag in html
    assert '<a href="https://a.example/" rel="nofollow ugc">site</a>' in html
    assert 'href="mailto:x@y.example"' in html


def test_relative_links_lose_their_target():
    assert "href" not in str(body_html("[x](/admin) [y](../other/)"))


def test_headings_become_text():
    assert "<h1" not in str(body_html("# Big\n\ntext")) and "Big" in str(body_html("# Big\n\ntext"))


def test_plain_fast_path_gives_what_markdown_gives():
    md = markdown.Markdown()
    rng = random.Random(7)
    alphabet = list("abc XYZ.,;:'\"?()%$@/=+-0123456789\n\n  \t") + ["é", "http://x.y/z", "\n \n"]
    checked = 0
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        fast = _plain(text)
        if fast is None:
            continue
        md.reset()
        assert fast == md.convert(text), repr(text)
        checked += 1
    assert checked > 5_000  # the fast path is really taken for plain prose


@pytest.mark.parametrize("text", ["a *b*", "x <b>", "AT&T", "- item", "1. first", "    code", "> q", "line  \nbreak"])
def test_markup_takes_the_converter(text):
    assert _plain(text) is None
