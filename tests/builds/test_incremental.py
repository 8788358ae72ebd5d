"""Incremental builds are clean builds: after every kind of edit, every output file is the same.

One Session (the memo kept between builds, the same output folder) follows a
series of edits; after each, a clean build of the same content goes to a
fresh folder and every file of the two is compared (the gzipped sitemap
carries its own timestamp, so it is compared unzipped, and a feed's own build
time is masked).
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import shutil
from pathlib import Path

import pytest

from mkdocs_winwin.incremental import memo
from mkdocs_winwin.incremental.session import Session
from tests.support import AUTHORS, build_tree, small_site, write_tree
from tests.support import INCREMENTAL_CONFIG as CONFIG, edit, numbered_post as post



def _build_times() -> re.Pattern[bytes]:
    """Timestamps of the build itself (a feed with no items is 'updated' now), in ISO and RFC 822
    forms: today's, and yesterday's for a build made before midnight and compared after it."""
    now = dt.datetime.now(dt.timezone.utc)
    days = (now, now - dt.timedelta(days=1))
    iso = b"|".join(re.escape(d.strftime("%Y-%m-%d").encode()) for d in days)
    rfc = b"|".join(re.escape(d.strftime("%d %b %Y").encode()) for d in days)
    return re.compile(rb"(?:" + iso + rb")T[0-9:.]+(?:[+-][0-9:]+|Z)?|(?:" + rfc + rb") [0-9:]+ [+-]?[0-9A-Z]+")


def site_files(site: Path) -> dict[str, bytes]:
    out = {}
    times = _build_times()
    for path in sorted(site.rglob("*")):
        if path.is_file():
            rel = path.relative_to(site).as_posix()
            data = path.read_bytes()
            data = gzip.decompress(data) if rel.endswith(".gz") else data
            out[rel] = times.sub(b"<build time>", data) if rel.endswith(".xml") else data
    return out


def differences(ours: Path, clean: Path) -> list[str]:
    a, b = site_files(ours), site_files(clean)
    problems = [f"only in the incremental build: {p}" for p in sorted(a.keys() - b.keys())]
    problems += [f"missing from the incremental build: {p}" for p in sorted(b.keys() - a.keys())]
    problems += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    return problems


EDITS = [
    ("edit a post body", lambda d: edit(d, "blog/posts/post-3.md", "More about 3.", "Much more about 3, edited.")),
    ("edit a post title", lambda d: edit(d, "blog/posts/post-4.md", "title: Post 4", "title: Post four, renamed")),
    ("edit a post's tags", lambda d: edit(d, "blog/posts/post-2.md", "tags: [meetups, email]", "tags: [coffee]")),
    ("edit a chapter", lambda d: edit(d, "guide/first.md", "# First", "# First\n\nA new paragraph in the chapter.")),
    ("edit .authors.yml", lambda d: edit(d, "blog/.authors.yml", "name: Ann Example", "name: Ann Renamed")),
    ("add a post", lambda d: write_tree(d, {"blog/posts/post-9.md": post(9, body="A new one.")})),
    ("delete a post", lambda d: (d / "blog/posts/post-1.md").unlink()),
    ("rename a tag", lambda d: [edit(d, f"blog/posts/post-{i}.md", "meetups", "gatherings") for i in (0, 3, 4, 5)]),
    ("move a post to another theme", lambda d: edit(d, "blog/posts/post-5.md", "themes: [first]", "themes: [second]")),
    ("make a post a draft", lambda d: edit(d, "blog/posts/post-6.md", "themes: [first]", "themes: [first]\ndraft: true")),
    ("nothing", lambda d: None),
]


@pytest.fixture
def site(tmp_path) -> Path:
    files = {**AUTHORS, "mkdocs.yml": CONFIG, "content/blog/tags.md": "# Tags\n\n<!-- material/tags -->\n"}
    files.update({f"content/blog/posts/post-{i}.md": post(i) for i in range(7)})
    return small_site(tmp_path / "src", files, config=CONFIG)


def clean_build(site: Path, folder: Path, command: str) -> Path:
    """A build from scratch: `winwin build`'s, or for `serve` (drafts shown) a new session's first."""
    if command == "build":
        return build_tree(site, site_dir=folder)
    fresh = Session(str(site / "mkdocs.yml"), folder, command="serve", site_url=SERVE_URL)
    try:
        fresh.build()
    finally:
        fresh.close()
    return folder


SERVE_URL = "http://127.0.0.1:8000/"


@pytest.mark.parametrize("command", ["build", "serve"])
def test_every_edit_gives_the_clean_build(site, tmp_path, command):
    docs = site / "content"
    session = Session(str(site / "mkdocs.yml"), tmp_path / "incremental", command=command,
                      site_url=SERVE_URL if command == "serve" else None)
    try:
        first = session.build()
        problems = differences(tmp_path / "incremental", clean_build(site, tmp_path / "clean-0", command))
        assert problems == [], "\n".join(problems)
        assert first.changed  # everything is new
        reused = []
        for n, (name, apply) in enumerate(EDITS, 1):
            apply(docs)
            report = session.build()
            clean = clean_build(site, tmp_path / f"clean-{n}", command)
            problems = differences(tmp_path / "incremental", clean)
            assert problems == [], name + ":\n" + "\n".join(problems)
            reused.append((name, report.hits.get("template", 0), report.hits.get("page", 0)))
            shutil.rmtree(clean)
        # A deleted post's folders went with it.
        assert [d for d in (tmp_path / "incremental").rglob("*") if d.is_dir() and not any(d.iterdir())] == []
        # Unchanged pages were reused, not rendered again, after every edit.
        assert all(templates > 0 and pages > 0 for _, templates, pages in reused), reused
        assert report.changed == frozenset() or all(not p.endswith(".html") for p in report.changed)
    finally:
        session.close()


def test_a_post_edit_reports_the_pages_that_show_it(site, tmp_path):
    docs = site / "content"
    session = Session(str(site / "mkdocs.yml"), tmp_path / "incremental", command="build")
    try:
        session.build()
        edit(docs, "blog/posts/post-6.md", "Opening of post 6", "A new opening of post 6")
        report = session.build()
    finally:
        session.close()
    pages = {p for p in report.changed if p.endswith(".html")}
    # The post, the first blog index page listing it, its archive page, and
    # nothing unrelated: the guide chapter does not show the excerpt.
    assert "blog/2026/02/07/post-6/index.html" in pages
    assert "blog/index.html" in pages
    assert "guide/second/index.html" not in pages
    assert "blog/2026/02/01/post-0/index.html" not in pages


def test_a_rebuild_renders_again_only_the_pages_whose_context_changed(site, tmp_path):
    """Every listing page (paginated, with archive and tags) is reused when nothing changed, and
    after an edit below a post's excerpt only that post's page is rendered again: the digest of
    a context holds nothing that differs between two builds of the same content."""
    docs = site / "content"
    session = Session(str(site / "mkdocs.yml"), tmp_path / "incremental", command="serve", site_url=SERVE_URL)
    try:
        first = session.build()
        pages = first.misses["template"]  # every page (not 404.html, a static template)
        again = session.build()
        edit(docs, "blog/posts/post-3.md", "More about 3.", "Much more about 3, edited.")
        edited = session.build()
    finally:
        session.close()
    assert pages > 15 and (again.misses, again.hits.get("template")) == ({}, pages)
    # Its excerpt is converted again (footnotes make it convert the whole post), its listing
    # pages are not rendered again: they show only whether there is more below the separator.
    assert edited.misses == {"page": 1, "template": 1, "search": 1, "readtime": 1, "excerpt": 1, "post": 1}, \
        edited.misses
    assert edited.hits["post"] == 7  # Material's blog made the others as copies of the last build's
    assert {p for p in edited.changed if p.endswith(".html")} == {"blog/2026/02/04/post-3/index.html"}


def test_winwin_build_reuses_the_previous_build_from_its_cache(site, tmp_path, monkeypatch):
    """`winwin build` keeps its work in .cache/winwin/; the next build after an edit equals a clean one."""
    hits = []
    saved = memo.DiskLayer.on_post_build

    def on_post_build(self, *, config):
        hits.append(dict(self.memo.hits))
        return saved(self, config=config)

    monkeypatch.setattr(memo.DiskLayer, "on_post_build", on_post_build)
    _with_build_cache(site)
    build_tree(site, site_dir=tmp_path / "first")
    cache = site / ".cache" / "winwin" / "build-memo.pickle"
    assert cache.is_file() and hits == [{}]
    assert list((cache.parent / "templates").glob("*.cache"))  # compiled templates, for the next build
    edit(site / "content", "blog/posts/post-3.md", "More about 3.", "Much more about 3, edited.")
    edit(site / "content", "blog/posts/post-5.md", "title: Post 5", "title: Post five")
    warm = build_tree(site, site_dir=tmp_path / "warm")
    assert hits[1].get("template", 0) > 0 and hits[1].get("page", 0) > 0
    cache.unlink()
    clean = build_tree(site, site_dir=tmp_path / "clean")
    problems = differences(warm, clean)
    assert problems == [], "\n".join(problems)


def _with_build_cache(site: Path) -> None:
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "      post_required: [title, description, authors]\n",
        "      post_required: [title, description, authors]\n      build_cache: true\n"))


def test_compiled_templates_that_cannot_be_saved_cost_only_the_compiling(tmp_path):
    from jinja2 import DictLoader, Environment

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    env = Environment(loader=DictLoader({"page.html": "{{ 1 + 1 }}"}),
                      bytecode_cache=memo.DiskBytecodeCache(str(blocked / "templates")))
    assert env.get_template("page.html").render() == "2"


def test_without_the_setting_a_build_writes_no_cache(site, tmp_path):
    build_tree(site, site_dir=tmp_path / "built")
    assert not (site / ".cache" / "winwin" / "build-memo.pickle").exists()


def test_a_broken_cache_is_no_cache(site, tmp_path):
    _with_build_cache(site)
    cache = site / ".cache" / "winwin" / "build-memo.pickle"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"not a pickle")
    built = build_tree(site, site_dir=tmp_path / "built")
    assert (built / "index.html").is_file()
    assert cache.read_bytes() != b"not a pickle"  # replaced by this build's


def test_markdown_a_plugin_changes_is_what_counts(site, tmp_path):
    """A page whose source is unchanged but whose Markdown a plugin rewrites (from data outside
    the docs folder) is converted again: the memo keys the Markdown MkDocs converts."""
    (site / "hooks.py").write_text(
        "from pathlib import Path\n\n"
        "def on_page_markdown(markdown, page, config, files):\n"
        "    return markdown + '\\n\\n' + (Path(config.config_file_path).parent / 'extra.txt').read_text()\n")
    (site / "mkdocs.yml").write_text(CONFIG + "hooks:\n  - hooks.py\n")
    (site / "extra.txt").write_text("First words from outside.")
    session = Session(str(site / "mkdocs.yml"), tmp_path / "incremental", command="build")
    try:
        session.build()
        (site / "extra.txt").write_text("Other words from outside.")
        session.build()
    finally:
        session.close()
    assert b"Other words from outside." in (tmp_path / "incremental" / "index.html").read_bytes()
    problems = differences(tmp_path / "incremental", build_tree(site, site_dir=tmp_path / "clean"))
    assert problems == [], "\n".join(problems)
