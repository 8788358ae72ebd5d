"""Adopting winwin on an existing Material blog, as a user would.

The package is built into a wheel and installed (not editable) into a fresh
venv; a typical Material blog (tests/external/material_blog: Material's own
post keys, categories and tags, an .authors.yml, its own giscus
partials/comments.html) gets only the lines README.md documents under "Add
winwin to an existing Material blog", and is built with --strict.

Offline by design: the fresh venv sees the dependencies of the development
venv through a path entry (no download), while mkdocs_winwin itself comes
from the wheel, which the tests check.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import feedparser
import pytest
from lxml import html as lxml_html

from tests.support import REPO

BLOG = Path(__file__).with_name("material_blog")
POSTS = {  # Material's URLs for the fixture's posts, which adopting winwin must not change
    "blog/2024/05/02/three-days-in-lisbon/": "Three days in Lisbon",
    "blog/2024/03/10/packing-light-a-checklist/": "Packing light: a checklist",
    "blog/2023/11/20/hello-world/": "Hello, world",
}


def readme_block(heading: str) -> str:
    """The YAML lines README.md gives under `heading` (its first ```yaml block)."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading):]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def readme_install_command() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Add winwin to an existing Material blog"):]
    return re.search(r"```sh\n(.*?)\n```", section, re.S).group(1).strip()


@pytest.fixture(scope="session")
def venv(tmp_path_factory) -> Path:
    """A fresh venv with the mkdocs-winwin wheel installed, not editable."""
    work = tmp_path_factory.mktemp("adoption")
    src = work / "src"  # a copy, so building leaves nothing in the repository
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    shutil.copytree(REPO / "builder", src / "builder", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(work / "dist"), str(src)], check=True)
    [wheel] = (work / "dist").glob("mkdocs_winwin-*.whl")
    env = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site = Path(subprocess.run([str(env / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "dev-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(env / "bin/python"), "install", "-q",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    where = subprocess.run([str(env / "bin/python"), "-c", "import mkdocs_winwin; print(mkdocs_winwin.__file__)"],
                           check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(site), f"mkdocs_winwin imported from {where}, not from the wheel"
    return env


def blog_copy(dest: Path, extra_plugins: str = "") -> Path:
    shutil.copytree(BLOG, dest)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("  - tags\n", "  - tags\n" + extra_plugins), encoding="utf-8")
    return dest


def build(env: Path, root: Path, *command: str) -> Path:
    # mkdocs' own script lives in the development venv; its module is on the path.
    program = [str(env / "bin/python"), "-m", "mkdocs"] if command[0] == "mkdocs" else [str(env / "bin" / command[0])]
    result = subprocess.run([*program, *command[1:], "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def doc(site: Path, path: str):
    return lxml_html.fromstring((site / path / "index.html").read_text(encoding="utf-8"))


def plugin_lines(block: str) -> str:
    """The plugin entries of a README block, indented as in the fixture's mkdocs.yml."""
    lines = block.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "plugins:")
    return "\n".join(lines[start + 1:]) + "\n"


@pytest.fixture(scope="session")
def before(venv, tmp_path_factory) -> Path:
    return build(venv, blog_copy(tmp_path_factory.mktemp("before") / "blog"), "mkdocs", "build", "--strict")


@pytest.fixture(scope="session")
def adopted(venv, tmp_path_factory) -> Path:
    lines = plugin_lines(readme_block("## Add winwin to an existing Material blog"))
    root = blog_copy(tmp_path_factory.mktemp("after") / "blog", lines)
    return build(venv, root, "winwin", "build", "--strict")


def test_readme_names_the_distribution_that_is_installed():
    assert readme_install_command() == "pip install mkdocs-winwin"


def test_no_page_url_changes(before, adopted):
    assert pages(before) == pages(adopted)
    for path in POSTS:
        assert (adopted / path / "index.html").exists()


@pytest.mark.parametrize("path, title", POSTS.items())
def test_every_post_gets_the_section_share_row_and_previews(adopted, path, title):
    page = doc(adopted, path)
    [section] = page.cssselect("section.winwin-turn")
    assert section.cssselect("h2")[0].text_content() == "Your turn"
    share = {a.get("href") for a in page.cssselect(".winwin-share a")}
    assert any(h.startswith("https://www.linkedin.com/") for h in share)
    meta = {m.get("property"): m.get("content") for m in page.cssselect("meta[property]")}
    assert meta["og:title"] == title
    assert meta["og:url"] == "https://notes.example.org/" + path
    assert meta["og:site_name"] == "Field Notes"
    assert "og:image" not in meta  # no preview image unless the site has one: never winwin's card


def test_description_comes_from_front_matter_else_the_excerpt(adopted):
    def description(path):
        return {m.get("property"): m.get("content")
                for m in doc(adopted, path).cssselect("meta[property]")}["og:description"]
    assert description("blog/2024/03/10/packing-light-a-checklist/") == "The eleven things that always come with me."
    assert description("blog/2024/05/02/three-days-in-lisbon/") == "Trams, tiles and too many pastries."


def test_the_blogs_own_comments_stay(before, adopted):
    for path in ("blog/2024/05/02/three-days-in-lisbon/", "blog/2024/03/10/packing-light-a-checklist/"):
        page = doc(adopted, path)
        assert "https://giscus.app/client.js" in [s.get("src") for s in page.cssselect("script[src]")]
        [turn] = page.cssselect("section.winwin-turn")
        [giscus] = page.cssselect("#__comments")
        # Both in the article: winwin's section first, then the blog's own comments.
        article = turn.getparent()
        assert article.tag == "article" and giscus.getparent() is article
        assert article.index(turn) < article.index(giscus)
    assert not doc(adopted, "blog/2023/11/20/hello-world/").cssselect("#__comments")  # no comments: true


def test_feeds_carry_the_blogs_own_words(adopted):
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse((adopted / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.title == "Field Notes"
        assert feed.feed.get("subtitle") == "Notes from the road, one trip at a time."
        assert {e.link for e in feed.entries} == {"https://notes.example.org/" + p for p in POSTS}
        text = (adopted / name).read_text(encoding="utf-8")
        assert "pointer" not in text.lower()  # none of winwin's own words (its <generator> aside)
    head = doc(adopted, "blog/2024/05/02/three-days-in-lisbon/").cssselect('link[rel="alternate"]')
    assert {link.get("type") for link in head} >= {"application/rss+xml", "application/atom+xml"}


def test_check_passes_on_the_blog_as_it_is(venv, tmp_path):
    lines = plugin_lines(readme_block("## Add winwin to an existing Material blog"))
    root = blog_copy(tmp_path / "blog", lines)
    result = subprocess.run([str(venv / "bin/winwin"), "check", "-f", str(root / "mkdocs.yml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 posts" in result.stdout


def test_reading_list_alone_on_one_local_feed(venv, tmp_path):
    lines = plugin_lines(readme_block("### The reading list"))
    root = blog_copy(tmp_path / "blog", lines.replace("feeds/friends.xml", "feeds/friends.xml"))
    site = build(venv, root, "winwin", "build", "--strict")
    page = doc(site, "reading-list")
    links = {a.get("href") for a in page.cssselect("a")}
    assert {"https://friends.example.org/camino", "https://friends.example.org/night-trains"} <= links
    picks = feedparser.parse((site / "rss-picks.xml").read_bytes())
    assert {e.link for e in picks.entries} == {"https://friends.example.org/camino",
                                               "https://friends.example.org/night-trains"}
    for path in POSTS:  # the reading list alone adds no section to posts
        assert not doc(site, path).cssselect("section.winwin-turn")
