"""No value from content or config becomes markup, an attribute or a live link (issue 10).

The shipped site is copied and a marker payload put into every string the
validation accepts: front matter of a post, a chapter and a page (Material's
keys included), .authors.yml, picks.yml, and the settings of the three
plugins. The site is built with --strict (the payloads are valid input), and
every HTML page and every feed is parsed: no `x-inj` element, no `on*`
attribute, no `javascript:` link may appear anywhere, while the payload's
text must show (it was rendered, as text). Values the validation refuses
instead are in the bad-input corpus (tests/cases/bad_content/).

Titles, tags and link titles are printed raw by Material's own templates, so
they refuse '<' and '>': they get the payload that stays inside an attribute
or an attribute list instead (quotes, `{: onclick=... }`, character references).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from tests.page_types import page_types
from tests.support import build_tree, copy_shipped_site

MARK = "x-inj"
# Where '<' and '>' are allowed: closes an attribute, opens an element.
FULL = f"\"'><{MARK} onclick=alert(1)>{{: onclick=\"alert(1)\" }} javascript:alert(1)"
# Where Material prints the value raw ('<' and '>' refused): an attribute
# break-out, an attribute list, and markup as character references.
PLAIN = f"\" onclick=\"alert(1)\" {{: onclick=\"alert(1)\" }} &lt;{MARK}&gt; &#60;{MARK}&#62;"
# Accepted links (http(s) with a host) whose query tries to leave the attribute.
URL = f"https://inj.example.org/p?q=\"><{MARK}%20onclick=alert(1)>&r='"


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar of `text`."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


POST = f"""---
title: {_yaml("Injected " + PLAIN)}
date: 2024-11-20
authors: [mallory]
themes: [give-first]
tags: [{_yaml("tag " + PLAIN)}]
description: {_yaml("Description " + FULL)}
prompt: {_yaml("Prompt " + FULL)}
discussion: {_yaml(URL)}
image: {_yaml(URL)}
subtitle: {_yaml("Subtitle " + PLAIN)}
links:
  - {_yaml("Link " + PLAIN)}: {_yaml("https://inj.example.org/related")}
readtime: 3
---


Body text with a [safe link](https://example.org/).
"""

AUTHOR = f"""  mallory:
    name: {_yaml("Mallory " + PLAIN)}
    description: {_yaml("Author " + FULL)}
    avatar: ../assets/avatars/amara.svg
    url: {_yaml(URL)}
    email: {_yaml('mallory"onclick=alert(1)@example.org')}
"""

PICKS = f"""pins: []
picks:
  - url: {_yaml(URL)}
    title: {_yaml("Pick " + FULL)}
    date: 2026-11-01
    note: {_yaml("Note " + FULL)}
    summary: {_yaml("Summary " + FULL)}
    source: {_yaml("Source " + FULL)}
    theme: {_yaml("Extra " + FULL)}
hide: []
"""

SETTINGS = {
    "  - winwin:\n": f"""  - winwin:
      community_heading: {_yaml("Heading " + FULL)}
""",
    "      feeds_title: All pointer posts | winwin\n": f"      feeds_title: {_yaml('Feed ' + FULL)}\n",
    "      feeds_description: New pointer posts from the community.\n":
        f"      feeds_description: {_yaml('Feed description ' + FULL)}\n",
    "          name: Giving first (sample feed)\n": f"          name: {_yaml('Source ' + FULL)}\n",
    "  - winwin-prompts:\n": f"""  - winwin-prompts:
      heading: {_yaml("Turn " + FULL)}
      prompt: {_yaml("Question " + FULL)}
      etiquette: {_yaml("Etiquette " + FULL)}
      twitter_site: {_yaml("handle" + FULL)}
      isso:
        url: {_yaml(URL)}
      giscus:
        repo: octo-org/talk
        repo_id: {_yaml("R_" + FULL)}
        category: {_yaml("Comments " + FULL)}
        category_id: {_yaml("DIC_" + FULL)}
""",
    # site_name: Material prints it raw in an attribute too, so it refuses '"' as well.
    "site_name: winwin\n": f"site_name: {_yaml('winwin ' + PLAIN.replace(chr(34), chr(39)))}\n",
    "site_description: ": f"site_description: {_yaml('Site ' + FULL)}\nx_old_description: ",
    "site_author: ": f"site_author: {_yaml('Site author ' + FULL)}\nx_old_author: ",
}


def _inject(root: Path) -> None:
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in SETTINGS.items():
        assert config.count(old) == 1, old
        config = config.replace(old, new)
    # The two x_old_ keys would be unknown settings: drop those lines.
    config = "\n".join(line for line in config.splitlines() if not line.startswith("x_old_")) + "\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    content = root / "content"
    (content / "blog" / "posts" / "injected.md").write_text(POST, encoding="utf-8")
    authors = content / "blog" / ".authors.yml"
    authors.write_text(authors.read_text(encoding="utf-8") + AUTHOR, encoding="utf-8")
    (content / "reading-list" / "picks.yml").write_text(PICKS, encoding="utf-8")
    chapter = content / "guide" / "give-first.md"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("title: Give first\n", f"title: {_yaml('Give first ' + PLAIN)}\nprompt: {_yaml('Chapter ' + FULL)}\n"
                        "comments: true\n", 1)
    text = re.sub(r"^description: .*$", f"description: {_yaml('Chapter description ' + FULL)}", text, count=1, flags=re.M)
    chapter.write_text(text, encoding="utf-8")
    page = content / "contribute" / "index.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("title: Contribute a pointer post\n",
                                 f"title: {_yaml('Contribute ' + PLAIN)}\nsubtitle: {_yaml('Sub ' + PLAIN)}\n", 1),
                    encoding="utf-8")


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> tuple[Path, Path]:
    root = copy_shipped_site(tmp_path_factory.mktemp("injected"))
    _inject(root)
    return build_tree(root, strict=True), root / "content"


def _live(doc) -> list[str]:
    """Markup the payload made: x-inj elements, on* attributes, javascript: links."""
    found = [f"<{e.tag}>" for e in doc.iter() if isinstance(e.tag, str) and e.tag.lower() == MARK]
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"<{element.tag} {name}={value!r}>")
            if name.lower() in ("href", "src", "action", "formaction", "data", "poster", "content") \
                    and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith("javascript:"):
                found.append(f"<{element.tag} {name}={value!r}>")
    return found


def _html_fragments(feed: Path):
    """(where, HTML) of every feed field a reader renders as HTML."""
    root = lxml.etree.parse(str(feed)).getroot()
    atom = root.tag.endswith("feed")
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.text:
            continue
        name = lxml.etree.QName(element).localname
        if atom and element.get("type") in ("html", "xhtml"):
            yield f"{feed.name} {name}", element.text
        elif not atom and name in ("title", "description", "encoded"):
            yield f"{feed.name} {name}", element.text


def test_every_page_type_is_built(injected):
    site, docs = injected
    assert {p.name for p in page_types(site, docs)} >= {"home", "chapter", "post", "blog", "tags", "reading-list"}


def test_no_payload_becomes_markup_in_any_page(injected):
    site, _ = injected
    problems = {}
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        found = _live(lxml.html.parse(str(page)).getroot())
        if found:
            problems[page.relative_to(site).as_posix()] = found
    assert not problems, problems
    # The payload reached the pages as text: the test injected what it says.
    shown = [p for p in pages if MARK in lxml.html.parse(str(p)).getroot().text_content()]
    assert len(shown) >= 5, shown


def test_no_payload_becomes_markup_in_any_feed(injected):
    site, _ = injected
    feeds = sorted(site.glob("*.xml"))
    assert {"rss.xml", "atom.xml", "rss-picks.xml", "atom-picks.xml"} <= {f.name for f in feeds}
    problems = {}
    for feed in feeds:
        tree = lxml.etree.parse(str(feed))
        assert not [e for e in tree.iter() if isinstance(e.tag, str) and MARK in e.tag], feed
        for where, html in _html_fragments(feed):
            found = _live(lxml.html.fragment_fromstring(html, create_parent="div"))
            if found:
                problems.setdefault(where, []).extend(found)
    assert not problems, problems
    assert any(MARK in f.read_text(encoding="utf-8") for f in feeds)


def test_the_payloads_are_shown_where_they_were_put(injected):
    """A sample of places: the text is there, whole, so escaping did not eat it."""
    site, _ = injected
    [post] = [p for p in site.joinpath("blog").rglob("index.html") if "Injected" in p.read_text(encoding="utf-8")
              and "/posts/" not in p.as_posix() and p.parent.name.startswith("injected")]
    doc = lxml.html.parse(str(post)).getroot()
    assert doc.findtext(".//title").startswith('Injected " onclick="alert(1)"')
    profile = doc.xpath('//*[contains(@class, "md-post__authors")]')[0].text_content()
    assert "Mallory" in profile and f"Author \"'><{MARK} onclick=alert(1)>" in profile
    [author_link] = doc.xpath('//*[contains(@class, "md-post__authors")]//a/@href')
    assert author_link == URL
    reading = lxml.html.parse(str(site / "reading-list" / "index.html")).getroot()
    headings = [h.text_content().replace("¶", "").strip() for h in reading.iter("h2")]
    assert f"Extra {FULL}" in headings, headings


def test_no_payload_becomes_markup_in_the_search_index(injected):
    """Material's search shows result titles and texts as HTML: the payload stays escaped there too."""
    import json

    site, _ = injected
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    live = [d["location"] for d in docs
            if _live(lxml.html.fragment_fromstring(f"{d['title']} {d['text']}", create_parent="div"))]
    assert not live, live
    assert any(MARK in d["title"] for d in docs)
