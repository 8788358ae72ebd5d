"""Template work reused within a build (plugins.material: nav_once, translations_once), on bare Jinja.

The templates here live in tmp_path, so they are "the site's own" to NavOnce:
what it must notice itself (a template reading the page) is tested here; a
real Material build against one without it is in tests/builds/test_nav_once.py.
"""

from __future__ import annotations

from types import SimpleNamespace

import jinja2
import pytest

from mkdocs_winwin.plugins.material import nav_once, translations_once


class Item(SimpleNamespace):
    """A nav item or a page: equal by identity, like a Link or a Section."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__


@jinja2.pass_context
def url(context, value):
    """Relative to the page, as MkDocs' filter is: one '../' per level of the page."""
    return "../" * context["page"].depth + value


def _env(tmp_path, nav_source: str):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "nav.html").write_text(nav_source)
    (tmp_path / "base.html").write_text('{% include "partials/nav.html" %}|{{ page.title }}')
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    env.filters["url"] = url
    return env


def _render(env, page, nav) -> str:
    return env.get_template("base.html").render(page=page, nav=nav)


NAV = '<nav>{% for item in nav.items %}<a href="{{ item.url | url }}">{{ item.title }}</a>{% endfor %}</nav>'


@pytest.fixture
def nav():
    return Item(items=[Item(title="Guide", url="guide/", active=False), Item(title="Blog", url="blog/", active=False)])


def test_pages_outside_the_navigation_share_one_render_per_link_set(tmp_path, nav):
    env = _env(tmp_path, NAV)
    once = nav_once(env)
    assert once is not None
    pages = [Item(title=f"Post {i}", depth=2 if i < 4 else 3) for i in range(6)]
    out = [_render(env, page, nav) for page in pages]
    for page, html in zip(pages, out):
        prefix = "../" * page.depth
        assert html == (f'<nav><a href="{prefix}guide/">Guide</a><a href="{prefix}blog/">Blog</a></nav>'
                        f"|{page.title}")
    # The first render teaches it what the templates read; from then on one render per depth.
    assert once.renders_done == 3 and once.hits == 3


def test_a_change_of_active_item_is_a_new_state(tmp_path, nav):
    env = _env(tmp_path, '{% for item in nav.items %}{{ "*" if item.active }}{{ item.title }} {% endfor %}')
    once = nav_once(env)
    page = Item(title="Post", depth=1)
    assert _render(env, page, nav) == "Guide Blog |Post"
    assert _render(env, page, nav) == "Guide Blog |Post"
    nav.items[1].active = True
    assert _render(env, page, nav) == "Guide *Blog |Post"
    assert _render(env, page, nav) == "Guide *Blog |Post"
    # Render 1 learns what is read, 2 is kept, 3 is a new state and kept, 4 reuses it.
    assert (once.renders_done, once.hits) == (3, 1)


def test_a_page_in_the_navigation_is_always_rendered(tmp_path, nav):
    env = _env(tmp_path, '{% for item in nav.items %}{{ "here" if item == page }}{% endfor %}')
    once = nav_once(env)
    chapter = Item(title="Chapter", depth=1)
    nav.items.append(chapter)
    for _ in range(3):
        assert _render(env, chapter, nav) == "here|Chapter"
    assert once.hits == 0


def test_a_listing_page_of_a_navigation_item_is_always_rendered(tmp_path, nav):
    """Material's paginated blog index: its pages 2, 3... are in the item's `pages`."""
    env = _env(tmp_path, '{% for item in nav.items %}{{ "here" if page in (item.pages or []) }}{% endfor %}')
    once = nav_once(env)
    second = Item(title="Blog, page 2", depth=2)
    nav.items[1].pages = [nav.items[1], second]
    for _ in range(3):
        assert _render(env, second, nav) == "here|Blog, page 2"
    assert once.hits == 0


@pytest.mark.parametrize("source", ["<nav>{{ page.title }}</nav>", "<nav>{{ 'x' | whoami }}</nav>"],
                         ids=["reads-the-page", "context-filter"])
def test_a_site_template_that_can_read_the_page_turns_the_reuse_off(tmp_path, nav, source):
    env = _env(tmp_path, source)
    env.filters["whoami"] = jinja2.pass_context(lambda context, value: context["page"].title)
    once = nav_once(env)
    out = [_render(env, Item(title=f"Post {i}", depth=1), nav) for i in range(4)]
    assert out == [f"<nav>Post {i}</nav>|Post {i}" for i in range(4)]
    assert once.disabled and once.hits == 0


def test_a_context_value_the_navigation_reads_is_part_of_the_state(tmp_path, nav):
    env = _env(tmp_path, "<nav>{{ flavour }}</nav>")
    once = nav_once(env)
    template = env.get_template("base.html")
    out = [template.render(page=Item(title="P", depth=1), nav=nav, flavour=f) for f in ("a", "a", "b", "a", "b")]
    assert out == [f"<nav>{f}</nav>|P" for f in ("a", "a", "b", "a", "b")]
    assert once.hits == 2


def test_without_a_context_url_filter_nothing_changes(tmp_path):
    env = _env(tmp_path, NAV)
    env.filters["url"] = lambda value: value  # not a context filter: links cannot be checked
    assert nav_once(env) is None


def _material_env(*folders):
    import os

    import material

    templates = os.path.join(os.path.dirname(material.__file__), "templates")
    return jinja2.Environment(loader=jinja2.FileSystemLoader([*map(str, folders), templates]))


LANGUAGE_USER = '{% import "partials/language.html" as lang with context %}{{ lang.t("search.placeholder") }}'


def test_material_translations_are_looked_up_once_per_key():
    env = _material_env()
    config = SimpleNamespace(theme=SimpleNamespace(language="de"))
    expected = env.from_string(LANGUAGE_USER).render(config=config)
    values = translations_once(env)
    out = [env.from_string(LANGUAGE_USER).render(config=config) for _ in range(3)]
    assert out == [expected] * 3 and expected == "Suche"
    assert values == {"search.placeholder": "Suche"}


def test_a_sites_own_language_template_is_left_alone(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "language.html").write_text("{% macro t(key) %}{{ page }}:{{ key }}{% endmacro %}")
    env = _material_env(tmp_path)
    values = translations_once(env)
    out = [env.from_string(LANGUAGE_USER).render(page=p) for p in ("a", "b")]
    assert out == ["a:search.placeholder", "b:search.placeholder"]
    assert values == {}
