"""Share links: every value URL-encoded, decoding back to the page's URL and give-first text."""

from urllib.parse import parse_qs, urlsplit

import pytest

from mkdocs_winwin.prompts.share import NETWORKS, mastodon_url, message, share_links

URL = "https://site.example/blog/2026/01/02/a-&-b/?x=1#top"
TITLE = "Ask & listen: 3 openers"
TEXT = "Openers that put the other person first."


def _params(href: str) -> dict[str, str]:
    query = parse_qs(urlsplit(href).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(v) == 1 for v in query.values()), href
    return {k: v[0] for k, v in query.items()}


@pytest.fixture(scope="module")
def links():
    return {link.network: link for link in share_links(URL, TITLE, TEXT)}


def test_row_order_is_networks_then_buttons(links):
    assert list(links) == [*NETWORKS, "copy", "native"]


@pytest.mark.parametrize("network, host, path, key", [
    ("linkedin", "www.linkedin.com", "/sharing/share-offsite/", "url"),
    ("x", "x.com", "/intent/tweet", "url"),
    ("facebook", "www.facebook.com", "/sharer/sharer.php", "u"),
])
def test_url_parameter_decodes_to_the_page_url(links, network, host, path, key):
    parts = urlsplit(links[network].href)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", host, path)
    assert _params(links[network].href)[key] == URL


@pytest.mark.parametrize("network, host, path", [
    ("bluesky", "bsky.app", "/intent/compose"),
    ("mastodon", "mastodon.social", "/share"),
    ("whatsapp", "wa.me", "/"),
])
def test_text_carries_title_reason_and_url(links, network, host, path):
    parts = urlsplit(links[network].href)
    assert (parts.hostname, parts.path) == (host, path)
    assert _params(links[network].href)["text"] == f"{TITLE} — {TEXT} {URL}"


def test_x_text_is_give_first(links):
    assert _params(links["x"].href)["text"] == f"{TITLE} — {TEXT}"


def test_email_subject_and_body(links):
    href = links["email"].href
    assert href.startswith("mailto:?")
    params = _params(href)
    assert params["subject"] == TITLE
    assert params["body"] == f"{TITLE} — {TEXT}\n\n{URL}"
    # Spaces must be %20 in mailto:, "+" would show up literally in mail clients.
    assert "+" not in href


def test_no_raw_reserved_characters_in_values(links):
    for network in NETWORKS:
        query = urlsplit(links[network].href).query
        for pair in query.split("&"):
            _, _, value = pair.partition("=")
            assert not set(value) & set(" &#?/:"), (network, value)


def test_buttons_carry_the_page_url(links):
    assert links["copy"].href == URL and links["copy"].action == "copy"
    native = links["native"]
    assert (native.href, native.title, native.text) == (URL, TITLE, f"{TITLE} — {TEXT}")


def test_mastodon_link_is_rebuildable_for_any_instance(links):
    link = links["mastodon"]
    assert link.action == "mastodon"
    assert mastodon_url("https://fosstodon.org/", link.text) == link.href.replace(
        "mastodon.social", "fosstodon.org")


def test_empty_description_shares_only_the_title():
    assert message("  Hello \n there ", "") == "Hello there"
    links = {link.network: link for link in share_links("/rel/", "Hello", "")}
    assert _params(links["whatsapp"].href)["text"] == "Hello /rel/"


def test_networks_subset_and_unknown():
    assert [l.network for l in share_links(URL, TITLE, TEXT, networks=["email"])] == ["email", "copy", "native"]
    with pytest.raises(ValueError, match="unknown share network.*myspace.*valid: linkedin"):
        share_links(URL, TITLE, TEXT, networks=["myspace"])
