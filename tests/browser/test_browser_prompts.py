"""The "Your turn" section and share row in headless Chromium."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.page_types import path_of
from tests.support import AUTHORS, prompts_config as config, HELLO_POST, BrowserPage, Server, build_tree, small_site

pytestmark = pytest.mark.browser

POST = "blog/2026/01/02/hello/"
CANONICAL = "https://test.example.org/" + POST
GIVE_FIRST = "Hello — A first post."

GISCUS = """\
      email: owner@test.example.org
      giscus:
        repo: octo-org/talk
        repo_id: R_abc
        category: Comments
        category_id: DIC_xyz
"""

PALETTE = """\
  font: false
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = small_site(tmp_path_factory.mktemp("browser-prompts"),
                      {**AUTHORS, "mkdocs.yml": config("      email: owner@test.example.org\n")})
    with Server(build_tree(root)) as server:
        yield server.url


@pytest.fixture(scope="module")
def giscus_site(tmp_path_factory):
    with_toggle = config(GISCUS).replace("  font: false\n", PALETTE)
    # A post long enough that the comment section starts well below the fold,
    # whatever the layout of the share row above it.
    long_post = HELLO_POST + "".join(f"\nParagraph {i} of a long post.\n" for i in range(60))
    root = small_site(tmp_path_factory.mktemp("browser-giscus"),
                      {**AUTHORS, "mkdocs.yml": with_toggle, "content/blog/posts/hello.md": long_post})
    with Server(build_tree(root)) as server:
        yield server.url


@pytest.fixture
def clipboard_page(browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield BrowserPage(context.new_page())
    context.close()


def test_section_visible_under_a_post_without_errors_or_foreign_requests(page, site):
    page.goto(site + POST)
    page.wait_for_load_state("networkidle")
    heading = page.get_by_role("heading", name="Your turn")
    assert heading.is_visible()
    assert page.locator(".winwin-turn__question").is_visible()
    assert page.get_by_role("link", name="Reply by email").is_visible()
    row = page.get_by_role("group", name="Share this post")
    assert row.get_by_role("link", name="LinkedIn").is_visible()
    assert row.get_by_role("button", name="Copy link").is_visible()
    # The section comes after the post's text.
    assert page.evaluate("""() => {
        const text = [...document.querySelectorAll('article p')].find(p => p.textContent === 'Hello text.');
        const turn = document.querySelector('.winwin-turn');
        return !!(text.compareDocumentPosition(turn) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    assert page.errors == []
    assert page.foreign_requests() == []


# The Web Share API, taken away or stubbed before the page's scripts run, so
# both branches run whatever the test machine's browser offers (headless
# Chromium on Linux has no navigator.share).
NO_SHARE = "delete Navigator.prototype.share; delete navigator.share;"
STUB_SHARE = """
    window.__shared = [];
    Object.defineProperty(Navigator.prototype, 'share', {configurable: true, writable: true,
        value: function (data) { window.__shared.push(data); return Promise.resolve(); }});
"""


def test_native_share_button_is_hidden_where_the_browser_cannot_share(page, site):
    page.add_init_script(NO_SHARE)
    page.goto(site + POST)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof navigator.share") == "undefined"
    # Present but hidden, while the script did run: the copy button beside it shows.
    assert page.locator("[data-winwin-share=native]").count() == 1
    assert page.get_by_role("button", name="Copy link").is_visible()
    assert not page.get_by_role("button", name="Share…").is_visible()
    assert page.errors == []


def test_native_share_button_shares_the_page_where_the_browser_can(page, site):
    page.add_init_script(STUB_SHARE)
    page.goto(site + POST)
    button = page.get_by_role("button", name="Share…")
    button.wait_for(state="visible", timeout=5_000)
    button.click()
    page.wait_for_function("window.__shared.length > 0", timeout=5_000)
    assert page.evaluate("window.__shared") == [{"title": "Hello", "text": GIVE_FIRST, "url": CANONICAL}]
    assert page.errors == []


def test_copy_link_puts_the_url_on_the_clipboard(clipboard_page, site):
    page = clipboard_page
    page.goto(site + POST)
    page.get_by_role("button", name="Copy link").click()
    status = page.locator(".winwin-share__status")
    status.filter(has_text="Link copied").wait_for(timeout=5_000)
    assert page.evaluate("navigator.clipboard.readText()") == CANONICAL
    assert status.get_attribute("role") == "status"
    assert page.errors == []


def test_mastodon_instance_is_asked_once_and_remembered(page, site):
    answers = []

    def answer(dialog):
        answers.append((dialog.message, dialog.default_value))
        dialog.accept("@reader@fosstodon.example")

    page.on("dialog", answer)
    opened = []

    # The instance is a fake: nothing leaves the machine.
    def fake_instance(route):
        opened.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>share</title>")

    page.route("https://fosstodon.example/**", fake_instance)
    for _ in range(2):
        page.goto(site + POST)
        with page.expect_navigation(url="https://fosstodon.example/**"):
            page.get_by_role("link", name="Mastodon").click()

    assert len(answers) == 1 and "Mastodon instance" in answers[0][0]
    assert len(opened) == 2 and opened[0] == opened[1]
    parts = urlsplit(opened[0])
    assert (parts.hostname, parts.path) == ("fosstodon.example", "/share")
    assert parse_qs(parts.query) == {"text": [f"{GIVE_FIRST} {CANONICAL}"]}
    page.goto(site + POST)
    assert page.evaluate("localStorage.getItem('winwin.mastodon-instance')") == "fosstodon.example"
    assert page.get_by_role("link", name="Mastodon").get_attribute("href") == opened[0]

    # Alt-click asks again, with the remembered instance filled in.
    with page.expect_navigation(url="https://fosstodon.example/**"):
        page.get_by_role("link", name="Mastodon").click(modifiers=["Alt"])
    assert answers[1][1] == "fosstodon.example"


# Every navigation the page starts (link default actions, location.assign,
# window.open), recorded the moment it starts through the Navigation API.
RECORD_NAVIGATIONS = """
    window.__navigations = [];
    navigation.addEventListener('navigate', e => window.__navigations.push(e.destination.url));
    const open = window.open;
    window.open = (...args) => { window.__navigations.push('window.open ' + args[0]); return open(...args); };
"""


def test_mastodon_cancelled_prompt_stays_on_the_page(page, site):
    dialogs, navigated, popups = [], [], []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.on("framenavigated", lambda frame: navigated.append(frame.url))
    page.on("popup", lambda popup: popups.append(popup.url))
    page.add_init_script(RECORD_NAVIGATIONS)
    page.clock.install()  # the page's timers run only when the test says so
    page.goto(site + POST)
    page.wait_for_load_state("networkidle")
    navigated.clear()
    requests_before = len(page.requests)

    page.get_by_role("link", name="Mastodon").click()
    assert len(dialogs) == 1 and "Mastodon instance" in dialogs[0]
    # Whatever the click handler queued on a timer runs now, a minute of page time.
    page.clock.run_for(60_000)
    # The click handler and its timers have run to the end: anything they
    # started is recorded by now (the script's own log is written synchronously).
    assert page.evaluate("window.__navigations") == []
    assert navigated == [] and popups == []
    assert page.requests[requests_before:] == []
    assert page.url == site + POST
    assert page.evaluate("localStorage.getItem('winwin.mastodon-instance')") is None


def test_reads_well_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(site + POST)
        assert tab.get_by_role("heading", name="Your turn").is_visible()
        row = tab.get_by_role("group", name="Share this post")
        links = row.get_by_role("link")
        assert links.count() == 7
        assert all(links.nth(i).is_visible() for i in range(7))
        # Buttons that need the script are not offered.
        assert row.get_by_role("button").count() == 0
        href = row.get_by_role("link", name="Mastodon").get_attribute("href")
        assert href.startswith("https://mastodon.social/share?text=")
    finally:
        context.close()


def test_giscus_loads_on_scroll_and_follows_the_palette(page, giscus_site):
    # A stand-in for giscus.app: its client adds the iframe, the iframe echoes
    # the messages it gets back to the page. Nothing leaves the machine.
    client = """
        const me = document.currentScript;
        const frame = document.createElement('iframe');
        frame.className = 'giscus-frame';
        frame.title = 'Comments';
        frame.src = 'https://giscus.app/widget?theme=' + me.dataset.theme + '&repo=' + me.dataset.repo;
        me.parentElement.appendChild(frame);
    """
    widget = ("<script>addEventListener('message', e => parent.postMessage({echo: e.data}, '*'));"
              "parent.postMessage({echo: 'ready'}, '*')</script>")

    def fake_giscus(route):
        if route.request.url.endswith("/client.js"):
            route.fulfill(status=200, content_type="text/javascript", body=client)
        else:
            route.fulfill(status=200, content_type="text/html", body=widget)

    page.route("https://giscus.app/**", fake_giscus)
    page.set_viewport_size({"width": 1000, "height": 400})
    page.goto(giscus_site + POST)
    page.wait_for_load_state("networkidle")
    assert page.foreign_requests() == []  # nothing from giscus before the reader gets there

    page.evaluate("window.echoes = []; addEventListener('message', e => e.data.echo && echoes.push(e.data.echo))")
    page.locator("[data-winwin-giscus]").scroll_into_view_if_needed()
    frame = page.locator("iframe.giscus-frame")
    frame.wait_for(state="attached", timeout=5_000)
    # The first palette (light) until the reader toggles: giscus starts light...
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    assert "theme=light&repo=octo-org/talk" in frame.get_attribute("src")
    # Like the real widget, the stand-in hears messages only once it has loaded.
    page.wait_for_function("echoes.includes('ready')", timeout=5_000)

    # ...and follows the toggle to dark and back.
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    for scheme, theme in (("slate", "dark"), ("default", "light")):
        toggle.click()
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")
        page.wait_for_function(
            f"echoes.some(m => m.giscus && m.giscus.setConfig.theme === '{theme}')", timeout=5_000)
        page.evaluate("echoes.length = 0")
    assert page.errors == []


def test_shipped_post_has_the_section_and_footer_profiles(page, site_server, shipped_page_types):
    page.goto(site_server + path_of(shipped_page_types, "post"))  # a post, found by its title
    assert page.get_by_role("heading", name="Your turn").is_visible()
    social = page.locator(".md-footer .md-social__link")
    assert social.count() >= 1
    assert all(social.nth(i).get_attribute("title") for i in range(social.count()))
    page.wait_for_load_state("networkidle")
    assert page.errors == []
    assert page.foreign_requests() == []
