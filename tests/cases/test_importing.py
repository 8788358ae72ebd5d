"""Bad input for `winwin import`: one export per case in tests/cases/importing/, its expectation beside it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from mkdocs_winwin.errors import SourceError
from mkdocs_winwin.importing.run import Options, import_blog

CASES = Path(__file__).parent / "importing"
NAMES = sorted(p.stem for p in CASES.glob("*.expected"))


def source_of(name: str) -> Path:
    return next(p for p in CASES.glob(f"{name}.*") if p.suffix != ".expected")


def options(docs: Path, **more) -> Options:
    # No network at all: these exports link only to hosts that must not be contacted.
    return Options(docs_dir=docs, images=False, allow_host=lambda host: False, **more)


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*"))


@pytest.mark.parametrize("name", NAMES)
def test_case(tmp_path, name):
    expected = yaml.safe_load((CASES / f"{name}.expected").read_text("utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    if "error" in expected:
        with pytest.raises(SourceError) as caught:
            import_blog(str(source_of(name)), options(docs))
        for fragment in expected["error"]:
            assert fragment in str(caught.value)
        assert files_in(tmp_path) == [docs], "nothing half-written, no staging folder left"
        return
    report = import_blog(str(source_of(name)), options(docs))
    assert report.posts + report.pages == expected["posts"]
    if "drafts" in expected:
        assert report.drafts == expected["drafts"]
    if "comments" in expected:
        assert report.comments_kept == expected["comments"]
    problems = [str(p) for p in report.problems]
    assert len(problems) == len(expected.get("problems", [])), problems
    for fragments in expected.get("problems", []):
        assert any(all(f in p for f in fragments) for p in problems), (fragments, problems)
    for rel, fragments in expected.get("contains", {}).items():
        text = (docs / rel).read_text("utf-8")
        assert all(f in text for f in fragments), (rel, text)
    for rel in expected.get("files", []):
        assert (docs / rel).is_file(), rel
    assert not list(tmp_path.glob(".winwin-import-*"))


def test_a_200_mb_export_is_refused_before_reading(tmp_path):
    big = tmp_path / "huge.xml"
    with big.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.truncate(200 * 1024 * 1024)
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(SourceError) as caught:
        import_blog(str(big), options(docs))
    message = str(caught.value)
    assert "is 200 MB, more than the 100 MB an import reads" in message
    assert "--max-size 210" in message
    assert files_in(docs) == []


def test_a_missing_file_says_so(tmp_path):
    with pytest.raises(SourceError, match="does not exist or is not a file"):
        import_blog(str(tmp_path / "nope.xml"), options(tmp_path))


def test_a_large_export_streams_in_bounded_memory(tmp_path):
    """With --max-size raised, a big export is read as a stream: memory does not follow its size."""
    import tracemalloc

    item = ("<item><title>Post {n}</title><link>https://old.example/p{n}/</link><dc:creator>a</dc:creator>"
            "<content:encoded><![CDATA[<p>" + "x" * 4000 + "</p>]]></content:encoded><wp:post_id>{n}</wp:post_id>"
            "<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt><wp:post_name>p{n}</wp:post_name>"
            "<wp:status>trash</wp:status><wp:post_type>post</wp:post_type></item>\n")
    path = tmp_path / "big.xml"
    with path.open("w") as handle:
        handle.write('<?xml version="1.0"?><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                     'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
                     "<channel><title>Big</title>\n")
        for n in range(5000):  # ~21 MB of trashed posts: parsed, then left out
            handle.write(item.format(n=n))
        handle.write("</channel></rss>\n")
    from mkdocs_winwin.importing.wxr import parse_wxr

    tracemalloc.start()
    export = parse_wxr(path, str(path))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(export.left_out) == 5000
    assert peak < os.path.getsize(path) / 4, f"peak {peak} for a file of {os.path.getsize(path)}"
