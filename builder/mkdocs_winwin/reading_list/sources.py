"""Feed sources: the model built from the plugin config, its validation, and OPML.

A source's `id` is derived from its URL (or from the local path as written in
mkdocs.yml, not the resolved one), so it stays the same across clones and
machines and keys its state and articles in the store.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..errors import SourceError

PLUGIN_NAME = "winwin-reading-list"
REMOTE_SCHEMES = ("http", "https")

__all__ = ["PLUGIN_NAME", "Source", "SourceError", "load_sources", "make_source", "parse_opml", "source_id",
           "sources_yaml", "to_opml"]


@dataclass(frozen=True)
class Source:
    id: str
    url: str  # as declared: an http(s) URL, or a local path relative to mkdocs.yml
    name: str
    theme: str | None = None
    weight: float = 1.0
    max_items: int | None = None
    path: Path | None = None  # the resolved local file; None for an http(s) source
    project: Path | None = None  # the folder a local file must stay in (mkdocs.yml's)
    timeout: float | None = None  # per-source overrides of the fetch settings
    max_bytes: int | None = None

    @property
    def is_local(self) -> bool:
        return self.path is not None


def normalise_url(url: str) -> str:
    """Scheme and host lowercased, default port and empty path made explicit, fragment dropped."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and (parts.scheme.lower(), port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def source_id(url: str) -> str:
    """A short readable key, stable for a URL: `host-slug` plus 8 hex digits of its hash."""
    parts = urlsplit(url)
    if parts.scheme.lower() in REMOTE_SCHEMES:
        key = normalise_url(url)
        label = parts.hostname or "feed"
    else:
        key = "file:" + posixpath.normpath(Path(url).as_posix())
        label = Path(url).stem or "file"
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40] or "feed"
    return f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def _where(index: int, name: object) -> str:
    return f"reading list source #{index + 1}" + (f" ({name!r})" if name else "")


def make_source(index: int, entry: Mapping[str, object], config_dir: Path) -> Source:
    """One Source from a `sources:` item; the error names the source, the key and the fix."""
    where = _where(index, entry.get("name"))
    url = str(entry.get("url") or "").strip()
    if not url:
        raise SourceError(where, "'url' is empty", "give an http(s) feed URL or a local file path")
    name = str(entry.get("name") or "").strip()
    if not name:
        raise SourceError(where, "'name' is empty", "give the name readers see beside its articles")
    scheme = urlsplit(url).scheme.lower()
    path = project = None
    if scheme in REMOTE_SCHEMES:
        if not urlsplit(url).hostname:
            raise SourceError(where, f"'url' {url!r} has no host", "write it as https://host/path")
    elif scheme == "" or (len(scheme) == 1 and url[1:3] in (":\\", ":/")):  # a Windows drive is a path
        project = Path(config_dir).resolve()
        path = (project / url).resolve()
        if not (path == project or project in path.parents):
            raise SourceError(where, f"'url' {url!r} is outside the project folder (it leads to {path})",
                              "put the feed file inside the folder of mkdocs.yml, or use its http(s) URL")
    else:
        raise SourceError(where, f"'url' {url!r} uses the scheme '{scheme}:'",
                          "use an http:// or https:// feed URL, or a local file path relative to mkdocs.yml")
    weight = entry.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
        raise SourceError(where, f"'weight' must be a number 0 or above, got {weight!r}", "")
    for key in ("max_items", "max_bytes"):
        value = entry.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise SourceError(where, f"'{key}' must be a whole number 1 or above, got {value!r}", "")
    timeout = entry.get("timeout")
    if timeout is not None and (not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0):
        raise SourceError(where, f"'timeout' must be a number of seconds above 0, got {timeout!r}", "")
    return Source(
        id=source_id(url), url=url, name=name, theme=entry.get("theme") or None, weight=float(weight),
        max_items=entry.get("max_items"), path=path, project=project, timeout=timeout,
        max_bytes=entry.get("max_bytes"),
    )


def load_sources(entries: Iterable[Mapping[str, object]], config_dir: str | Path) -> list[Source]:
    """Sources from the plugin's `sources:` list, in order; two sources with one URL are an error."""
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        source = make_source(index, entry, Path(config_dir))
        if source.id in seen:
            raise SourceError(_where(index, source.name),
                              f"'url' {source.url!r} is already source #{seen[source.id] + 1}", "remove one of the two")
        seen[source.id] = index
        sources.append(source)
    return sources


# --- OPML -------------------------------------------------------------------

def remote_only(items: Iterable[Mapping[str, str]]) -> tuple[list[dict[str, str]], list[str]]:
    """(the items whose url is http(s) with a host, the urls of the others): an OPML file may name anything."""
    kept, dropped = [], []
    for item in items:
        parts = urlsplit(item["url"])
        if parts.scheme.lower() in REMOTE_SCHEMES and parts.hostname:
            kept.append(dict(item))
        else:
            dropped.append(item["url"])
    return kept, dropped


def parse_opml(data: bytes, origin: str = "OPML file") -> list[dict[str, str]]:
    """The feeds of an OPML document as `sources:` items (url, name, and theme from its folder).

    The standard library's expat (2.4+) refuses entity-expansion bombs and never
    loads external entities, so an OPML file from anywhere is safe to read.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SourceError(origin, f"not well-formed XML ({exc})", "export it again from your feed reader") from None
    if root.tag != "opml" or root.find("body") is None:
        raise SourceError(origin, "not an OPML document (no <opml><body>)", "export OPML from your feed reader")
    found: list[dict[str, str]] = []

    def walk(node: ET.Element, folder: str | None) -> None:
        for outline in node.findall("outline"):
            url = (outline.get("xmlUrl") or "").strip()
            label = (outline.get("title") or outline.get("text") or "").strip()
            if url:
                item = {"url": url, "name": label or urlsplit(url).hostname or url}
                theme = (outline.get("category") or "").split(",")[0].strip().strip("/") or folder
                if theme:
                    item["theme"] = theme
                found.append(item)
            walk(outline, label or folder if not url else folder)

    walk(root.find("body"), None)
    return found


def sources_yaml(items: Iterable[Mapping[str, str]]) -> str:
    """The `sources:` items as YAML to paste under the plugin in mkdocs.yml."""
    import yaml

    return yaml.safe_dump(list(map(dict, items)), sort_keys=False, allow_unicode=True, width=1000)


def to_opml(sources: Iterable[Source], title: str) -> str:
    """OPML 2.0 of the sources (local-file sources are left out: a feed reader cannot reach them)."""
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(opml, "body")
    for source in sources:
        if source.is_local:
            continue
        attrs = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url}
        if source.theme:
            attrs["category"] = source.theme
        ET.SubElement(body, "outline", attrs)
    ET.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(opml, encoding="unicode") + "\n"
