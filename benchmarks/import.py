"""Time and peak memory of `winwin import` on a generated WordPress export.

Generates a WXR of POSTS posts (about 1 KB of mixed markup each, labels, an
embed) and COMMENTS comments spread over them (a third are replies, some
spam), imports it into an empty docs folder with images off (no network),
and prints the wall time, the CPU time and the process's peak resident
memory. Target on these machines: under 30 s and under 500 MB for 2,000
posts and 10,000 comments.

    .venv/bin/python benchmarks/import.py               # 2000 posts, 10000 comments
    .venv/bin/python benchmarks/import.py 5000 25000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "builder"))

BODY = """<h2>Part {n}</h2><p>Some <b>bold</b> and <i>italic</i> text with <a href="https://example.org/{n}">a link</a>
and <span style="color:red">inline style</span>.<br /><br />A second paragraph in Blogger's br soup.</p>
<ul><li>one</li><li>two</li></ul><blockquote>A quote.</blockquote><pre class="brush: python">print({n})</pre>
<table><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe><script>alert(1)</script>"""


def generate(path: Path, posts: int, comments: int) -> None:
    per_post, extra = divmod(comments, posts)
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
                  "<channel><title>Benchmark blog</title><link>https://old.example</link>\n"
                  "<wp:author><wp:author_login>ana</wp:author_login><wp:author_display_name>Ana</wp:author_display_name>"
                  "</wp:author>\n")
        cid = 0
        for n in range(posts):
            day = f"20{10 + n % 10:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            out.write(f"<item><title>Post number {n}</title><link>https://old.example/{day[:4]}/{day[5:7]}/post-{n}/</link>"
                      f"<dc:creator>ana</dc:creator><content:encoded><![CDATA[{BODY.format(n=n)}]]></content:encoded>"
                      f"<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>{n + 1}</wp:post_id>"
                      f"<wp:post_date_gmt>{day} 10:00:00</wp:post_date_gmt><wp:post_name>post-{n}</wp:post_name>"
                      "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
                      f'<category domain="category" nicename="c{n % 7}"><![CDATA[Label {n % 7} é]]></category>\n')
            first = cid + 1
            for k in range(per_post + (1 if n < extra else 0)):
                cid += 1
                parent = first if k % 3 == 2 else 0
                approved = "spam" if cid % 11 == 0 else "1"
                out.write(f"<wp:comment><wp:comment_id>{cid}</wp:comment_id><wp:comment_author>Reader {cid}"
                          f"</wp:comment_author><wp:comment_author_email>r{cid}@mail.example</wp:comment_author_email>"
                          f"<wp:comment_author_IP>203.0.113.9</wp:comment_author_IP>"
                          f"<wp:comment_date_gmt>{day} 12:{k % 60:02d}:00</wp:comment_date_gmt>"
                          f"<wp:comment_content><![CDATA[Thanks for post {n}!\n\nA second line.]]></wp:comment_content>"
                          f"<wp:comment_approved>{approved}</wp:comment_approved>"
                          f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>\n")
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("posts", nargs="?", type=int, default=2000)
    parser.add_argument("comments", nargs="?", type=int, default=10_000)
    args = parser.parse_args()
    from mkdocs_winwin.importing.run import Options, import_blog

    with tempfile.TemporaryDirectory(prefix="winwin-bench-import-") as tmp:
        export = Path(tmp) / "export.xml"
        generate(export, args.posts, args.comments)
        size = export.stat().st_size / 1024 / 1024
        docs = Path(tmp) / "docs"
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_blog(str(export), Options(docs_dir=docs, images=False, progress=False))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        files = sum(1 for p in docs.rglob("*") if p.is_file())
    print(f"export: {args.posts} posts, {args.comments} comments, {size:.1f} MB")
    print(f"imported: {report.posts} posts, {report.comments_kept} comments kept, "
          f"{len(report.left_out)} left out, {files} files written")
    print(f"time: {wall:.1f} s wall, {cpu:.1f} s CPU (target < 30 s)")
    print(f"peak memory: {peak:.0f} MB resident (target < 500 MB)")


if __name__ == "__main__":
    main()
