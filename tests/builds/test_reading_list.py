"""The reading list: its page model, and real builds of small sites with local feeds."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import feedparser
import lxml.html
import pytest
from mkdocs.exceptions import Abort

from mkdocs_winwin.reading_list import page as reading_list
from mkdocs_winwin.reading_list.articles import Article
from mkdocs_winwin.reading_list.curation import Rules, curate
from mkdocs_winwin.reading_list.picks import parse_picks
from mkdocs_winwin.reading_list.page import plain_summary
from tests.support import MINIMAL_CONFIG, REPO, build_tree, small_site

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)


# --- summaries ----------------------------------------------------------------

@pytest.mark.parametrize("text, limit, expected", [
    ("Short and sweet.", 300, "Short and sweet."),
    ("  spaced \n\t out  ", 300, "spaced out"),
    ("one two three four", 13, "one two…"),
    ("one two, three four", 14, "one two…"),  # no dangling comma before the ellipsis
    ("one two three four", 18, "one two three four"),
    ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghi…"),  # one long word is cut inside
])
def test_plain_summary(text, limit, expected):
    assert plain_summary(text, limit) == expected
    assert len(plain_summary(text, limit)) <= limit


def test_summary_of_300_characters_at_most_on_a_word_boundary():
    text = " ".join(["networking"] * 60)
    cut = plain_summary(text, 300)
    assert len(cut) <= 300 and cut.endswith("networking…")


# --- the page model -----------------------------------------------------------

def art(url, title, source="a", days=1, summary=""):
    when = NOW - dt.timedelta(days=days)
    return Article(source, f"Source {source}", url, title, summary, when, url, when)


def model(articles, picks_yml="", **kwargs):
    picks, problems = parse_picks(picks_yml, "picks.yml")
    assert not problems
    rules = Rules(pinned=frozenset(picks.pinned()), hidden=picks.hidden_urls)
    decisions = curate(articles, rules, NOW)
    kwargs.setdefault("source_groups", {"a": "first", "b": "second"})
    kwargs.setdefault("group_titles", {"second": "Second chapter", "first": "First chapter"})
    return reading_list.build(decisions, picks, **kwargs)


def test_groups_follow_the_guide_order_then_topics_then_the_rest():
    articles = [art("https://a.org/1", "A one"), art("https://b.org/1", "B one", source="b"),
                art("https://c.org/1", "C one", source="c"), art("https://d.org/1", "D one", source="d")]
    built, warnings = model(articles, source_groups={"a": "first", "b": "second", "c": "zebra"})
    assert warnings == []
    assert [(g.key, g.title) for g in built.groups] == [
        ("second", "Second chapter"), ("first", "First chapter"), ("zebra", "zebra"), ("", "More to read")]


def test_pins_carry_their_note_and_theme_and_come_first():
    articles = [art("https://a.org/new", "New one", days=1), art("https://a.org/pinned", "Pinned one", days=9)]
    built, warnings = model(articles, """
        pins:
          - url: https://a.org/pinned/
            note: Send it to Sam.
            theme: second
    """.replace("\n        ", "\n"))
    assert warnings == []
    (second,) = [g for g in built.groups if g.key == "second"]
    assert [(i.title, i.note, i.curated) for i in second.items] == [("Pinned one", "Send it to Sam.", True)]
    assert built.items[0].title == "Pinned one"


def test_a_pin_missing_from_the_store_is_shown_from_the_pin_and_reported():
    built, warnings = model([art("https://a.org/1", "A one")], """
pins:
  - url: https://gone.example.org/article
    note: Still worth it.
    title: The gone article
    theme: first
""")
    assert len(warnings) == 1
    assert "https://gone.example.org/article is not in the article store" in warnings[0]
    assert "winwin feeds fetch" in warnings[0]
    gone = [i for i in built.items if i.url == "https://gone.example.org/article"][0]
    assert (gone.title, gone.note, gone.source, gone.group) == (
        "The gone article", "Still worth it.", "gone.example.org", "first")


def test_manual_picks_are_listed_without_a_warning_and_sorted_by_date():
    built, warnings = model([art("https://a.org/1", "A one", days=3)], """
picks:
  - url: https://m.example.org/old
    title: Old manual
    date: 2026-01-01
    note: n
  - url: https://m.example.org/new
    title: New manual
    date: 2026-05-31
    note: n
""")
    assert warnings == []
    assert [i.title for i in built.newest(2)] == ["New manual", "A one"]
    assert [i.title for i in built.items] == ["New manual", "Old manual", "A one"]


def test_an_item_whose_link_is_not_http_is_dropped_with_a_warning():
    built, warnings = model([art("javascript:alert(1)", "Evil"), art("https://a.org/ok", "Fine")])
    assert [i.title for i in built.items] == ["Fine"]
    assert warnings == ["reading list: dropped 'Evil' from Source a: its link 'javascript:alert(1)' is not http(s)"]


def test_a_misspelt_theme_is_reported_but_a_topic_is_not():
    warnings = reading_list.theme_typos(
        {"picks.yml: https://a.org/1": "be-of-helpp", "source 'B'": "design", "source 'C'": "first"},
        ["first", "be-of-help"])
    assert warnings == ["picks.yml: https://a.org/1: theme 'be-of-helpp' is not a guide theme, so its articles "
                        "get a group of their own. Fix: did you mean 'be-of-help'?"]


# --- real builds --------------------------------------------------------------

READING_CONFIG = MINIMAL_CONFIG.replace("  - blog\n", """  - winwin-reading-list:
      sources:
        - url: feeds/give-first.xml
          name: Giving first
          theme: first
        - url: feeds/conversation.xml
          name: Conversation
          theme: second
        - url: feeds/follow-up.json
          name: Follow-up
  - blog
""")
SAMPLES = REPO / "content" / "reading-list" / "feeds"
PICKS = """
pins:
  - url: https://en.wikipedia.org/wiki/Active_listening?utm_source=newsletter
    theme: first
    note: Send it to <b>a new mentor</b> & their mentee.
  - url: https://example.org/not-in-any-feed
    title: An article the feeds dropped
    note: Still worth sending.
picks:
  - url: https://example.net/manual
    title: A manual pick
    date: 2026-11-20
    note: Picked by hand.
hide:
  - https://en.wikipedia.org/wiki/Small_talk
"""


def reading_site(root: Path, picks: str | None = PICKS, config: str = READING_CONFIG,
                 home: str = "# Home\n\n<!-- winwin:latest-picks -->\n") -> Path:
    files = {"content/index.md": home}
    if picks is not None:
        files["content/reading-list/picks.yml"] = picks
    small_site(root, files, config=config)
    shutil.copytree(SAMPLES, root / "feeds")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    # Not strict: the pin that is in no feed is reported with a warning, on purpose.
    return build_tree(reading_site(tmp_path_factory.mktemp("reading")), strict=False)


def html_of(site: Path, rel: str):
    return lxml.html.fromstring((site / rel).read_text(encoding="utf-8"))


def test_the_page_lists_items_grouped_with_links_notes_and_share_rows(built):
    doc = html_of(built, "reading-list/index.html")
    content = doc.xpath('//article[contains(@class, "md-content__inner")]')[0]
    assert [h.text_content().strip() for h in content.xpath(".//h2")] == [
        "First", "Second", "More to read"]
    items = content.xpath('.//li[contains(@class, "winwin-reading-list__item")]')
    titles = [i.xpath('.//h3/a')[0].text_content().strip() for i in items]
    # 4 + 4 + 3 sample articles, one hidden, plus the pin from no feed and the manual pick.
    assert len(items) == 12 and "Small talk" not in titles
    assert titles[0] == "Active listening"  # pinned into "first", and pins come first
    first = items[0]
    assert first.xpath(".//h3/a/@href") == ["https://en.wikipedia.org/wiki/Active_listening"]
    assert first.xpath(".//h3/a/@rel") == ["noopener noreferrer"]
    assert "Conversation" in first.xpath('.//*[@class="winwin-reading-list__source"]')[0].text_content()
    note = first.xpath('.//*[@class="winwin-reading-list__note"]')[0]
    assert note.text_content() == "Why it helps: Send it to <b>a new mentor</b> & their mentee."
    assert note.xpath(".//b") == []  # the note is text, not markup
    assert first.xpath(".//time/@datetime") == ["2026-11-09"]
    share = first.xpath('.//div[contains(@class, "winwin-share")]//a/@href')
    assert any(h.startswith("https://www.linkedin.com/") and "Active_listening" in h for h in share)
    for anchor in content.xpath('.//h3/a'):
        assert anchor.get("href").startswith(("https://", "http://"))
        assert anchor.get("rel") == "noopener noreferrer"
    assert content.xpath('.//p[contains(., "Goes with the guide chapter")]/a/@href') == [
        "../guide/first/", "../guide/second/"]


def test_a_pin_missing_from_the_store_fails_a_strict_build(tmp_path, caplog):
    site = reading_site(tmp_path, picks=PICKS.replace("https://example.org/not-in-any-feed", "https://x.org/gone"))
    with caplog.at_level(logging.WARNING), pytest.raises(Abort, match="warning"):
        build_tree(site, strict=True)
    assert "picks.yml: the pinned article https://x.org/gone is not in the article store" in caplog.text


def test_a_misspelt_theme_in_a_build_is_a_warning(tmp_path, caplog):
    site = reading_site(tmp_path, picks=None, config=READING_CONFIG.replace("theme: second", "theme: secnd"))
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_tree(site, strict=True)
    assert "reading list source 'Conversation': theme 'secnd' is not a guide theme" in caplog.text
    assert "did you mean 'second'?" in caplog.text


def test_inputs_stay_out_of_the_site(built, tmp_path):
    assert not (built / "reading-list" / "picks.yml").exists()
    site = reading_site(tmp_path, picks="", config=READING_CONFIG.replace("url: feeds/", "url: content/feeds/"))
    shutil.move(site / "feeds", site / "content" / "feeds")
    out = build_tree(site, strict=True)
    assert (out / "reading-list" / "index.html").exists()
    assert not (out / "feeds").exists()


def test_the_home_page_shows_the_three_newest_picks(built):
    doc = html_of(built, "index.html")
    links = doc.xpath('//ul[@class="winwin-latest-picks"]/li/a')
    assert [a.text_content() for a in links] == [
        "A manual pick", "Feedback", "Active listening"]
    assert all(a.get("rel") == "noopener noreferrer" for a in links)
    assert doc.xpath('//a[text()="The whole reading list"]/@href') == ["reading-list/"]


@pytest.mark.parametrize("name, kind", [("rss-picks.xml", "rss20"), ("atom-picks.xml", "atom10")])
def test_picks_feeds_are_valid_and_announced(built, name, kind):
    parsed = feedparser.parse((built / name).read_bytes())
    assert parsed.bozo == 0 and parsed.version == kind
    assert len(parsed.entries) == 12
    assert parsed.entries[0].title == "A manual pick"  # newest first
    assert parsed.entries[0].link == "https://example.net/manual"
    listening = [e for e in parsed.entries if e.title == "Active listening"][0]
    assert listening.summary.startswith("Send it to <b>a new mentor</b> & their mentee.") or \
        listening.summary.startswith("Send it to &lt;b&gt;")
    for page in ("index.html", "reading-list/index.html", "guide/first/index.html"):
        hrefs = html_of(built, page).xpath('//link[@rel="alternate"]/@href')
        assert any(h.endswith(name) for h in hrefs), page


def test_an_empty_store_gives_a_page_that_says_so(tmp_path):
    config = MINIMAL_CONFIG.replace("  - blog\n", "  - winwin-reading-list\n  - blog\n")
    small_site(tmp_path, {"content/index.md": "# Home\n\n<!-- winwin:latest-picks -->\n"}, config=config)
    site = build_tree(tmp_path, strict=True)
    page = (site / "reading-list" / "index.html").read_text()
    assert "The reading list is empty for now" in page
    assert "No picks yet" in (site / "index.html").read_text()
    assert feedparser.parse((site / "rss-picks.xml").read_bytes()).entries == []


def test_a_broken_picks_file_stops_the_build_naming_every_problem(tmp_path, caplog):
    site = reading_site(tmp_path, picks="pins:\n  - url: ftp://x\n  - note: hi\n")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build_tree(site, strict=True)
    message = caplog.text
    assert "2 problem(s) in content/reading-list/picks.yml" in message
    assert "pins entry 1 (ftp://x): 'url': expected an http(s) URL" in message
    assert "pins entry 2: 'url': is missing" in message


def test_grouping_by_source(tmp_path):
    config = READING_CONFIG.replace("  - winwin-reading-list:\n", "  - winwin-reading-list:\n      group_by: source\n")
    picks = PICKS.replace("  - url: https://example.org/not-in-any-feed\n    title: An article the feeds dropped\n"
                          "    note: Still worth sending.\n", "")
    site = build_tree(reading_site(tmp_path, picks=picks, config=config), strict=True)
    doc = html_of(site, "reading-list/index.html")
    assert [h.text_content().strip() for h in doc.xpath('//article//h2')] == [
        "Giving first", "Conversation", "Follow-up", "example.net"]
    # The pin's theme does not pull it out of its source's group.
    conversation = doc.xpath('//h2[@id="conversation"]/following-sibling::ul[1]//h3/a/text()')
    assert conversation[0] == "Active listening"


def test_the_shipped_site_has_a_reading_list_out_of_the_box(shipped_site):
    doc = html_of(shipped_site, "reading-list/index.html")
    items = doc.xpath('//li[contains(@class, "winwin-reading-list__item")]')
    assert len(items) >= 8
    assert len(doc.xpath('//*[@class="winwin-reading-list__note"]')) == 2
    home = html_of(shipped_site, "index.html")
    assert len(home.xpath('//ul[@class="winwin-latest-picks"]/li')) == 3
    assert feedparser.parse((shipped_site / "rss-picks.xml").read_bytes()).bozo == 0


def test_feeds_list_why_explains_every_article(tmp_path):
    from click.testing import CliRunner

    from mkdocs_winwin.cli.main import main

    site = reading_site(tmp_path)
    result = CliRunner().invoke(main, ["feeds", "list", "--why", "-f", str(site / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "10 of 11 stored articles on the reading list, 1 manual pick(s) besides." in out
    assert "  1   " in out and "pinned" in out and "Active listening  (Conversation)" in out
    assert "kept: pinned in picks.yml; score " in out
    hidden = out.split("Small talk  (Conversation)")[1].splitlines()[1].strip()
    assert hidden == "hidden: its URL is hidden in picks.yml"
    assert "is not in the article store" in out  # the missing pin, as a warning
    brief = CliRunner().invoke(main, ["feeds", "list", "-f", str(site / "mkdocs.yml")]).output
    assert "Small talk" not in brief and "Active listening" in brief


def test_source_date_epoch_fixes_now_so_rebuilds_match(tmp_path, monkeypatch):
    # 2026-11-20: with a 30-day limit, everything before 2026-10-21 is too old.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc).timestamp())))
    config = READING_CONFIG.replace("  - winwin-reading-list:\n", "  - winwin-reading-list:\n      max_age_days: 30\n")
    root = reading_site(tmp_path, picks=None, config=config)
    first = (build_tree(root, strict=True) / "reading-list" / "index.html").read_text()
    dates = lxml.html.fromstring(first).xpath("//li[contains(@class, 'winwin-reading-list__item')]//time/@datetime")
    # Exactly the sample articles of the 30 days before 2026-11-20: 2026-10-26
    # is in only because "now" is the epoch (any clock from 2026-11-25 on drops
    # it), 2026-10-19 is out because the limit holds.
    assert sorted(dates) == ["2026-10-26", "2026-11-02", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert (build_tree(root, strict=True) / "reading-list" / "index.html").read_text() == first
