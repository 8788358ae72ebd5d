"""Fetching and curating at scale, against feeds served from 127.0.0.1 only.

Serves 200 generated RSS feeds (50 entries each) from a threaded HTTP server on
loopback; 20 of them hang past the per-request timeout. Prints:

1. cold fetch time / per-request timeout   (target <= 1.5): one slow feed must
   not hold up the others, so a cold fetch costs about one timeout;
2. warm re-fetch bytes / cold bytes        (target <= 5%): the second fetch
   sends back ETag/Last-Modified and gets 304s; bytes are counted by the
   server, status line and headers included;
3. time to curate 20,000 stored articles   (target <= 0.5 s): read them from
   the SQLite store and run mkdocs_winwin.reading_list.curation over them.

    .venv/bin/python benchmarks/feeds.py
    .venv/bin/python benchmarks/feeds.py --timeout 1 --concurrency 24
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import threading
import time
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from mkdocs_winwin.reading_list import curation  # noqa: E402
from mkdocs_winwin.reading_list.articles import Article  # noqa: E402
from mkdocs_winwin.reading_list.fetch import FetchSettings, fetch_all  # noqa: E402
from mkdocs_winwin.reading_list.sources import Source, source_id  # noqa: E402
from mkdocs_winwin.reading_list.store import SourceState, open_store  # noqa: E402

FEEDS, ENTRIES, HANGING = 200, 50, 20
WORDS = ("give first listen follow up introduce share article help network conversation coffee "
         "mentor meetup thank feedback ask hobby project team advice").split()
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


def words(seed: int, count: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 13) % len(WORDS)] for i in range(count))


def make_feed(index: int) -> bytes:
    items = []
    for n in range(ENTRIES):
        when = NOW - dt.timedelta(hours=index + n * 24)
        items.append(
            f"<item><title>{words(index + n, 6).capitalize()} #{index}-{n}</title>"
            f"<link>https://feed{index}.example.org/posts/{n}?utm_source=rss</link>"
            f"<guid isPermaLink='false'>feed{index}-{n}</guid><pubDate>{format_datetime(when)}</pubDate>"
            f"<description>&lt;p&gt;{words(index * n, 45)}&lt;/p&gt;</description></item>"
        )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {index}</title>'
            f'<link>https://feed{index}.example.org/</link>{"".join(items)}</channel></rss>').encode()


class _Server(ThreadingHTTPServer):
    # A listen backlog as deep as the client's concurrency: the stdlib's 5 would
    # drop SYNs and add 1 s retransmits that are not winwin's doing.
    request_queue_size = 256
    daemon_threads = True


class FeedServer:
    """200 feeds on 127.0.0.1 with ETag/Last-Modified and 304s; every 10th hangs for `hang` seconds."""

    def __init__(self, hang: float):
        self.bodies = [make_feed(i) for i in range(FEEDS)]
        self.etags = [f'"{hashlib.sha1(body).hexdigest()[:16]}"' for body in self.bodies]
        self.modified = format_datetime(NOW, usegmt=True)
        self.hang = hang
        self.sent = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                index = int(self.path.strip("/").split(".")[0].split("/")[-1])
                if index % (FEEDS // HANGING) == 0:
                    time.sleep(server.hang)  # past the client's timeout; it has given up
                    return
                if self.headers.get("If-None-Match") == server.etags[index]:
                    status, body = "304 Not Modified", b""
                else:
                    status, body = "200 OK", server.bodies[index]
                head = (f"HTTP/1.1 {status}\r\nContent-Type: application/rss+xml\r\n"
                        f"ETag: {server.etags[index]}\r\nLast-Modified: {server.modified}\r\n"
                        + (f"Content-Length: {len(body)}\r\n" if body else "") + "\r\n").encode()
                self.wfile.write(head + body)
                with server.lock:
                    server.sent += len(head) + len(body)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def take_sent(self) -> int:
        with self.lock:
            sent, self.sent = self.sent, 0
        return sent

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def fetch_figures(timeout: float, concurrency: int) -> tuple[float, float]:
    server = FeedServer(hang=timeout + 1)
    sources = [Source(id=source_id(f"{server.base}/feed/{i}.xml"), url=f"{server.base}/feed/{i}.xml",
                      name=f"Feed {i}") for i in range(FEEDS)]
    settings = FetchSettings(timeout=timeout, concurrency=concurrency, user_agent="winwin-benchmark")
    try:
        with tempfile.TemporaryDirectory() as tmp, open_store(tmp) as store:
            started, cpu = time.perf_counter(), time.process_time()
            cold = fetch_all(sources, store, settings)
            cold_time, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
            cold_bytes = server.take_sent()
            started, cpu = time.perf_counter(), time.process_time()
            warm = fetch_all(sources, store, settings)
            warm_time, warm_cpu = time.perf_counter() - started, time.process_time() - cpu
            warm_bytes = server.take_sent()
            stored = len(store.articles())
    finally:
        server.close()

    def outcomes(results):
        counts: dict[str, int] = {}
        for r in results:
            counts[r.outcome] = counts.get(r.outcome, 0) + 1
        return ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))

    print(f"feeds: {FEEDS} x {ENTRIES} entries, {HANGING} hanging; timeout {timeout:g} s, concurrency {concurrency}")
    # CPU seconds (parsing, mostly feedparser) bound a cold fetch from below when
    # they exceed the timeout: a short --timeout on a busy machine shows it.
    print(f"  cold fetch: {cold_time:.2f} s, {cold_cpu:.2f} CPU s ({outcomes(cold)}; {stored} articles stored), "
          f"{cold_bytes:,} bytes")
    print(f"  warm fetch: {warm_time:.2f} s, {warm_cpu:.2f} CPU s ({outcomes(warm)}), {warm_bytes:,} bytes")
    return cold_time / timeout, warm_bytes / cold_bytes


def curate_figure(count: int = 20_000) -> float:
    per_source = 50
    with tempfile.TemporaryDirectory() as tmp, open_store(tmp) as store:
        for s in range(count // per_source):
            sid = f"source-{s}"
            store.save(SourceState(source_id=sid, url=f"https://s{s}.example.org/feed", name=f"Source {s}"), [
                Article(source_id=sid, source_name="", url=f"https://s{s}.example.org/p/{n}?utm_medium=feed",
                        title=f"{words(s + n, 7).capitalize()} {s}-{n}", summary=words(s * n, 45),
                        published=NOW - dt.timedelta(hours=s + n * 24), guid=f"{s}-{n}", first_seen=NOW)
                for n in range(per_source)
            ])
        rules = curation.Rules(include=("share", "help", "listen"), exclude=("spam",), max_age_days=365,
                               per_source=10, total=50, weights={f"source-{s}": 1 + s % 3 / 2 for s in range(400)})
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            articles = store.articles()
            loaded = time.perf_counter() - started
            decisions = curation.curate(articles, rules, NOW)
            timings.append((time.perf_counter() - started, loaded))
    total, loaded = min(timings)
    kept = sum(d.kept for d in decisions)
    print(f"curation: {len(articles):,} stored articles -> {kept} kept; best of 3: "
          f"{total:.3f} s ({loaded:.3f} s reading the store, {total - loaded:.3f} s curating)")
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=FetchSettings().timeout,
                        help="per-request timeout in seconds (default: winwin's own)")
    parser.add_argument("--concurrency", type=int, default=FetchSettings().concurrency)
    args = parser.parse_args()
    ratio, share = fetch_figures(args.timeout, args.concurrency)
    curate_time = curate_figure()
    print()
    print(f"cold fetch time / timeout : {ratio:.2f}   (target <= 1.5)")
    print(f"warm bytes / cold bytes   : {share:.2%}   (target <= 5%)")
    print(f"curate 20,000 articles    : {curate_time:.3f} s (target <= 0.5 s)")
    met = ratio <= 1.5 and share <= 0.05 and curate_time <= 0.5
    print("all targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
