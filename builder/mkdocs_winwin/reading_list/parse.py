"""Feed bytes to safe Articles: RSS 0.9x/1.0/2.0 and Atom through feedparser,
JSON Feed through `json`; no I/O here.

Everything in a feed is untrusted. What leaves this module is already safe:
titles and summaries are plain text (every tag stripped, script and style
content dropped, entities decoded once), links are absolute http(s) URLs.
Entity-expansion bombs and external entities: feedparser hands XML to expat
(2.4+ refuses amplification), and its lenient fallback never expands DTD
entities (see tests/unit/test_fetch.py::test_billion_laughs_is_bounded).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import feedparser
import nh3

from .articles import Article

ALLOWED_SCHEMES = ("http", "https")
FUTURE_SLACK = dt.timedelta(days=1)
_SPACE = re.compile(r"\s+")

# Problems feedparser reports that still leave a fully parsed document. A feed
# served as text/plain or text/html (NonXMLContentType) is common and harmless.
_SOFT_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass
class Parsed:
    """What one feed document gave: articles and the problems met reading it."""

    articles: list[Article] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # the document is unusable (not a feed at all)
    fix: str | None = None  # what to do about `error`, when the usual advice (check the URL) is wrong
    well_formed: bool = True  # False: read with the lenient parser, do not trust it for a 304 later
    site_url: str | None = None  # the feed's own home page link, when it gives one


def plain_text(markup: str | None) -> str:
    """Text of an HTML fragment: every tag stripped, script/style content dropped, entities decoded."""
    if not markup:
        return ""
    text = html.unescape(nh3.clean(markup, tags=set(), attributes={}))
    return _SPACE.sub(" ", text).strip()


def safe_link(link: str | None, base: str | None) -> str | None:
    """`link` made absolute against `base`; None unless it is http(s) with a host."""
    if not link:
        return None
    link = link.strip()
    if base:
        link = urljoin(base, link)
    parts = urlsplit(link)
    if parts.scheme.lower() not in ALLOWED_SCHEMES or not parts.hostname:
        return None
    return link


def _when(struct) -> dt.datetime | None:
    if not struct:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(struct), tz=dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None


def _iso_date(text: object) -> dt.datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc)


@dataclass(frozen=True)
class _Entry:
    """One entry as the feed gave it, before it is made safe."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None
    published: dt.datetime | None
    summary_is_text: bool = False  # JSON Feed's content_text: text already, not HTML


def _is_json(data: bytes, content_type: str) -> bool:
    return "json" in content_type or data.lstrip()[:1] == b"{"


def _read_json_feed(data: bytes, result: Parsed) -> list[_Entry]:
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        result.error = f"not valid JSON ({str(exc)[:80]})"
        return []
    version = doc.get("version") if isinstance(doc, dict) else None
    if not (isinstance(version, str) and version.startswith("https://jsonfeed.org/version/")):
        result.error = "JSON without a JSON Feed 'version' (https://jsonfeed.org/version/1.1)"
        return []
    home = doc.get("home_page_url")
    result.site_url = home if isinstance(home, str) else None
    items = doc.get("items")
    entries = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue

        def text(key):
            value = item.get(key)
            return value if isinstance(value, str) else None

        ident = item.get("id")
        entries.append(_Entry(
            guid=str(ident) if isinstance(ident, (str, int)) and str(ident) else None,
            link=text("url") or text("external_url"),
            title=text("title"),
            summary=text("summary") or text("content_html") or text("content_text"),
            published=_iso_date(item.get("date_published")) or _iso_date(item.get("date_modified")),
            summary_is_text=not (text("summary") or text("content_html")) and bool(text("content_text")),
        ))
    return entries


def _not_a_feed(parsed) -> str:
    for link in parsed.feed.get("links", []):
        if link.get("rel") == "alternate" and "xml" in (link.get("type") or "") and link.get("href"):
            return f"a web page, not a feed; it names a feed at {link['href']}"
    bozo = parsed.get("bozo_exception")
    return "not an RSS, Atom or JSON feed" + (f" ({bozo})" if bozo else "")


_CHARSET = re.compile(r";\s*charset=[\"']?([\w.:-]+)[\"']?", re.IGNORECASE)
_SINGLE_BYTE = {"iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "us-ascii", "ascii"}


def _trust_utf8(data: bytes, headers: dict[str, str], result: Parsed) -> dict[str, str]:
    """Drop an HTTP charset that says Latin-1 when the bytes are valid, non-ASCII UTF-8.

    HTTP's charset wins over the XML declaration, and servers often send a
    default `charset=iso-8859-1` for UTF-8 files: obeying it turns "café" into
    "cafÃ©". Valid multi-byte UTF-8 is practically never meant as Latin-1.
    """
    declared = _CHARSET.search(headers.get("content-type", ""))
    if not declared or declared.group(1).lower() not in _SINGLE_BYTE or data.isascii():
        return headers
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return headers
    result.warnings.append(f"encoding: the server declared charset={declared.group(1)} but sent UTF-8; read as UTF-8")
    return {**headers, "content-type": _CHARSET.sub("", headers["content-type"])}


_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
)
_NO_BOM = (  # '<?' as XML 1.0 appendix F recognises it without a byte-order mark
    (b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED = re.compile(rb"""^(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def _wide_to_utf8(data: bytes, headers: dict[str, str], result: Parsed) -> tuple[bytes, dict[str, str]]:
    """A UTF-16 or UTF-32 document as UTF-8, whatever the server declared.

    A feed served as text/xml without a charset is US-ASCII by the HTTP rules
    feedparser follows, which makes a UTF-16 file unreadable although its
    byte-order mark says what it is. The mark (or the shape of '<?') wins.
    """
    encoding = next((name for mark, name in _BOMS if data.startswith(mark)), None)
    bom = encoding is not None
    encoding = encoding or next((name for mark, name in _NO_BOM if data.startswith(mark)), None)
    if encoding is None:
        return data, headers
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        result.error = f"the document looks like {encoding.upper()} but is not valid {encoding.upper()} ({exc.reason})"
        result.fix = "tell the site its feed's encoding is broken; save it as UTF-8 if it is your file"
        return b"", headers
    out = text.lstrip("\ufeff").encode("utf-8")
    out = _DECLARED.sub(rb'\1"utf-8"', out, count=1)
    content_type = _CHARSET.sub("", headers.get("content-type", "application/xml")) + "; charset=utf-8"
    result.warnings.append(f"encoding: read as {encoding.upper()} ({'byte-order mark' if bom else 'its first bytes'})")
    return out, {**headers, "content-type": content_type}


_ITEM_START = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")


def _first_entries(data: bytes, limit: int, result: Parsed) -> bytes:
    """The document cut after its first `limit` entries, still well-formed when it was.

    Parsing time grows with the number of entries; an 8 MB feed of 50,000
    items costs seconds of CPU. The cut is found with expat (C, a fraction of
    feedparser's cost): the elements still open at the start of entry
    `limit + 1` are closed right there.
    """
    if len(_ITEM_START.findall(data, 0)) <= limit:
        return data
    import xml.parsers.expat

    parser = xml.parsers.expat.ParserCreate()
    stack: list[str] = []
    state = {"entries": 0, "cut": None}

    class Enough(Exception):
        pass

    def start(name, attrs):
        if name.rsplit(":", 1)[-1] in ("item", "entry"):
            state["entries"] += 1
            if state["entries"] > limit:
                state["cut"] = parser.CurrentByteIndex
                raise Enough
        stack.append(name)

    def end(name):
        stack.pop()

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except Enough:
        closing = "".join(f"</{name}>" for name in reversed(stack)).encode()
        cut = data[:state["cut"]] + closing
    except xml.parsers.expat.ExpatError:
        # Not well-formed: feedparser reads it leniently anyway; cut at the entry's start.
        starts = list(_ITEM_START.finditer(data))
        cut = data[:starts[limit].start()]
    else:
        return data
    result.warnings.append(f"the feed has more than {limit:,} entries; read the first {limit:,}")
    return cut


def _multibyte(data: bytes) -> bool:
    """Do the non-ASCII bytes come in long runs, as in Big5 or EUC-JP, rather than alone, as in Latin-1?

    In Latin-1 or windows-1252 text an accented letter is one byte between
    ASCII ones ("très"); in the East Asian multi-byte encodings a word is a
    run of two bytes per character. Runs of four or more (two characters)
    holding most of the non-ASCII bytes tell them apart; a stray invalid pair
    (an overlong UTF-8 sequence) is not such a run.
    """
    runs = [len(run) for run in re.findall(rb"[\x80-\xff]+", data)]
    high = sum(runs)
    return high >= 8 and sum(n for n in runs if n >= 4) >= 0.6 * high


def _read_xml_feed(data: bytes, headers: dict[str, str], result: Parsed, max_entries: int) -> list[_Entry]:
    data, headers = _wide_to_utf8(data, headers, result)
    if result.error:
        return []
    data = _first_entries(data, max_entries, result)
    headers = _trust_utf8(data, headers, result)
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.version and not parsed.entries:
        if b"\x00" in data[:512]:
            result.error = ("unreadable text: NUL bytes, as in UTF-16 or UTF-32 text whose encoding is "
                            "named neither by a byte-order mark nor by a charset in its Content-Type")
            result.fix = "ask the site to serve the feed as UTF-8, or to name its encoding (charset=)"
        else:
            result.error = _not_a_feed(parsed)
        return []
    bozo = parsed.get("bozo_exception")
    if isinstance(bozo, feedparser.CharacterEncodingOverride) and _multibyte(data):
        # feedparser fell back to windows-1252: right for Latin-1 text labelled
        # UTF-8, garbage for Big5, EUC-JP and the like. Say so; publish nothing garbled.
        result.error = (f"the text is not in the encoding the feed declares ({bozo}), and its bytes look like "
                        "a multi-byte encoding such as Big5, GB18030, EUC-JP, Shift_JIS or EUC-KR: "
                        "read as windows-1252 its titles would be garbled")
        result.fix = ("ask the site to declare its real encoding (encoding= in the XML declaration, "
                      "or charset= in its Content-Type)")
        return []
    if isinstance(bozo, feedparser.CharacterEncodingOverride):
        result.warnings.append(f"encoding: {bozo}")
    elif isinstance(bozo, _SOFT_BOZO):
        pass
    elif bozo is not None:
        result.well_formed = False
        result.warnings.append(f"not well-formed XML ({bozo}); read {len(parsed.entries)} entries leniently")
    result.site_url = parsed.feed.get("link")
    return [
        _Entry(
            guid=entry.get("id") or None,
            link=entry.get("link") or None,
            title=entry.get("title"),
            summary=entry.get("summary") or (entry.get("content") or [{}])[0].get("value"),
            published=_when(entry.get("published_parsed") or entry.get("updated_parsed")),
        )
        for entry in parsed.entries
    ]


def parse_feed(data: bytes, *, url: str, headers: dict[str, str] | None = None,
               source_id: str, source_name: str, now: dt.datetime, max_entries: int = 1000) -> Parsed:
    """The Articles of one feed document fetched from `url` (an http(s) URL, or a local path).

    At most `max_entries` entries are read: parsing time stays bounded.
    """
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    result = Parsed()
    if not data.strip():
        result.error = "an empty document"
        return result
    content_type = headers.get("content-type", "").lower()
    if _is_json(data, content_type):
        raw = _read_json_feed(data, result)
        if len(raw) > max_entries:
            result.warnings.append(f"the feed has more than {max_entries:,} entries; read the first {max_entries:,}")
            raw = raw[:max_entries]
    else:
        raw = _read_xml_feed(data, headers, result, max_entries)
    if result.error:
        return result
    base = url if urlsplit(url).scheme.lower() in ALLOWED_SCHEMES else safe_link(result.site_url, None)
    dropped_links: list[str] = []
    no_link = duplicates = future = 0
    seen: set[str] = set()
    for entry in raw:
        link = safe_link(entry.link, base)
        if link is None and entry.guid and not entry.link:
            link = safe_link(entry.guid, None)  # RSS guid isPermaLink
        if link is None:
            if entry.link:
                dropped_links.append(entry.link.strip()[:60])
            else:
                no_link += 1
            continue
        guid = (entry.guid or link).strip()
        if guid in seen:
            duplicates += 1
            continue
        seen.add(guid)
        published = entry.published
        if published and published > now + FUTURE_SLACK:
            future += 1
            published = None
        title = plain_text(entry.title) or plain_text(entry.summary)[:80] or link
        # Text stays text (the page escapes it); HTML is reduced to its text.
        summary = _SPACE.sub(" ", entry.summary).strip() if entry.summary_is_text else plain_text(entry.summary)
        result.articles.append(Article(
            source_id=source_id, source_name=source_name, url=link, title=title,
            summary=summary, published=published, guid=guid, first_seen=now,
        ))
    if dropped_links:
        result.warnings.append(
            f"dropped {len(dropped_links)} entries whose link is not http(s): {', '.join(map(repr, dropped_links[:3]))}")
    if no_link:
        result.warnings.append(f"skipped {no_link} entries without a link")
    if duplicates:
        result.warnings.append(f"{duplicates} entries repeat an earlier entry's id; kept the first of each")
    if future:
        result.warnings.append(f"{future} entries are dated in the future; their date was ignored")
    return result
