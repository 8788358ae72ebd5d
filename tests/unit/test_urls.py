"""The one URL rule (mkdocs_winwin.urls): a scheme and a host, and nothing that can leave an attribute."""

from __future__ import annotations

import pytest

from mkdocs_winwin.urls import hostname, is_http_url, is_relative, is_safe_link


@pytest.mark.parametrize("url", [
    "https://example.org/", "http://example.org", "HTTPS://Example.org/a?b=1&c=2#d",
    "https://example.org:8443/x", "https://[::1]/", "https://example.org/q=\"><b>",
])
def test_web_urls_with_a_host_pass(url):
    assert is_http_url(url)


@pytest.mark.parametrize("url", [
    "https:", "https://", "https:///etc/passwd", "http:/example.org", "javascript:alert(1)",
    "JavaScript:alert(1)", "java\tscript:alert(1)", " javascript:alert(1)", "data:text/html,<b>",
    "file:///etc/passwd", "ftp://example.org/", "//example.org/x", "example.org", "",
    "https://exa\x00mple.org/", "https://example.org:99999/", "https://[::1/", None, 5, ["https://a.org/"],
])
def test_everything_else_fails(url):
    assert not is_http_url(url)


@pytest.mark.parametrize("value, safe", [
    ("https://example.org/a?b=1&c=2", True),
    ("guide/setup.md", True),
    ("../assets/avatar.png", True),
    ("/about/", True),
    ("https://example.org/\"onmouseover=alert(1)", False),  # would end a raw attribute
    ("https://example.org/a b", False),
    ("javascript&#58;alert(1)", False),  # a character reference decoded in a raw attribute
    ("javascript:alert(1)", False),
    ("//evil.example/x", False),
    ("data:image/png;base64,iVBORw0KGgo=", False),
])
def test_safe_links_are_web_urls_or_paths_inside_the_site(value, safe):
    assert is_safe_link(value) is safe


def test_base64_images_only_where_images_are_asked_for():
    pixel = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
    assert is_safe_link(pixel, images=True) and not is_safe_link(pixel)
    assert not is_safe_link("data:image/svg+xml;base64,PHN2Zz4=", images=True)  # SVG can carry script
    assert not is_safe_link("data:text/html;base64,PGI+", images=True)


def test_relative_means_no_scheme_and_no_host():
    assert is_relative("img/a.png") and not is_relative("https://a.org/") and not is_relative("mailto:a@b.org")


def test_hostname_drops_www_and_needs_a_url():
    assert hostname("https://www.Example.org/x") == "example.org"
    assert hostname("not a url") == "" and hostname("https://exa\x01mple.org/") == ""
