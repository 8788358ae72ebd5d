"""The "Your turn" section, share row and link-preview tags in real builds of small sites."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from lxml import html as lxml_html
from mkdocs.exceptions import Abort, PluginError

from mkdocs_winwin.prompts import section as prompts
from mkdocs_winwin.prompts.meta import page_meta, resolve
from mkdocs_winwin.plugins.config import PromptsConfig
from tests.support import AUTHORS, FULL_CHANNELS, PIXEL, POST_URL, SITE_URL, build_tree, prompts_config as config, small_site


POSTS = {
    **AUTHORS,
    "content/blog/posts/asked.md": """
        ---
        title: "Asked: follow-ups"
        date: 2026-01-03
        authors: [bob]
        themes: [second]
        description: Follow-ups that help & stick.
        prompt: What is your follow-up system?
        discussion: https://bsky.app/profile/ann.example/post/3k
        image: assets/card.png
        tags: [follow-up]
        ---
        Body.
    """,
    "content/blog/posts/quiet.md": """
        ---
        title: Quiet
        date: 2026-01-04
        authors: [ann]
        themes: [first]
        description: No comments here.
        comments: false
        ---
        Body.
    """,
    "content/assets/card.png": "not really a png, but a file",
}


def _doc(site: Path, rel: str):
    return lxml_html.fromstring((site / rel / "index.html").read_text(encoding="utf-8"))


def _meta(doc) -> dict[str, str]:
    out = {}
    for tag in doc.iter("meta"):
        key = tag.get("property") or tag.get("name")
        if key and (key.startswith(("og:", "twitter:", "article:"))):
            out.setdefault(key, tag.get("content"))
    return out


def _share(doc) -> dict[str, str]:
    return {li.get("class").split("--")[-1]: (li.find(".//a") if li.find(".//a") is not None
                                               else li.find(".//button"))
            for li in doc.cssselect(".winwin-share__item")}


@pytest.fixture(scope="module")
def full_site(tmp_path_factory) -> Path:
    root = small_site(tmp_path_factory.mktemp("full"), {**POSTS, "mkdocs.yml": config(FULL_CHANNELS)})
    chapter = root / "content/guide/second.md"
    chapter.write_text(chapter.read_text().replace(
        "---\n# Second", "comments: true\nprompt: How do you help without being asked?\n---\n# Second"))
    return build_tree(root, strict=True)


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory) -> Path:
    """No channel configured at all, not even the owner's email."""
    root = small_site(tmp_path_factory.mktemp("bare"), {"mkdocs.yml": config()})
    return build_tree(root, strict=True)


# --- the section -------------------------------------------------------------


def test_post_has_section_with_default_question_and_etiquette(full_site):
    doc = _doc(full_site, "blog/2026/01/02/hello")
    [section] = doc.cssselect("section.winwin-turn")
    assert section.cssselect("h2")[0].text_content() == "Your turn"
    assert section.get("aria-labelledby") == "winwin-turn-heading"
    assert section.cssselect(".winwin-turn__question")[0].text_content() == PromptsConfig.prompt.default
    assert "Disagree gently" in section.cssselect(".winwin-turn__etiquette")[0].text_content()
    # The section sits inside the article, after the post's own text.
    assert section.getparent().tag == "article"


def test_per_post_question(full_site):
    doc = _doc(full_site, "blog/2026/01/03/asked-follow-ups")
    assert doc.cssselect(".winwin-turn__question")[0].text_content() == "What is your follow-up system?"


def test_comments_false_drops_the_section_but_keeps_sharing(full_site):
    doc = _doc(full_site, "blog/2026/01/04/quiet")
    assert doc.cssselect("#winwin-turn-heading") == []
    assert doc.cssselect("#isso-thread") == [] and doc.cssselect("[data-winwin-giscus]") == []
    [section] = doc.cssselect("section.winwin-turn--share")
    assert section.cssselect("h2")[0].text_content() == "Pass it on"
    assert len(_share(doc)) == 9


def test_chapters_only_when_asked(full_site):
    asked = _doc(full_site, "guide/second")
    assert asked.cssselect(".winwin-turn__question")[0].text_content() == "How do you help without being asked?"
    plain = _doc(full_site, "guide/first")
    assert plain.cssselect("#winwin-turn-heading") == []
    assert plain.cssselect(".winwin-share")[0].get("aria-label") == "Share this chapter"


def test_plain_pages_have_neither_section_nor_share_row(full_site):
    doc = lxml_html.fromstring((full_site / "index.html").read_text(encoding="utf-8"))
    assert doc.cssselect(".winwin-turn") == [] and doc.cssselect(".winwin-share") == []


# --- channels ----------------------------------------------------------------


def test_email_goes_to_the_author_with_an_address(full_site):
    doc = _doc(full_site, "blog/2026/01/02/hello")
    [link] = doc.cssselect(".winwin-turn__channel--email a")
    parts = urlsplit(link.get("href"))
    assert parts.scheme == "mailto" and unquote(parts.path) == "ann@test.example.org"
    assert parse_qs(parts.query) == {"subject": ["Re: Hello"]}
    assert link.text_content() == "Reply by email"


def test_email_falls_back_to_the_site_owner(full_site):
    doc = _doc(full_site, "blog/2026/01/03/asked-follow-ups")  # bob has no email
    href = doc.cssselect(".winwin-turn__channel--email a")[0].get("href")
    assert href == "mailto:owner@test.example.org?subject=Re%3A%20Asked%3A%20follow-ups"


def test_discussion_link_names_the_network(full_site):
    doc = _doc(full_site, "blog/2026/01/03/asked-follow-ups")
    [link] = doc.cssselect(".winwin-turn__channel--discussion a")
    assert link.get("href") == "https://bsky.app/profile/ann.example/post/3k"
    assert link.text_content() == "Join the discussion on Bluesky"
    assert _doc(full_site, "blog/2026/01/02/hello").cssselect(".winwin-turn__channel--discussion") == []


def test_isso_embeds_its_client_from_the_configured_server(full_site):
    doc = _doc(full_site, "blog/2026/01/02/hello")
    [thread] = doc.cssselect("section#isso-thread")
    assert thread.get("data-title") == "Hello"
    [script] = [s for s in doc.iter("script") if s.get("data-isso")]
    assert script.get("src") == "http://127.0.0.1:9/isso/js/embed.min.js"
    assert script.get("data-isso") == "http://127.0.0.1:9/isso/"
    assert thread.cssselect("noscript")


def test_giscus_markup_without_loading_giscus(full_site):
    doc = _doc(full_site, "blog/2026/01/02/hello")
    [box] = doc.cssselect("[data-winwin-giscus]")
    assert {k: box.get(k) for k in ("data-repo", "data-repo-id", "data-category", "data-category-id",
                                    "data-mapping")} == {
        "data-repo": "octo-org/talk", "data-repo-id": "R_abc", "data-category": "Comments",
        "data-category-id": "DIC_xyz", "data-mapping": "pathname"}
    # The client script is added by winwin.js only when the reader scrolls there.
    assert not any("giscus.app" in (s.get("src") or "") for s in doc.iter("script"))


def test_no_channels_configured_still_asks_and_shares(bare_site):
    doc = _doc(bare_site, "blog/2026/01/02/hello")
    assert doc.cssselect(".winwin-turn__question")[0].text_content().startswith("What pointers")
    assert doc.cssselect("#isso-thread") == [] and doc.cssselect("[data-winwin-giscus]") == []
    assert doc.cssselect(".winwin-turn__channel--email") == []  # nobody to write to
    assert len(_share(doc)) == 9
    assert not any("embed.min.js" in (s.get("src") or "") for s in doc.iter("script"))


# --- share row ---------------------------------------------------------------


def test_share_links_decode_to_the_page_url_and_title(full_site):
    links = _share(_doc(full_site, "blog/2026/01/03/asked-follow-ups"))
    url = SITE_URL + "blog/2026/01/03/asked-follow-ups/"
    give_first = "Asked: follow-ups — Follow-ups that help & stick."

    def q(network):
        return {k: v[0] for k, v in parse_qs(urlsplit(links[network].get("href")).query).items()}

    assert q("linkedin") == {"url": url}
    assert q("facebook") == {"u": url}
    assert q("x") == {"text": give_first, "url": url}
    for network in ("bluesky", "whatsapp", "mastodon"):
        assert q(network) == {"text": f"{give_first} {url}"}, network
    assert q("email") == {"subject": "Asked: follow-ups", "body": f"{give_first}\n\n{url}"}
    assert links["mastodon"].get("data-text") == f"{give_first} {url}"
    assert links["copy"].tag == "button" and links["copy"].get("data-url") == url
    assert links["native"].get("type") == "button"
    # Script-driven buttons stay hidden without JavaScript.
    assert links["copy"].getparent().get("hidden") is not None
    assert links["linkedin"].getparent().get("hidden") is None


def test_share_networks_setting(tmp_path):
    root = small_site(tmp_path, {"mkdocs.yml": config("      share_networks: [mastodon, email]\n"
                                                      "      mastodon_instance: fosstodon.org\n")})
    links = _share(_doc(build_tree(root), "blog/2026/01/02/hello"))
    assert list(links) == ["mastodon", "email", "copy", "native"]
    assert links["mastodon"].get("href").startswith("https://fosstodon.org/share?text=")


# --- link previews -----------------------------------------------------------


def test_post_meta_tags(full_site):
    tags = _meta(_doc(full_site, "blog/2026/01/03/asked-follow-ups"))
    assert tags["og:type"] == "article"
    assert tags["og:title"] == tags["twitter:title"] == "Asked: follow-ups"
    assert tags["og:description"] == "Follow-ups that help & stick."
    assert tags["og:url"] == SITE_URL + "blog/2026/01/03/asked-follow-ups/"
    assert tags["og:image"] == tags["twitter:image"] == SITE_URL + "assets/card.png"
    assert tags["article:published_time"].startswith("2026-01-03T00:00:00")
    assert tags["article:author"] == "Bob Example" and tags["article:tag"] == "follow-up"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:site"] == "@winwin_test"
    assert tags["og:site_name"] == "Test site"


def test_chapter_and_home_meta_use_the_default_image(full_site):
    chapter = _meta(_doc(full_site, "guide/first"))
    assert chapter["og:type"] == "website" and "article:published_time" not in chapter
    assert chapter["og:description"] == "The first chapter."
    assert chapter["og:image"] == SITE_URL + "assets/images/winwin-card.png"
    assert (full_site / "assets/images/winwin-card.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    home = _meta(lxml_html.fromstring((full_site / "index.html").read_text(encoding="utf-8")))
    assert home["og:url"] == SITE_URL and home["og:description"] == "A test site."


def test_without_site_url_nothing_breaks(tmp_path, caplog):
    root = small_site(tmp_path, {"mkdocs.yml": config(site_url=None)})
    with caplog.at_level(logging.WARNING):
        site = build_tree(root, strict=False)
    assert "'site_url' is not set" in caplog.text
    doc = _doc(site, "blog/2026/01/02/hello")
    tags = _meta(doc)
    assert "og:url" not in tags
    image = tags["og:image"]
    assert not image.startswith("http")
    assert (site / "blog/2026/01/02/hello" / image).resolve() == (site / "assets/images/winwin-card.png").resolve()
    assert _share(doc)["copy"].get("data-url") == "./"
    assert doc.cssselect(".winwin-turn__question")


def test_missing_page_image_is_a_warning_naming_file_and_key(tmp_path, caplog):
    root = small_site(tmp_path, {"mkdocs.yml": config()})
    post = root / "content/blog/posts/hello.md"
    post.write_text(post.read_text().replace("---\nHello", "image: assets/nope.png\n---\nHello"))
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        build_tree(root, strict=True)
    assert "content/blog/posts/hello.md: 'image' 'assets/nope.png' is not a file in content/" in caplog.text


# --- bad config --------------------------------------------------------------


def _configure(root: Path):
    """Load mkdocs.yml and run the plugins' on_config, as a build starts.

    Not a whole build: Material's blog plugin is cached across builds in one
    process and its shutdown fails after an aborted one, hiding the message.
    """
    from mkdocs.config import load_config

    config = load_config(str(root / "mkdocs.yml"))
    return config.plugins.on_config(config)


@pytest.mark.parametrize("options, key, words", [
    ("      giscus:\n        repo: a/b\n        repo_id: R\n        category: C\n",
     "plugins.winwin-prompts.giscus.category_id", "is missing"),
    ("      giscus:\n        repo: not-a-repo\n        repo_id: R\n        category: C\n        category_id: D\n",
     "plugins.winwin-prompts.giscus.repo", "must be owner/name"),
    ("      giscus:\n        repo: a/b\n        repo_id: R\n        category: C\n        category_id: D\n"
     "        mapping: number\n",
     "plugins.winwin-prompts.giscus.mapping", "use one of: pathname"),
    ("      isso:\n        url: ftp://comments.example.org/\n",
     "plugins.winwin-prompts.isso.url", "must be an http(s) URL"),
    ("      isso:\n        url: comments.example.org\n",
     "plugins.winwin-prompts.isso.url", "must be an http(s) URL"),
    ("      email: not-an-address\n", "plugins.winwin-prompts.email", "is not an email address"),
])
def test_invalid_channel_config_names_the_key(tmp_path, options, key, words):
    root = small_site(tmp_path, {"mkdocs.yml": config(options)})
    with pytest.raises(PluginError) as info:
        _configure(root)
    message = str(info.value)
    assert message.startswith("mkdocs.yml: ") and f"'{key}'" in message and words in message
    assert "Fix: " in message


def test_an_unknown_share_network_is_refused_with_the_valid_ones(tmp_path, caplog):
    # Declared once as a Choice: MkDocs' own config check names the option, the value and the choices.
    root = small_site(tmp_path, {"mkdocs.yml": config("      share_networks: [linkedin, myspace]\n")})
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        _configure(root)
    assert "Plugin 'winwin-prompts' option 'share_networks'" in caplog.text
    assert "'linkedin', 'x', 'facebook'" in caplog.text and "received: 'myspace'" in caplog.text


def test_works_without_the_winwin_plugin(tmp_path):
    # Adoptable on its own: the section, share row and preview tags on a plain Material blog.
    root = small_site(tmp_path, {"mkdocs.yml": config().replace("  - winwin\n", "")})
    site = build_tree(root, strict=True)
    doc = _doc(site, "blog/2026/01/02/hello")
    assert doc.cssselect("section.winwin-turn") and _share(doc)
    assert _meta(doc)["og:title"] == "Hello"


def test_winwin_build_reports_the_bad_key_and_keeps_the_old_site(tmp_path):
    root = small_site(tmp_path, {"mkdocs.yml": config("      isso:\n        url: comments.example.org\n")})
    (root / "site").mkdir()
    (root / "site" / "keep.txt").write_text("old")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "winwin"), "build", "--strict"],
        cwd=root, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "mkdocs.yml: 'plugins.winwin-prompts.isso.url' must be an http(s) URL, got 'comments.example.org'" \
        in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "site" / "keep.txt").read_text() == "old"


# --- pure logic ----------------------------------------------------------------


SETTINGS = prompts.Settings(heading="Your turn", prompt="Default?", etiquette="Be kind.")


@pytest.mark.parametrize("kind, meta, chapters, shown", [
    ("post", {}, False, True),
    ("post", {"comments": False}, True, False),
    ("chapter", {}, False, False),
    ("chapter", {}, True, True),
    ("chapter", {"comments": False}, True, False),
    ("chapter", {"comments": True}, False, True),
    ("page", {"comments": True}, True, False),
])
def test_who_gets_a_section(kind, meta, chapters, shown):
    settings = prompts.Settings("h", "p", "e", chapters=chapters)
    assert prompts.shows_section(kind, meta, settings) is shown


@pytest.mark.parametrize("url, network", [
    ("https://www.linkedin.com/feed/update/urn:li:activity:1/", "LinkedIn"),
    ("https://bsky.app/profile/a.example/post/1", "Bluesky"),
    ("https://fosstodon.org/@amara/11223344", "Mastodon"),
    ("https://x.com/someone/status/1", "X"),
    ("https://forum.example.net/t/networking/12", "forum.example.net"),
])
def test_discussion_network(url, network):
    assert prompts.discussion(url).label == f"Join the discussion on {network}"


def test_email_reply_to_several_authors():
    reply = prompts.email_reply("Hi  there", ("a@x.org", "", "b@y.org"), "owner@z.org")
    assert reply.to == "a@x.org,b@y.org"
    assert reply.href == "mailto:a@x.org,b@y.org?subject=Re%3A%20Hi%20there"
    assert prompts.email_reply("Hi", (), "") is None


def test_giscus_all_or_nothing():
    assert prompts.read_giscus({"repo": None, "mapping": "pathname"}) is None
    with pytest.raises(prompts.ChannelConfigError) as info:
        prompts.read_giscus({"repo": "a/b"})
    assert info.value.key == "plugins.winwin-prompts.giscus.repo_id"


def test_your_turn_blank_prompt_falls_back():
    turn = prompts.your_turn(SETTINGS, kind="post", title="T", meta={"prompt": "  "})
    assert turn.question == "Default?"


def test_meta_resolve_and_card_kind():
    assert resolve("assets/a.png", site_url="https://s.example/sub", page_url="x/") == \
        "https://s.example/sub/assets/a.png"
    assert resolve("assets/a.png", site_url="", page_url="blog/2026/01/02/x/") == "../../../../../assets/a.png"
    assert resolve("assets/a.png", site_url="", page_url="") == "assets/a.png"
    assert resolve("https://cdn.example/a.png", site_url="", page_url="x/") == "https://cdn.example/a.png"
    tags = {t.key: t.content for t in page_meta(site_name="S", title="T", description="", url="/rel/")}
    assert tags["twitter:card"] == "summary" and "og:url" not in tags and "og:description" not in tags


def test_posts_are_found_where_materials_post_dir_puts_them(tmp_path):
    # A blog that keeps its posts in blog/articles/ (Material's post_dir): they are posts, with
    # their authors' reply address, and winwin's checks read them there.
    files = {"mkdocs.yml": config().replace("  - blog:\n", "  - blog:\n      post_dir: '{blog}/articles'\n")}
    root = small_site(tmp_path, files)
    (root / "content/blog/posts").rename(root / "content/blog/articles")
    site = build_tree(root, strict=True)
    doc = _doc(site, "blog/2026/01/02/hello")
    assert doc.cssselect("section.winwin-turn")
    assert _share(doc)
    assert _meta(doc)["og:type"] == "article"
