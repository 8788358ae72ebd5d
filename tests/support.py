"""Helpers for tests: build real sites in temporary folders, serve them, watch a browser page."""

from __future__ import annotations

import functools
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from textwrap import dedent

REPO = Path(__file__).resolve().parents[1]


def copy_shipped_site(dest: Path) -> Path:
    """Copy mkdocs.yml, content/ and theme/ of the repository into `dest`."""
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "theme"):
        shutil.copytree(REPO / folder, dest / folder)
    return dest


def build_tree(root: Path, strict: bool = True, site_dir: Path | None = None) -> Path:
    """Build the site whose mkdocs.yml is in `root`; return the site folder."""
    from mkdocs_winwin.cli.build import build_site

    return build_site(str(root / "mkdocs.yml"), site_dir=str(site_dir or root / "site"), strict=strict)


def feeds_max_items(config: dict) -> int | None:
    """The winwin plugin's feed cap in a loaded mkdocs.yml (or its declared default); None: no cap."""
    from mkdocs_winwin.plugins.config import SiteConfig

    settings = next((p["winwin"] for p in config["plugins"] if isinstance(p, dict) and "winwin" in p), None)
    return (settings or {}).get("feeds_max_items", SiteConfig.feeds_max_items.default) or None


def feed_text(value: str, is_html: bool) -> str:
    """The text a feed reader shows for a title or summary: RSS gives them as HTML, Atom as text."""
    import lxml.html

    if not is_html or not value:
        return value
    return lxml.html.fragment_fromstring(value, create_parent="div").text_content()


def shown_text(detail) -> tuple[str, list[str]]:
    """(the text a feed reader shows for a feedparser title/summary detail, the HTML elements it would render)."""
    import lxml.html

    if detail.type == "text/plain":
        return detail.value, []
    doc = lxml.html.fragment_fromstring(detail.value, create_parent="div")
    return doc.text_content(), [e.tag for e in doc.iterdescendants()]


MINIMAL_CONFIG = """\
site_name: Test site
site_url: https://test.example.org/
docs_dir: content
theme:
  name: material
  custom_dir: theme
  font: false
plugins:
  - search
  - winwin:
      post_required: [title, description, authors]
  - blog
"""


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write a dict of relative path -> text into `root` (text is dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return root


HELLO_POST = """\
---
title: Hello
date: 2026-01-02
authors: [ann]
themes: [first]
description: A first post.
---
Hello text.
"""


def small_site(root: Path, files: dict[str, str] | None = None, config: str = MINIMAL_CONFIG) -> Path:
    """A tiny valid site (two chapters, one author, one post) plus `files` on top."""
    shutil.copytree(REPO / "theme", root / "theme")
    base = {
        "mkdocs.yml": config,
        "content/index.md": "# Home\n",
        "content/blog/index.md": "# Blog\n",
        "content/blog/.authors.yml": """
            authors:
              ann:
                name: Ann Example
                description: Tester
                avatar: "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"  # local: browser tests stay on 127.0.0.1
        """,
        "content/guide/first.md": """
            ---
            title: First
            theme: first
            order: 1
            description: The first chapter.
            ---
            # First
        """,
        "content/guide/second.md": """
            ---
            title: Second
            theme: second
            order: 2
            description: The second chapter.
            ---
            # Second
        """,
        "content/blog/posts/hello.md": HELLO_POST,
    }
    base.update(files or {})
    return write_tree(root, base)


# A draft post for small_site: shown by `serve`, left out of `build`.
DRAFT_POST = {
    "content/blog/posts/secret.md": """
        ---
        title: Secret draft
        date: 2026-03-01
        authors: [ann]
        themes: [first]
        description: Not yet.
        draft: true
        ---
        Draft text.
    """,
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


class Server:
    """Serve a folder on 127.0.0.1 on a free port in a background thread."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class BrowserPage:
    """A Playwright page that records console errors, uncaught errors and requests."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    def __getattr__(self, name):
        return getattr(self.page, name)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but 127.0.0.1 (data: and blob: URLs are local)."""
        from urllib.parse import urlsplit

        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname != "127.0.0.1"]


# --- sites with the winwin-prompts plugin (shared by build, browser and Isso tests) ---

SITE_URL = "https://test.example.org/"
POST_URL = SITE_URL + "blog/2026/01/02/hello/"


def prompts_config(prompts_options: str = "", site_url: str | None = SITE_URL, extra: str = "") -> str:
    """A mkdocs.yml with winwin-prompts; `prompts_options` is YAML under the plugin (6 spaces)."""
    # This repository's card (theme/assets/images/), as its own mkdocs.yml sets it.
    options = "      og_image: assets/images/winwin-card.png\n" + prompts_options
    plugin = "  - winwin-prompts:\n" + options
    return "\n".join(line for line in [
        "site_name: Test site",
        "site_description: A test site.",
        f"site_url: {site_url}" if site_url else "",
        "docs_dir: content",
        "theme:",
        "  name: material",
        "  custom_dir: theme",
        "  font: false",
        "plugins:",
        "  - search",
        "  - winwin",
        plugin.rstrip(),
        "  - blog:",
        "      post_url_format: '{date}/{slug}'",
        extra,
    ] if line) + "\n"


FULL_CHANNELS = """\
      email: owner@test.example.org
      chapters: false
      twitter_site: winwin_test
      isso:
        url: http://127.0.0.1:9/isso
      giscus:
        repo: octo-org/talk
        repo_id: R_abc
        category: Comments
        category_id: DIC_xyz
"""

# Avatars as data: URIs, so a browser on these pages requests nothing outside 127.0.0.1.
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"
AUTHORS = {
    "content/blog/.authors.yml": f"""
        authors:
          ann:
            name: Ann Example
            description: Tester
            avatar: "{PIXEL}"
            email: ann@test.example.org
          bob:
            name: Bob Example
            description: Tester
            avatar: "{PIXEL}"
    """,
}


def winwin_serve_comments(root: Path, port: int):
    """`winwin serve --comments -p PORT` started in `root` as a child process (stdout and stderr as text)."""
    import os
    import subprocess
    import sys

    return subprocess.Popen(
        [str(Path(sys.executable).parent / "winwin"), "serve", "--comments", "-p", str(port)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


# --- the importer's old blog (tests/unit/importing, tests/builds, tests/browser) ---

IMPORT_FIXTURES = REPO / "tests" / "unit" / "importing" / "fixtures"
# The smallest valid PNG (1x1), as an old blog's photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)


def plain_blog(root: Path) -> Path:
    """A fresh Material blog with the winwin plugin and no guide, authors or posts yet."""
    shutil.copytree(REPO / "theme", root / "theme")
    return write_tree(root, {"mkdocs.yml": MINIMAL_CONFIG, "content/index.md": "# Home\n",
                             "content/blog/index.md": "# Blog\n"})


def run_import(root: Path, source: Path, *args: str) -> str:
    """`winwin import SOURCE` into the site at `root` (the old blog on 127.0.0.1); its output."""
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main

    result = CliRunner().invoke(main, ["import", str(source), "-f", str(root / "mkdocs.yml"),
                                       "--old-host", "127.0.0.1", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


# --- the incremental-build site (tests/builds/test_incremental.py, tests/browser/test_serve.py) ---

INCREMENTAL_CONFIG = f"""\
site_name: Test site
site_url: {SITE_URL}
docs_dir: content
theme:
  name: material
  custom_dir: theme
  font: false
markdown_extensions:
  - toc:
      permalink: true
  - footnotes
plugins:
  - search
  - winwin:
      post_required: [title, description, authors]
  - winwin-prompts:
      email: owner@test.example.org
  - blog:
      post_url_format: "{{date}}/{{slug}}"
      pagination_per_page: 2
  - tags
"""


def numbered_post(i: int, *, title: str | None = None, tags: str = "[meetups, email]", body: str = "",
                  themes: str = "[first]") -> str:
    """Post i of the incremental site: cross-links, a footnote and an excerpt marker."""
    return f"""
        ---
        title: {title or f"Post {i}"}
        date: 2026-02-{i + 1:02d}
        authors: [{"ann" if i % 2 else "bob"}]
        themes: {themes}
        tags: {tags}
        description: Post {i} in short.
        ---
        Opening of post {i}, see [the chapter](../../guide/first.md) and [post 0](post-0.md).
        {body}
        <!-- more -->

        ## Details

        More about {i}.[^1]

        [^1]: A note.
    """


def edit(docs: Path, rel: str, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in the docs file `rel`."""
    path = docs / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
