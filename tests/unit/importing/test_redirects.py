"""Alias paths stay inside the site; the redirect page works without JavaScript."""

from __future__ import annotations

import pytest

from mkdocs_winwin.redirects import alias_file, alias_problem, redirect_html


@pytest.mark.parametrize("alias", ["/2011/03/my-post.html", "/about/", "/p/about.html", "/2011/03/café.html"])
def test_good_aliases(alias):
    assert alias_problem(alias) is None


@pytest.mark.parametrize("alias, problem", [
    ("2011/03/x.html", "must start with a single /"),
    ("//evil.example/x", "must start with a single /"),
    ("https://evil.example/x", "must start with a single /"),
    ("/?p=42", "query"),
    ("/a#b", "fragment"),
    ("/../../etc/passwd", "'..'"),
    ("/a/%2e%2e/b", "'..'"),
    ("/a\\b", "backslashes"),
    ("/a\nb", "control"),
    ("/", "home page"),
    ('/a"><script>', "quotes or angle brackets"),
    ("/a%20b", "spaces"),
    ("", "expected a path"),
    (42, "expected a path"),
])
def test_bad_aliases(alias, problem):
    assert problem in alias_problem(alias)


@pytest.mark.parametrize("alias, file", [
    ("/2011/03/post.html", "2011/03/post.html"),
    ("/2011/03/post/", "2011/03/post/index.html"),
    ("/about", "about/index.html"),
    ("/2011/03/caf%C3%A9.html", "2011/03/café.html"),
])
def test_alias_file(alias, file):
    assert alias_file(alias) == file


def test_redirect_page_escapes_and_needs_no_script():
    page = redirect_html('../x/"><script>/', "A <b> title", "https://site.example/x/")
    assert "<script>" not in page and "<b>" not in page
    assert '<meta http-equiv="refresh" content="0; url=../x/&quot;&gt;&lt;script&gt;/">' in page
    assert '<link rel="canonical" href="https://site.example/x/">' in page


def test_redirect_page_language():
    assert '<html lang="pt-BR">' in redirect_html("../x/", "T", lang="pt-BR")
