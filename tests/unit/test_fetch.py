"""Fetching and parsing: each feed format over HTTP and from a local file, the
headers actually sent (User-Agent, conditional GET), 304/301, untrusted links
and markup, and XML entity tricks."""

from __future__ import annotations

import datetime as dt
import json
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urljoin

import pytest

from mkdocs_winwin.reading_list.parse import parse_feed, plain_text
from mkdocs_winwin.reading_list.fetch import FetchSettings, fetch_all, format_report, refresh_local
from mkdocs_winwin.reading_list.sources import Source, source_id
from mkdocs_winwin.reading_list.store import open_store
from tests.feed_server import feed_server

FEEDS = Path(__file__).parent / "feeds"
SAMPLES = sorted(p for p in FEEDS.iterdir() if not p.name.endswith(".expected.json"))
SETTINGS = FetchSettings(timeout=2, concurrency=4, user_agent="winwin/test (+https://test.example.org/; Test site)")
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
CONTENT_TYPES = {".xml": "application/xml", ".rdf": "application/rdf+xml", ".json": "application/feed+json"}


@pytest.fixture(scope="module")
def server():
    with feed_server() as srv:
        yield srv


def remote(url: str, name: str = "Remote") -> Source:
    return Source(id=source_id(url), url=url, name=name)


def local(path: Path, name: str = "Local") -> Source:
    return Source(id=source_id(path.name), url=path.name, name=name, path=path)


def expected_articles(sample: Path, base: str) -> list[dict]:
    expected = json.loads(sample.with_name(sample.stem + ".expected.json").read_text())
    for item in expected:
        if item["url"].startswith("rel:"):
            item["url"] = urljoin(base, item["url"][4:])
    return expected


def as_dicts(articles) -> list[dict]:
    return [{"guid": a.guid, "url": a.url, "title": a.title, "summary": a.summary,
             "published": a.published.isoformat() if a.published else None} for a in articles]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("via", ["http", "gzip", "no-content-type", "local"])
def test_each_format_gives_the_expected_articles(sample, via, server, tmp_path):
    data = sample.read_bytes()
    site_link = {"rss20.xml": "https://rss20.example.org/", "jsonfeed.json": "https://json.example.org/"}
    if via == "local":
        source = local(sample)
        base = site_link.get(sample.name, "")
    else:
        path = f"/{via}/{sample.name}"
        headers = {} if via == "no-content-type" else {"Content-Type": CONTENT_TYPES[sample.suffix]}
        if via == "gzip":
            import gzip
            data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
        server.expect_request(path).respond_with_data(data, headers=headers, content_type=None)
        source = remote(server.url_for(path))
        base = source.url
    with open_store(tmp_path) as store:
        [result] = fetch_all([source], store, SETTINGS)
        assert result.outcome == "updated", format_report([result])
        assert as_dicts(result.articles) == expected_articles(sample, base)
        assert {a.guid for a in store.articles()} == {a.guid for a in result.articles}


def test_user_agent_and_conditional_get_send_back_validators_exactly(server, tmp_path):
    etag, modified = 'W/"v1 with spaces"', "Wed, 21 Oct 2015 07:28:00 GMT"
    server.expect_ordered_request("/cond.xml").respond_with_data(
        (FEEDS / "rss20.xml").read_bytes(), headers={"ETag": etag, "Last-Modified": modified},
        content_type="application/rss+xml")
    server.expect_ordered_request("/cond.xml", headers={"If-None-Match": etag, "If-Modified-Since": modified}) \
        .respond_with_data("", status=304)
    source = remote(server.url_for("/cond.xml"))
    with open_store(tmp_path) as store:
        [first] = fetch_all([source], store, SETTINGS)
        [second] = fetch_all([source], store, SETTINGS)
        assert (first.outcome, second.outcome) == ("updated", "not-modified")
        assert len(store.articles()) == 2  # a 304 keeps what we have
        assert store.state(source.id).etag == etag
    sent = [request for request, _ in server.log if request.path == "/cond.xml"]
    assert [r.headers.get("User-Agent") for r in sent] == [SETTINGS.user_agent] * 2
    assert "If-None-Match" not in sent[0].headers
    assert (sent[1].headers["If-None-Match"], sent[1].headers["If-Modified-Since"]) == (etag, modified)
    server.check_assertions()


def test_permanent_redirect_records_the_new_url_and_tells_the_owner(server, tmp_path):
    server.expect_request("/old.xml").respond_with_data("", status=301, headers={"Location": "/moved/new.xml"})
    server.expect_request("/moved/new.xml").respond_with_data((FEEDS / "atom.xml").read_bytes(),
                                                               content_type="application/atom+xml")
    source = remote(server.url_for("/old.xml"), "Mover")
    with open_store(tmp_path) as store:
        [result] = fetch_all([source], store, SETTINGS)
        assert result.outcome == "updated"
        assert store.state(source.id).new_url == server.url_for("/moved/new.xml")
    assert f"moved permanently to {server.url_for('/moved/new.xml')}: put that URL in mkdocs.yml" \
        in format_report([result])


def test_once_the_owner_takes_the_new_url_the_articles_follow(server, tmp_path):
    server.expect_request("/was.xml").respond_with_data("", status=301, headers={"Location": "/now.xml"})
    server.expect_request("/now.xml").respond_with_data((FEEDS / "rss20.xml").read_bytes())
    old, new = remote(server.url_for("/was.xml")), remote(server.url_for("/now.xml"))
    with open_store(tmp_path) as store:
        fetch_all([old], store, SETTINGS)
        server.clear()  # the feed now drops its old items
        server.expect_request("/now.xml").respond_with_data(
            b'<rss version="2.0"><channel><title>t</title><item><title>n</title><link>https://n.example/</link>'
            b'</item></channel></rss>')
        [result] = fetch_all([new], store, SETTINGS)
        assert result.outcome == "updated"
        assert {a.guid for a in store.articles([new.id])} == {"rss20-1", "rss20-2", "https://n.example/"}
        assert set(store.sources_state()) == {new.id}


def test_temporary_redirect_is_followed_without_recording_a_move(server, tmp_path):
    server.expect_request("/tmp.xml").respond_with_data("", status=302, headers={"Location": "/moved/tmp.xml"})
    server.expect_request("/moved/tmp.xml").respond_with_data((FEEDS / "atom.xml").read_bytes())
    with open_store(tmp_path) as store:
        [result] = fetch_all([remote(server.url_for("/tmp.xml"))], store, SETTINGS)
        assert result.outcome == "updated" and result.state.new_url is None and not result.warnings


HOSTILE = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>
<item><title>&lt;script&gt;alert(1)&lt;/script&gt;Hello &lt;b onclick="x()"&gt;there&lt;/b&gt;</title>
  <link>javascript:alert(1)</link><guid>h1</guid></item>
<item><title>Data link</title><link>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</link><guid>h2</guid></item>
<item><title>VB</title><link> VBScript:msgbox(1)</link><guid>h3</guid></item>
<item><title>Fine &lt;img src=x onerror=alert(1)&gt;</title><link>https://hostile.example/ok</link><guid>h4</guid>
  <description>&lt;style&gt;body{display:none}&lt;/style&gt;&lt;p onmouseover="steal()"&gt;Real text&lt;/p&gt;&lt;script&gt;evil()&lt;/script&gt;</description></item>
</channel></rss>"""


def test_only_http_links_survive_and_markup_becomes_plain_text(tmp_path):
    feed = tmp_path / "hostile.xml"
    feed.write_bytes(HOSTILE)
    with open_store(tmp_path) as store:
        [result] = refresh_local([local(feed, "Hostile feed")], store)
        [kept] = store.articles()
    assert (kept.url, kept.title, kept.summary) == ("https://hostile.example/ok", "Fine", "Real text")
    report = format_report([result])
    assert "Hostile feed <hostile.xml>" in report
    assert "dropped 3 entries whose link is not http(s): 'javascript:alert(1)', 'data:text/html," in report


def test_plain_text_strips_tags_drops_script_content_and_decodes_entities_once():
    assert plain_text("<p>A &amp;amp; B<script>x()</script><style>p{}</style></p>\n  <i>c</i>") == "A &amp; B c"
    assert plain_text("&lt;b&gt;bold&lt;/b&gt;") == "<b>bold</b>"  # text that looks like markup stays text


def parse(data: bytes, **headers):
    return parse_feed(data, url="https://feed.example/x/feed.xml", headers=headers, source_id="s",
                      source_name="S", now=NOW)


def billion_laughs(levels: int = 10) -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)]
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{chr(10).join(entities)}\n]>\n'
            f'<rss version="2.0"><channel><title>t</title><item><title>a&lol{levels - 1};b</title>'
            f'<link>https://x.example/1</link><description>&lol{levels - 1};</description></item>'
            f'</channel></rss>').encode()


def test_billion_laughs_is_bounded_in_time_and_memory():
    # Expanded, this kilobyte is 3 GB of "lol": the memory bound and the text
    # are what prove it was not. The parse takes milliseconds; the time bound
    # is a thousand times that, so only a real hang (a parser churning through
    # the expansion without keeping it) fails it, not a loaded machine.
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = parse(billion_laughs())
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000, f"peak {peak:,} bytes"
    assert elapsed < 10, f"{elapsed:.1f} s"
    assert [a.title for a in result.articles] == ["a&lol9;b"]  # the entity is left as text, unexpanded
    assert all("lollol" not in a.title + a.summary for a in result.articles)


def test_a_small_entity_bomb_is_not_expanded_either():
    # 10^5 "lol"s (300 kB) is under expat's amplification guard, which only
    # starts at megabytes: only how feeds are parsed (feedparser drops the
    # DTD's entity declarations) keeps this one unexpanded.
    result = parse(billion_laughs(levels=6))
    assert [a.title for a in result.articles] == ["a&lol5;b"]
    assert all("lollol" not in a.title + a.summary for a in result.articles)


def test_external_entities_are_never_loaded(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
            '<rss version="2.0"><channel><title>t</title><item><title>a&x;b</title>'
            '<link>https://x.example/1</link></item></channel></rss>').encode()
    [article] = parse(data).articles
    assert "TOP-SECRET" not in article.title + article.summary


def test_latin1_http_charset_on_utf8_bytes_is_read_as_utf8():
    data = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            '<item><title>café ñ</title><link>https://x.example/1</link></item></channel></rss>').encode()
    result = parse(data, **{"content-type": "text/xml; charset=ISO-8859-1"})
    assert [a.title for a in result.articles] == ["café ñ"]
    assert any("declared charset=ISO-8859-1 but sent UTF-8" in w for w in result.warnings)


def test_future_dates_are_ignored_and_reported():
    data = (b'<rss version="2.0"><channel><title>t</title><item><title>x</title><link>https://x.example/1</link>'
            b'<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item></channel></rss>')
    result = parse(data)
    assert result.articles[0].published is None
    assert result.warnings == ["1 entries are dated in the future; their date was ignored"]


def test_guid_that_is_a_permalink_stands_in_for_a_missing_link():
    data = (b'<rss version="2.0"><channel><title>t</title><item><title>x</title>'
            b'<guid>https://x.example/perma</guid></item></channel></rss>')
    assert [a.url for a in parse(data).articles] == ["https://x.example/perma"]


def test_json_that_is_not_a_json_feed_is_an_error():
    assert "JSON Feed 'version'" in parse(b'{"items": []}').error
    assert parse(b"{\"a\": " + b"[" * 100_000).error.startswith("not valid JSON")  # too deep


def test_no_more_than_concurrency_requests_at_once(server, tmp_path):
    import threading

    from werkzeug import Response

    lock, state = threading.Lock(), {"now": 0, "max": 0}
    body = (FEEDS / "rss20.xml").read_bytes()
    # Requests are answered three at a time, once three are in: reaching 3 at
    # once does not depend on how fast threads start on a busy machine (with
    # fewer allowed, the barrier breaks and the fetches fail). The short hold
    # after it only widens the window in which a fourth request would be seen.
    together = threading.Barrier(3, timeout=30)

    def slow(request):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        try:
            together.wait()
            time.sleep(0.05)
        finally:
            with lock:
                state["now"] -= 1
        return Response(body, content_type="application/rss+xml")

    for n in range(9):
        server.expect_request(f"/slow/{n}.xml").respond_with_handler(slow)
    sources = [remote(server.url_for(f"/slow/{n}.xml"), f"Slow {n}") for n in range(9)]
    with open_store(tmp_path) as store:
        results = fetch_all(sources, store, FetchSettings(timeout=60, concurrency=3))
    assert [r.outcome for r in results] == ["updated"] * 9
    assert state["max"] == 3


def test_a_source_can_lower_the_body_cap(server, tmp_path):
    server.expect_request("/capped.xml").respond_with_data((FEEDS / "atom.xml").read_bytes())
    source = Source(id="capped", url=server.url_for("/capped.xml"), name="Capped", max_bytes=100)
    with open_store(tmp_path) as store:
        [result] = fetch_all([source], store, SETTINGS)
    assert result.failed and "over the 100-byte cap" in result.problem
