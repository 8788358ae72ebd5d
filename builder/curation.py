"""Curation: which stored articles make the reading list, in what order, and why.

Pure functions over Articles, no I/O and no clock (the caller passes `now`),
so the same store and the same rules always give the same list. Every article
gets a Decision that names the rule that kept or dropped it; `winwin feeds
list --why` prints them.

The rules run in this order, the first that applies decides:
pinned > hidden > exclude keyword > no include keyword > too old >
duplicate URL > near-identical title > per-source cap > total cap > kept.
Duplicates are found in rank order, so the best-ranked copy is the one kept.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .articles import Article

# Query parameters that only say where a click came from, never what the page is.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
    "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
    "oly_enc_id", "vero_id", "rb_clickid", "s_cid", "wickedid", "ncid",
})
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Rules, as they appear in Decision.rule (and in `feeds list --why`).
PINNED = "pinned"
HIDDEN = "hidden"
EXCLUDED = "exclude-keyword"
NOT_INCLUDED = "no-include-keyword"
TOO_OLD = "too-old"
DUPLICATE_URL = "duplicate-url"
DUPLICATE_TITLE = "duplicate-title"
SOURCE_CAP = "source-cap"
TOTAL_CAP = "total-cap"
RANKED = "ranked"


@dataclass(frozen=True)
class Rules:
    """Everything curation needs to know; built from the plugin settings and picks.yml."""

    include: tuple[str, ...] = ()  # keep only articles naming one of these (when any)
    exclude: tuple[str, ...] = ()  # drop articles naming any of these
    max_age_days: int | None = None  # None: no age limit
    per_source: int | None = None  # default cap per source; None: no cap
    source_caps: Mapping[str, int] = field(default_factory=dict)  # source_id -> cap
    total: int | None = None  # None: no cap
    weights: Mapping[str, float] = field(default_factory=dict)  # source_id -> multiplier
    half_life_days: float = 30.0  # an article this old scores half a new one
    keyword_weight: float = 0.5  # score added per distinct include keyword matched
    pinned: frozenset[str] = frozenset()  # canonical URLs
    hidden: frozenset[str] = frozenset()  # canonical URLs
    hidden_patterns: tuple[str, ...] = ()  # shell-style patterns over the canonical URL


@dataclass(frozen=True)
class Decision:
    article: Article
    kept: bool
    rule: str  # one of the rule names above
    reason: str  # one sentence a curator can act on
    score: float
    canonical_url: str
    rank: int | None = None  # 1-based place among the kept articles


def canonical_url(url: str) -> str:
    """The form two links to the same page share: used for de-duplication, pins and hides.

    Scheme and host lowercased, default port, fragment and tracking parameters
    removed, remaining parameters sorted, trailing slash of the path dropped.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # e.g. a broken IPv6 host: nothing to normalise
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: keep the text as it is
        port = None
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    path = parts.path.rstrip("/") or "/"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def _words(text: str) -> tuple[str, ...]:
    folded = unicodedata.normalize("NFKD", text).casefold()
    return tuple(re.findall(r"[^\W_]+", "".join(c for c in folded if not unicodedata.combining(c))))


def title_key(title: str, source_name: str = "") -> tuple[str, ...]:
    """A title's words, case, accents and punctuation folded, without a trailing '| Source'."""
    words = _words(title)
    suffix = _words(source_name)
    if suffix and len(words) > len(suffix) and words[-len(suffix):] == suffix:
        words = words[: -len(suffix)]
    return words


def _keyword_pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not words:
        return None
    # Whole words, also for keywords that end in a non-word character ("C++").
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _when(article: Article) -> dt.datetime:
    return article.published or article.first_seen


class _TitleIndex:
    """Near-identical titles: equal once folded, or one word added or removed.

    Checked in O(words) per title (deletion neighbourhoods) so 20,000 titles
    never compare pairwise. A replaced word is not "near-identical": "Active
    listening" and "Active reading" are different articles.
    """

    MIN_WORDS = 4  # shorter titles must match exactly

    def __init__(self) -> None:
        self.full: dict[tuple[str, ...], str] = {}
        self.shortened: dict[tuple[str, ...], str] = {}

    def find(self, words: tuple[str, ...]) -> str | None:
        if not words:
            return None
        if words in self.full:
            return self.full[words]
        if len(words) > self.MIN_WORDS:
            for i in range(len(words)):
                hit = self.full.get(words[:i] + words[i + 1:])
                if hit is not None:
                    return hit
        if len(words) >= self.MIN_WORDS:
            return self.shortened.get(words)
        return None

    def add(self, words: tuple[str, ...], url: str) -> None:
        if not words:
            return
        self.full.setdefault(words, url)
        if len(words) > self.MIN_WORDS:
            for i in range(len(words)):
                self.shortened.setdefault(words[:i] + words[i + 1:], url)


def _filter(article: Article, canonical: str, text: str, matched: set[str], rules: Rules,
            exclude: re.Pattern[str] | None, hide_patterns: list[re.Pattern[str]],
            oldest: dt.datetime | None) -> tuple[str, str] | None:
    """The (rule, reason) of the first filter that drops an article, or None."""
    if canonical in rules.hidden:
        return HIDDEN, "hidden: its URL is hidden in picks.yml"
    for text_pattern, pattern in zip(rules.hidden_patterns, hide_patterns):
        if pattern.match(canonical):
            return HIDDEN, f"hidden: its URL matches the hide pattern '{text_pattern}' in picks.yml"
    if exclude and (bad := exclude.search(text)):
        return EXCLUDED, f"dropped: names the excluded keyword '{bad.group(0)}'"
    if rules.include and not matched:
        return NOT_INCLUDED, "dropped: names none of the include keywords"
    if oldest and _when(article) < oldest:
        return TOO_OLD, f"dropped: older than {rules.max_age_days} days ({_when(article).date().isoformat()})"
    return None


def curate(articles: Iterable[Article], rules: Rules, now: dt.datetime) -> tuple[Decision, ...]:
    """Decide for every article; kept ones first in rank order, then the dropped ones."""
    include = _keyword_pattern(rules.include)
    exclude = _keyword_pattern(rules.exclude)
    hide_patterns = [re.compile(fnmatch.translate(p)) for p in rules.hidden_patterns]
    oldest = now - dt.timedelta(days=rules.max_age_days) if rules.max_age_days is not None else None
    half_life = rules.half_life_days * 86400.0 if rules.half_life_days > 0 else None

    dropped: list[Decision] = []
    candidates: list[tuple[tuple, Decision]] = []
    for article in articles:
        canonical = canonical_url(article.url)
        pinned = canonical in rules.pinned
        text = f"{article.title}\n{article.summary}"
        matched = {m.casefold() for m in include.findall(text)} if include else set()
        if not pinned:
            verdict = _filter(article, canonical, text, matched, rules, exclude, hide_patterns, oldest)
            if verdict:
                dropped.append(Decision(article, False, *verdict, 0.0, canonical))
                continue
        weight = rules.weights.get(article.source_id, 1.0)
        age = max((now - _when(article)).total_seconds(), 0.0)
        recency = 0.5 ** (age / half_life) if half_life else 1.0
        score = weight * (recency + rules.keyword_weight * len(matched))
        explain = f"score {score:.3f} = weight {weight:g} × (recency {recency:.3f}"
        explain += f" + {rules.keyword_weight:g} × {len(matched)} keyword(s))" if include else ")"
        decision = Decision(article, True, PINNED if pinned else RANKED, explain, score, canonical)
        # Pins first, then score; ties by date, then URL and source, so the order never wobbles.
        key = (not pinned, -score, -_when(article).timestamp(), canonical, article.source_id)
        candidates.append((key, decision))
    candidates.sort(key=lambda pair: pair[0])

    kept: list[Decision] = []
    seen_urls: dict[str, str] = {}
    titles = _TitleIndex()
    per_source: dict[str, int] = {}
    total = 0
    for _, d in candidates:
        a = d.article
        words = title_key(a.title, a.source_name)
        if d.canonical_url in seen_urls:
            dropped.append(_drop(d, DUPLICATE_URL, f"duplicate: same page as the kept copy from "
                                                   f"{seen_urls[d.canonical_url]}"))
            continue
        same = titles.find(words)
        if same is not None:
            dropped.append(_drop(d, DUPLICATE_TITLE, f"duplicate: near-identical title to {same}"))
            continue
        if d.rule != PINNED:
            cap = rules.source_caps.get(a.source_id, rules.per_source)
            if cap is not None and per_source.get(a.source_id, 0) >= cap:
                dropped.append(_drop(d, SOURCE_CAP, f"dropped: {a.source_name} already has "
                                                    f"{cap} article(s) on the list; {d.reason}"))
                continue
            if rules.total is not None and total >= rules.total:
                dropped.append(_drop(d, TOTAL_CAP, f"dropped: the list is full at {rules.total} "
                                                   f"article(s); {d.reason}"))
                continue
            per_source[a.source_id] = per_source.get(a.source_id, 0) + 1
            total += 1
        # Only kept articles count as originals: a copy of a capped article may take its place.
        seen_urls[d.canonical_url] = a.source_name
        titles.add(words, d.canonical_url)
        reason = ("kept: pinned in picks.yml; " if d.rule == PINNED else "kept: ") + d.reason
        kept.append(Decision(a, True, d.rule, reason, d.score, d.canonical_url, len(kept) + 1))
    return tuple(kept) + tuple(dropped)


def _drop(d: Decision, rule: str, reason: str) -> Decision:
    return Decision(d.article, False, rule, reason, d.score, d.canonical_url)
