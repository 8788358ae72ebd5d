"""`winwin import` on the command line: messages and exit status."""

from __future__ import annotations

from click.testing import CliRunner

from mkdocs_winwin.cli.main import main

CONFIG = "site_name: T\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - blog\n"


def run(tmp_path, *args):
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    return CliRunner().invoke(main, ["import", *args, "-f", str(tmp_path / "mkdocs.yml")])


def test_a_missing_file(tmp_path):
    result = run(tmp_path, str(tmp_path / "nope.xml"))
    assert result.exit_code == 1
    assert "nope.xml: does not exist or is not a file. Fix: check the path of the export file" in result.output


def test_a_theme_the_site_does_not_have(tmp_path):
    result = run(tmp_path, "x.xml", "--theme", "nope")
    assert result.exit_code == 1
    assert "no guide chapter has the theme 'nope'" in result.output


def test_a_bad_label_theme_and_pages_dir(tmp_path):
    assert "is not LABEL=THEME" in run(tmp_path, "x.xml", "--label-theme", "oops").output
    assert "is not a folder inside the docs folder" in run(tmp_path, "x.xml", "--pages-dir", "../up").output


def test_a_site_without_the_winwin_plugin_is_told_redirects_need_it(tmp_path):
    from tests.support import IMPORT_FIXTURES as FIXTURES

    source = tmp_path / "feed.json"
    source.write_text((FIXTURES / "feed.json").read_text("utf-8").replace("{{BASE}}", "https://old.example"))
    result = run(tmp_path, str(source), "--no-images")
    assert result.exit_code == 0, result.output
    assert "Posts: 2 (of which 0 drafts)" in result.output
    assert "the 'winwin' plugin is not enabled, so old addresses will not redirect" in result.output


def test_a_site_with_a_guide_asks_for_themes_first(tmp_path):
    (tmp_path / "content/guide").mkdir(parents=True)
    (tmp_path / "content/guide/first.md").write_text(
        "---\ntitle: First\ntheme: first\ndescription: One.\n---\n# First\n", encoding="utf-8")
    config = CONFIG.replace("  - blog\n", "  - winwin\n  - blog\n")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "x.xml", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert "this site has a guide, so every post needs a guide theme. Fix: add --theme ID (one of: first)" \
        in result.output
