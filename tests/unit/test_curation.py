"""Curation rules over hand-made Articles: filters, caps, de-duplication, ranking, explanations."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import pytest

from mkdocs_winwin.reading_list import curation
from mkdocs_winwin.reading_list.articles import Article
from mkdocs_winwin.reading_list.curation import Rules, canonical_url, curate

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.timezone.utc)


def art(url: str, title: str = "", summary: str = "", *, source: str = "a", days: float = 1,
        name: str | None = None, dated: bool = True) -> Article:
    when = NOW - dt.timedelta(days=days)
    return Article(source_id=source, source_name=name or f"Source {source.upper()}", url=url,
                   title=title or url.rsplit("/", 1)[-1], summary=summary,
                   published=when if dated else None, guid=url, first_seen=when)


def kept(decisions) -> list[str]:
    return [d.article.url for d in decisions if d.kept]


def rule_of(decisions, url: str) -> str:
    (d,) = [d for d in decisions if d.article.url == url]
    return d.rule


@pytest.mark.parametrize("url, expected", [
    ("HTTPS://Example.COM/Path/", "https://example.com/Path"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/", "https://example.com/"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com/a?utm_source=x&utm_medium=y&id=3#comments", "https://example.com/a?id=3"),
    ("https://example.com/a?fbclid=1&gclid=2&b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("https://example.com/a/?mc_cid=1&msclkid=2", "https://example.com/a"),
    ("https://example.com/a#section", "https://example.com/a"),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_include_and_exclude_are_whole_words_and_case_insensitive():
    articles = [
        art("https://x.org/1", "How to LISTEN well"),
        art("https://x.org/2", "Listening tours"),  # "listen" is not a whole word here
        art("https://x.org/3", "Listen to the crypto pitch"),
        art("https://x.org/4", "Nothing here", summary="but the summary says listen."),
        art("https://x.org/5", "A C++ meetup"),
    ]
    decisions = curate(articles, Rules(include=("listen", "C++"), exclude=("Crypto",)), NOW)
    assert sorted(kept(decisions)) == ["https://x.org/1", "https://x.org/4", "https://x.org/5"]
    assert rule_of(decisions, "https://x.org/2") == curation.NOT_INCLUDED
    assert rule_of(decisions, "https://x.org/3") == curation.EXCLUDED
    (excluded,) = [d for d in decisions if d.rule == curation.EXCLUDED]
    assert "'crypto'" in excluded.reason


def test_max_age_uses_first_seen_for_undated_articles():
    articles = [art("https://x.org/new", days=3), art("https://x.org/old", days=40),
                art("https://x.org/undated-old", days=40, dated=False)]
    decisions = curate(articles, Rules(max_age_days=30), NOW)
    assert kept(decisions) == ["https://x.org/new"]
    assert rule_of(decisions, "https://x.org/old") == curation.TOO_OLD
    assert "older than 30 days (2026-04-22)" in [d for d in decisions if d.article.url.endswith("/old")][0].reason


def test_caps_per_source_then_total_in_rank_order():
    articles = [art(f"https://a.org/{i}", f"A{i}", source="a", days=i) for i in range(1, 6)]
    articles += [art(f"https://b.org/{i}", f"B{i}", source="b", days=i + 0.5) for i in range(1, 6)]
    decisions = curate(articles, Rules(per_source=2, source_caps={"b": 1}, total=3), NOW)
    assert kept(decisions) == ["https://a.org/1", "https://b.org/1", "https://a.org/2"]
    assert rule_of(decisions, "https://b.org/2") == curation.SOURCE_CAP
    assert rule_of(decisions, "https://a.org/3") == curation.SOURCE_CAP
    assert "Source A already has 2 article(s)" in [d for d in decisions if d.article.url == "https://a.org/3"][0].reason
    decisions = curate(articles, Rules(per_source=2, source_caps={"b": 1}, total=2), NOW)
    assert kept(decisions) == ["https://a.org/1", "https://b.org/1"]
    assert rule_of(decisions, "https://a.org/2") == curation.TOTAL_CAP
    assert [d.rank for d in decisions if d.kept] == [1, 2]


def test_pins_bypass_filters_and_caps():
    pinned = art("https://a.org/old-but-gold?utm_source=feed", "Crypto, once", source="a", days=900)
    articles = [pinned] + [art(f"https://a.org/{i}", source="a") for i in range(3)]
    rules = Rules(exclude=("crypto",), max_age_days=30, per_source=1, total=1,
                  pinned=frozenset({"https://a.org/old-but-gold"}))
    decisions = curate(articles, rules, NOW)
    assert kept(decisions)[0] == pinned.url  # pins come first
    assert len(kept(decisions)) == 2  # the pin does not use up the caps
    assert decisions[0].rule == curation.PINNED and decisions[0].reason.startswith("kept: pinned")


def test_hidden_by_url_and_pattern_but_a_pin_beats_a_pattern():
    articles = [art("https://x.org/sponsored/1"), art("https://x.org/sponsored/2"),
                art("https://x.org/plain/?utm_campaign=z")]
    rules = Rules(hidden=frozenset({"https://x.org/plain"}), hidden_patterns=("https://x.org/sponsored/*",),
                  pinned=frozenset({"https://x.org/sponsored/2"}))
    decisions = curate(articles, rules, NOW)
    assert kept(decisions) == ["https://x.org/sponsored/2"]
    reasons = {d.article.url: d.reason for d in decisions if not d.kept}
    assert "hide pattern 'https://x.org/sponsored/*'" in reasons["https://x.org/sponsored/1"]
    assert "hidden in picks.yml" in reasons["https://x.org/plain/?utm_campaign=z"]


def test_duplicate_urls_across_sources_keep_the_best_ranked_copy():
    articles = [
        art("https://x.org/post/?utm_source=a", "Same post", source="a"),
        art("HTTPS://X.ORG/post#top", "Same post (syndicated)", source="b"),
    ]
    decisions = curate(articles, Rules(weights={"b": 2.0}), NOW)
    assert kept(decisions) == ["HTTPS://X.ORG/post#top"]
    dup = [d for d in decisions if not d.kept][0]
    assert dup.rule == curation.DUPLICATE_URL and "Source B" in dup.reason


@pytest.mark.parametrize("first, second, duplicate", [
    ("Ten ways to follow up after a meeting", "Ten Ways to Follow-Up After a Meeting!", True),
    ("Ten ways to follow up after a meeting", "Ten ways to follow up after a first meeting", True),
    ("Ten ways to follow up after a first meeting", "Ten ways to follow up after a meeting", True),
    ("Ten ways to follow up after a meeting", "Ten ways to follow up after a meeting | Source B", True),
    ("Café culture and networking", "Cafe culture and networking", True),
    ("Ten ways to follow up after a meeting", "Ten ways to follow up after a call", False),
    ("Active listening", "Active reading", False),
    ("Active listening", "Active listening tips", False),  # short titles must match exactly
])
def test_near_identical_titles(first, second, duplicate):
    articles = [art("https://a.org/1", first, source="a", days=1),
                art("https://b.org/2", second, source="b", days=2)]
    decisions = curate(articles, Rules(), NOW)
    assert (rule_of(decisions, "https://b.org/2") == curation.DUPLICATE_TITLE) is duplicate
    assert rule_of(decisions, "https://a.org/1") == curation.RANKED


def test_a_copy_of_a_capped_article_can_take_its_place():
    articles = [art("https://a.org/1", "First item here", source="a", days=1),
                art("https://a.org/2", "Second item here", source="a", days=2),
                art("https://b.org/2", "Second item here", source="b", days=3)]
    decisions = curate(articles, Rules(per_source=1), NOW)
    assert kept(decisions) == ["https://a.org/1", "https://b.org/2"]


def test_ranking_weighs_recency_keywords_and_source_weight():
    articles = [
        art("https://a.org/new", "plain", source="a", days=0),
        art("https://a.org/month", "plain", source="a", days=30),
        art("https://a.org/keyword", "listen and follow up", source="a", days=30),
        art("https://b.org/heavy", "plain", source="b", days=30),
    ]
    rules = Rules(include=("listen", "follow up", "plain"), weights={"b": 3.0}, half_life_days=30,
                  keyword_weight=0.5)
    decisions = {d.article.url: d for d in curate(articles, rules, NOW)}
    assert decisions["https://a.org/new"].score == pytest.approx(1.0 + 0.5)
    assert decisions["https://a.org/month"].score == pytest.approx(0.5 + 0.5)
    assert decisions["https://a.org/keyword"].score == pytest.approx(0.5 + 2 * 0.5)
    assert decisions["https://b.org/heavy"].score == pytest.approx(3.0 * (0.5 + 0.5))
    assert decisions["https://b.org/heavy"].rank == 1
    assert "weight 3 × (recency 0.500 + 0.5 × 1 keyword(s))" in decisions["https://b.org/heavy"].reason


def test_order_is_stable_whatever_the_input_order():
    articles = [art(f"https://x.org/{i}", f"Title number {i} of many", source="ab"[i % 2], days=i % 4)
                for i in range(60)]
    articles += [art("https://x.org/0?utm_source=copy", "copy", source="b")]
    first = curate(articles, Rules(per_source=10, total=15), NOW)
    shuffled = articles[:]
    random.Random(4).shuffle(shuffled)
    assert curate(shuffled, Rules(per_source=10, total=15), NOW) == first
    assert len(first) == len(articles)  # one decision per article, none lost
    assert all(d.reason for d in first)


def test_twenty_thousand_articles_curate_within_caps():
    """Scale check on correctness; the speed target lives in benchmarks/feeds.py."""
    rng = random.Random(7)
    words = "give first listen help follow up network coffee intro ask share article team".split()
    articles = [
        art(f"https://s{i % 200}.example.org/{i}?utm_source=feed",
            " ".join(rng.choice(words) for _ in range(7)), " ".join(rng.choice(words) for _ in range(30)),
            source=f"s{i % 200}", days=rng.random() * 90)
        for i in range(20_000)
    ]
    # s0 outweighs every other source and has more eligible articles than its cap: the cap must bind.
    rules = Rules(include=("help", "listen"), exclude=("coffee",), max_age_days=60, per_source=3, total=50,
                  weights={"s0": 100.0})
    decisions = curate(articles, rules, NOW)
    assert len(decisions) == len(articles)
    kept = [d for d in decisions if d.kept]
    assert len(kept) == 50
    per_source = Counter(d.article.source_id for d in kept)
    assert per_source["s0"] == 3 and max(per_source.values()) == 3
    for d in kept:
        words = (d.article.title + " " + d.article.summary).split()
        assert "coffee" not in words and {"help", "listen"} & set(words)
        assert NOW - d.article.published <= dt.timedelta(days=60)
