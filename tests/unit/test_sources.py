"""Sources: validation messages, stable ids, OPML in and out, and the
`winwin feeds` commands on a tiny site (fetch against 127.0.0.1 only)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from mkdocs_winwin.cli.main import main
from mkdocs_winwin.reading_list.sources import SourceError, load_sources, parse_opml, source_id, to_opml
from mkdocs_winwin.reading_list.store import open_store
from tests.feed_server import feed_server
from tests.support import MINIMAL_CONFIG, small_site, write_tree

FEEDS = Path(__file__).parent / "feeds"


@pytest.mark.parametrize("entry, message", [
    ({"url": "ftp://x.example/feed", "name": "Ftp"},
     "reading list source #1 ('Ftp'): 'url' 'ftp://x.example/feed' uses the scheme 'ftp:'. Fix: use an http://"),
    ({"url": "javascript:alert(1)", "name": "JS"}, "'url' 'javascript:alert(1)' uses the scheme 'javascript:'"),
    ({"url": "https:///feed", "name": "No host"}, "'url' 'https:///feed' has no host. Fix: write it as https://"),
    ({"url": " ", "name": "Blank"}, "'url' is empty. Fix:"),
    ({"url": "https://x.example/f", "name": ""}, "#1: 'name' is empty. Fix:"),
    ({"url": "https://x.example/f", "name": "W", "weight": -1}, "'weight' must be a number 0 or above, got -1"),
    ({"url": "https://x.example/f", "name": "M", "max_bytes": 0}, "'max_bytes' must be a whole number 1 or above"),
    ({"url": "https://x.example/f", "name": "T", "timeout": 0}, "'timeout' must be a number of seconds above 0"),
])
def test_bad_source_is_named_with_its_key_and_fix(entry, message, tmp_path):
    with pytest.raises(SourceError) as info:
        load_sources([entry], tmp_path)
    assert message in str(info.value)


def test_the_same_feed_twice_is_an_error():
    with pytest.raises(SourceError, match=r"#2 \('B'\): 'url' 'HTTPS://X.example:443/f' is already source #1"):
        load_sources([{"url": "https://x.example/f", "name": "A"},
                      {"url": "HTTPS://X.example:443/f", "name": "B"}], ".")


def test_ids_are_stable_readable_and_local_paths_resolve_against_the_config(tmp_path):
    [web, disk] = load_sources([{"url": "https://Blog.Example.org/feed.xml", "name": "Web"},
                                {"url": "feeds/mine.xml", "name": "Disk"}], tmp_path)
    assert web.id == source_id("https://blog.example.org/feed.xml") == "blog-example-org-" + web.id[-8:]
    assert not web.is_local and web.path is None
    assert disk.path == tmp_path / "feeds" / "mine.xml" and disk.id.startswith("mine-")
    # the id does not depend on where the site is checked out
    assert load_sources([{"url": "./feeds//mine.xml", "name": "Disk"}], "/elsewhere")[0].id == disk.id


OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="Networking">
    <outline type="rss" text="Alpha" title="Alpha Blog" xmlUrl="https://alpha.example/feed"/>
    <outline type="rss" text="Beta" xmlUrl="https://beta.example/atom" category="/follow-up"/>
  </outline>
  <outline type="rss" text="Gamma" xmlUrl="https://gamma.example/rss"/>
  <outline text="Empty folder"/>
</body></opml>"""


def test_opml_import_reads_names_and_themes_from_folders():
    assert parse_opml(OPML) == [
        {"url": "https://alpha.example/feed", "name": "Alpha Blog", "theme": "Networking"},
        {"url": "https://beta.example/atom", "name": "Beta", "theme": "follow-up"},
        {"url": "https://gamma.example/rss", "name": "Gamma"},
    ]


@pytest.mark.parametrize("data, message", [
    (b"<opml><body>", "not well-formed XML"),
    (b"<rss/>", "not an OPML document"),
    (b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
     b'<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
     b'<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">'
     b'<!ENTITY i "&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;">]><opml><body><outline xmlUrl="&i;"/></body></opml>',
     "not well-formed XML"),  # expat refuses the billion laughs
])
def test_bad_opml_is_refused_with_the_file_named(data, message):
    with pytest.raises(SourceError, match=f"my.opml: {message}"):
        parse_opml(data, origin="my.opml")


def test_opml_export_round_trips_and_leaves_local_files_out(tmp_path):
    sources = load_sources([{"url": "https://alpha.example/feed", "name": "Alpha & Co", "theme": "give-first"},
                            {"url": "local.xml", "name": "Local"}], tmp_path)
    text = to_opml(sources, "Site")
    assert ET.fromstring(text).find("head/title").text == "Site"
    assert parse_opml(text.encode()) == [{"url": "https://alpha.example/feed", "name": "Alpha & Co",
                                          "theme": "give-first"}]


SITE = """
site_name: Feeds test
site_url: https://feeds.example.org/
docs_dir: content
plugins:
  - winwin-reading-list:
      fetch_timeout: 1
      sources:
{sources}
"""


def site(root: Path, sources: list[dict], **extra) -> Path:
    block = yaml.safe_dump(sources, sort_keys=False)
    config = SITE.format(sources="\n".join("        " + line for line in block.splitlines()))
    for key, value in extra.items():
        config = config.replace("      fetch_timeout: 1\n", f"      fetch_timeout: 1\n      {key}: {value}\n")
    write_tree(root, {"mkdocs.yml": config, "content/index.md": "# Home\n"})
    return root / "mkdocs.yml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_feeds_import_prints_only_new_sources_as_yaml(tmp_path):
    config = site(tmp_path, [{"url": "https://gamma.example/rss", "name": "Gamma"}])
    (tmp_path / "my.opml").write_bytes(OPML)
    result = run("feeds", "import", "-f", str(config), str(tmp_path / "my.opml"))
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout) == parse_opml(OPML)[:2]
    assert "3 feeds in" in result.stderr and "1 already in" in result.stderr


def test_feeds_export_prints_opml(tmp_path):
    config = site(tmp_path, [{"url": "https://gamma.example/rss", "name": "Gamma"}])
    result = run("feeds", "export", "-f", str(config))
    assert result.exit_code == 0
    assert parse_opml(result.stdout.encode()) == [{"url": "https://gamma.example/rss", "name": "Gamma"}]


def test_bad_settings_fail_with_the_key_and_fix(tmp_path):
    # Port 9 (discard) on loopback: were the settings let through, nothing would leave the machine.
    config = site(tmp_path, [{"url": "http://127.0.0.1:9/rss", "name": "Gamma"}], fetch_max_redirects=9)
    result = run("feeds", "fetch", "-f", str(config))
    assert result.exit_code == 1
    assert "'fetch_max_redirects' is 9. Fix: make it a whole number from 0 to 5" in result.stderr
    config = site(tmp_path, [{"url": "gopher://x.example/", "name": "Old"}])
    result = run("feeds", "fetch", "-f", str(config))
    assert result.exit_code == 1 and "'url' 'gopher://x.example/' uses the scheme 'gopher:'" in result.stderr


def test_feeds_fetch_reports_failures_and_exits_by_the_documented_rule(tmp_path):
    with feed_server() as server:
        server.expect_request("/ok.xml").respond_with_data((FEEDS / "atom.xml").read_bytes())
        server.expect_request("/missing.xml").respond_with_data("no", status=404)
        ok, missing = server.url_for("/ok.xml"), server.url_for("/missing.xml")
        (tmp_path / "feeds").mkdir()
        (tmp_path / "feeds" / "rss20.xml").write_bytes((FEEDS / "rss20.xml").read_bytes())
        config = site(tmp_path, [{"url": ok, "name": "Ok"}, {"url": missing, "name": "Missing"},
                                 {"url": "feeds/rss20.xml", "name": "Local"}])
        partial = run("feeds", "fetch", "-f", str(config))
        strict = run("feeds", "fetch", "--strict", "-f", str(config))
        user_agents = {request.headers["User-Agent"] for request, _ in server.log}
        config = site(tmp_path, [{"url": missing, "name": "Missing"}])
        all_failed = run("feeds", "fetch", "-f", str(config))
    assert partial.exit_code == 0, partial.output
    assert f"FAILED: Missing <{missing}>\n  what happened: 404 Not Found\n  what to do: check the URL" in partial.stdout
    # The local file is not fetched: the build reads it straight from the project.
    assert "2 sources: 1 failed, 1 updated; 2 new articles." in partial.stdout
    assert "1 local-file sources are read by the build itself, not fetched." in partial.stderr
    assert strict.exit_code == 1
    assert all_failed.exit_code == 1
    assert user_agents == {f"winwin/{version('mkdocs-winwin')} (+https://feeds.example.org/; Feeds test)"}
    with open_store(tmp_path / ".cache" / "winwin") as store:
        assert len(store.articles()) == 2


def test_build_fetch_fetches_first_and_a_failing_feed_does_not_stop_it(tmp_path):
    from tests.support import MINIMAL_CONFIG, small_site

    with feed_server() as server:
        server.expect_request("/a.xml").respond_with_data((FEEDS / "atom.xml").read_bytes())
        server.expect_request("/b.xml").respond_with_data("down", status=500)
        config = MINIMAL_CONFIG + (
            "  - winwin-reading-list:\n      sources:\n"
            f"        - {{url: '{server.url_for('/a.xml')}', name: Atom sample}}\n"
            f"        - {{url: '{server.url_for('/b.xml')}', name: Broken}}\n")
        small_site(tmp_path, config=config)
        offline = run("build", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "offline"))
        requests_offline = len(server.log)
        result = run("build", "--fetch", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "out"))
    assert offline.exit_code == 0 and requests_offline == 0  # a plain build never touches the network
    assert result.exit_code == 0, result.output
    assert f"FAILED: Broken <{server.url_for('/b.xml')}>" in result.stdout
    page = (tmp_path / "out" / "reading-list" / "index.html").read_text()
    assert "Disagree gently" in page and "https://atom.example.org/disagree" in page
    assert "Disagree gently" not in (tmp_path / "offline" / "reading-list" / "index.html").read_text()


def test_a_bad_source_stops_the_build_naming_the_config_file(tmp_path):
    config = MINIMAL_CONFIG.replace("  - blog\n", "  - winwin-reading-list:\n      sources:\n"
                                    "        - url: ftp://x.example/feed\n          name: Ftp\n  - blog\n")
    root = small_site(tmp_path, config=config)
    (root / "mkdocs.yml").rename(root / "site.yml")
    result = CliRunner().invoke(main, ["build", "-f", str(root / "site.yml")])
    assert result.exit_code == 1
    assert "site.yml, plugin 'winwin-reading-list': reading list source #1 ('Ftp'): 'url'" in result.output
