"""Exported HTML (untrusted) to readable Markdown.

Three steps:

1. embeds (YouTube, Vimeo, any iframe/object/video) become plain links, since
   the sanitiser removes them;
2. nh3 (the Rust `ammonia` sanitiser, already a winwin dependency) keeps only
   content markup: no script, style, iframe, event handler, inline style or
   `javascript:` link survives;
3. markdownify (BeautifulSoup-based, pure Python, well kept, and subclassable
   for our escaping and link rewriting) writes the Markdown; Blogger's
   `<br>` soup and empty elements are tidied afterwards.

Why markdownify rather than html-to-markdown: both are maintained; markdownify
converts a parsed BeautifulSoup tree, so the cleaning and link rewriting work
on the same tree without a second parse, and its output can be tuned by
overriding one method (here: escaping text so it cannot become raw HTML,
attributes or links in Markdown).
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import nh3
from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol",
    "p", "pre", "q", "s", "samp", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "var",
}
ATTRIBUTES = {
    "a": {"href", "title"}, "img": {"src", "alt", "title"}, "pre": {"class"}, "code": {"class"},
    "td": {"colspan", "rowspan", "class"}, "th": {"colspan", "rowspan"}, "ol": {"start"},
    "table": {"class"},  # Blogger's picture-with-caption table, turned into picture + caption, then dropped
}

_EMBED = re.compile(
    r"<(iframe|embed|video|audio|source)\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"'][^>]*>"
    r"|<param\b[^>]*?\bname\s*=\s*[\"'](?:movie|src)[\"'][^>]*?\bvalue\s*=\s*[\"']([^\"']+)[\"'][^>]*>",
    re.IGNORECASE,
)
_LANGUAGE = re.compile(r"(?:brush:\s*|language-|lang-)([A-Za-z0-9_+#-]+)")
_SAME_LINK_TWICE = re.compile(r'(<p><a href="[^"]*">[^<]*</a></p>)(?:\s*\1)+')
_NOT_PROSE = re.compile(r"<(h[1-6]|pre|table|figcaption)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BLOCK_EDGE = re.compile(r"</?(?:p|div|li|br|blockquote|dd|dt|tr|td|th|ul|ol)\b", re.IGNORECASE)
# Blogger's <a name="more"></a> and WordPress' <!--more--> (with an optional link text).
_MORE = re.compile(r"<a\s+name\s*=\s*[\"']?more[\"']?\s*>\s*</a>|<!--\s*more\b.*?-->", re.IGNORECASE)
MORE_MARK = "WINWINREADMOREMARK"
_BARE_URL = re.compile(r"^\s*https?://[^\s<>\"]+\s*$")
_BARE_URL_IN_HTML = re.compile(r"(?:^|>)\s*https?://[^\s<>\"]+\s*(?:<|$)")
_IMAGE_PATH = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|avif|bmp)$", re.IGNORECASE)


def embed_link(url: str) -> tuple[str, str]:
    """The page to link for an embedded player, and what to call it."""
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host.endswith(("youtube.com", "youtube-nocookie.com")):
        match = re.search(r"/(?:embed|v)/([\w-]{6,})", parts.path)
        if match:
            return f"https://www.youtube.com/watch?v={match.group(1)}", "Video on YouTube"
    if host == "youtu.be":
        return f"https://www.youtube.com/watch?v={parts.path.strip('/')}", "Video on YouTube"
    if host == "player.vimeo.com":
        match = re.search(r"/video/(\d+)", parts.path)
        if match:
            return f"https://vimeo.com/{match.group(1)}", "Video on Vimeo"
    if "docs.google.com" in host or "drive.google.com" in host:
        return url, "Document on Google Drive"
    if "video_id" in parse_qs(parts.query):
        return url, f"Video on {host}"
    return url, f"Embedded content on {host or 'another site'}"


def _replace_embed(match: re.Match) -> str:
    url = match.group(2) or match.group(3) or ""
    if not re.match(r"(?:https?:)?//", url):
        return ""
    href, label = embed_link(url)
    href = href.replace('"', "%22")
    return f'<p><a href="{href}">{label}</a></p>'


class _Converter(MarkdownConverter):
    """markdownify whose text cannot turn into Markdown syntax or raw HTML."""

    def escape(self, text, parent_tags):
        text = (text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;")
                .replace("[", "\\[").replace("]", "\\]").replace("{", "&#123;"))
        return super().escape(text, parent_tags)


def _language(element) -> str:
    classes = " ".join(element.get("class", []) if element else [])
    match = _LANGUAGE.search(classes)
    if not match and element is not None and element.code is not None:
        match = _LANGUAGE.search(" ".join(element.code.get("class", [])))
    return match.group(1).lower() if match else ""


_CONVERTER = _Converter(heading_style="ATX", bullets="-", table_infer_header=True,
                        code_language_callback=_language, escape_misc=False,
                        # markdownify keeps only the alt text of a picture in a table cell or a heading by default
                        keep_inline_images_in=["td", "th", "h1", "h2", "h3", "h4", "h5", "h6"])


def sanitize(html: str) -> str:
    """Embeds to links, the "read more" mark kept, then only content markup kept (nh3)."""
    html = _EMBED.sub(_replace_embed, html or "")
    html = _MORE.sub(f"<p>{MORE_MARK}</p>", html, count=1)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      strip_comments=True, link_rel=None)
    # An old <object> names its video twice (<param> and <embed>): one link is enough.
    return _SAME_LINK_TWICE.sub(r"\1", clean)


def to_markdown(html: str, image: Callable[[str], str] | None = None,
                link: Callable[[str], str] | None = None) -> str:
    """Convert untrusted HTML; `image` and `link` may rewrite image sources and link targets."""
    clean = sanitize(html)
    soup = BeautifulSoup(clean, "html.parser")
    # Each pass only where its markup is there: these run for every post and comment.
    if "tr-caption-container" in clean or "<figcaption" in clean:
        _captioned_pictures(soup)
    if _BARE_URL_IN_HTML.search(clean):
        _bare_links(soup)
    for anchor in soup.find_all("a"):
        # Blogger wraps every picture in a link to its larger copy: keep the picture only.
        children = [c for c in anchor.contents if not (isinstance(c, NavigableString) and not c.strip())]
        href = anchor.get("href", "")
        if len(children) == 1 and getattr(children[0], "name", "") == "img" and \
                _IMAGE_PATH.search(urlsplit(href).path):
            children[0]["src"] = href  # the larger copy: Blogger's inline picture is a thumbnail (s320)
            anchor.unwrap()
        elif link and href:
            anchor["href"] = link(href)
    if image:
        for img in soup.find_all("img"):
            if img.get("src"):
                img["src"] = image(img["src"])
    markdown = tidy(_CONVERTER.convert_soup(soup))
    # Where the old blog cut the post for its home page, Material's blog cuts it too.
    return markdown.replace(f"\n{MORE_MARK}\n", "\n<!-- more -->\n").replace(MORE_MARK, "")


def _captioned_pictures(soup: BeautifulSoup) -> None:
    """Blogger puts a picture with a caption in a one-column table: make it the picture, then the caption."""
    for table in soup.find_all("table", class_="tr-caption-container"):
        picture = table.find("img")
        caption = table.find(class_="tr-caption")
        if picture is None:
            continue
        holder = picture.parent if picture.parent is not None and picture.parent.name == "a" else picture
        block = soup.new_tag("p")
        block.append(holder.extract())
        table.insert_before(block)
        if caption is not None and caption.get_text(strip=True):
            note = soup.new_tag("p")
            emphasis = soup.new_tag("em")
            emphasis.string = caption.get_text(" ", strip=True)
            note.append(emphasis)
            table.insert_before(note)
        table.decompose()
    for element in soup.find_all(["table", "td"], class_=True):
        del element["class"]
    for caption in soup.find_all("figcaption"):  # WordPress' figures: the caption under the picture, in italics
        caption.name = "p"
        text = caption.get_text(" ", strip=True)
        caption.clear()
        if text:
            emphasis = soup.new_tag("em")
            emphasis.string = text
            caption.append(emphasis)


def _bare_links(soup: BeautifulSoup) -> None:
    """A block that is only an address (WordPress' embeds, pasted links) becomes a link to it."""
    for text in soup.find_all(string=_BARE_URL):
        if text.parent is not None and text.parent.name in (None, "[document]", "p", "div", "figure", "li"):
            url = text.strip()
            anchor = soup.new_tag("a", href=url)
            anchor.string = url
            text.replace_with(anchor)


def tidy(markdown: str) -> str:
    """Blank lines, trailing hard breaks and no-break spaces of HTML soup; code blocks kept as they are."""
    out: list[str] = []
    fenced = False
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            line = line.replace("\xa0", " ")
            line = "" if not line.strip() else line.rstrip() + ("  " if line.endswith("  ") else "")
            if not line and (not out or not out[-1]):
                continue  # one blank line is enough
            if not line and out[-1].endswith("  "):
                out[-1] = out[-1].rstrip()  # a hard break before a blank line means nothing
        out.append(line)
    while out and not out[-1]:
        out.pop()
    if out and out[-1].endswith("  ") and not fenced:
        out[-1] = out[-1].rstrip()
    return "\n".join(out) + "\n"


def description(html: str, limit: int = 200) -> str:
    """One line for front matter: the first sentence of the text, at most `limit` characters.

    Headings, code and tables are not prose: left out. No HTML parse here
    (nh3 strips the tags): this runs once per post.
    """
    html = _NOT_PROSE.sub(" ", html or "")
    html = _BLOCK_EDGE.sub(lambda m: " " + m.group(0), html)
    text = " ".join(html_lib.unescape(nh3.clean(html, tags=set())).split())
    match = re.match(r"(.+?[.!?])(?:\s|$)", text)
    sentence = match.group(1) if match and len(match.group(1)) >= 20 else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 3].rsplit(" ", 1)[0] + "..."
    return sentence
