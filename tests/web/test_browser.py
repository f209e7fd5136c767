"""What only a real browser shows: htmx swaps, history, highlights, keyboard, error handling."""

from __future__ import annotations

import re

import pytest

from tests.tooling import ARTIFACTS

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect


def mark_window(page) -> None:
    """A flag on the window that survives htmx swaps but not a page load."""
    page.evaluate("window.__sameDocument = true")


def still_same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def status(page):
    return page.locator("#search-status")


def test_typing_shows_highlighted_hits_without_a_page_load(page, site):
    page.goto(site + "/")
    mark_window(page)
    page.locator("#q").press_sequentially("cyber", delay=20)
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))
    expect(status(page)).to_contain_text("4 articles for “cyber”")
    expect(page.locator(".hit-title mark").first).to_have_text(re.compile("cyber", re.I))
    expect(page.locator(".hit-snippet mark").first).to_be_visible()
    expect(page).to_have_title("“cyber” · Search · Newsroom")
    assert still_same_document(page)


def test_facet_sort_and_back_forward(page, site):
    page.goto(site + "/?q=cyber")
    mark_window(page)
    kihara = page.locator("#facet-minister-minoru-kihara")
    expect(kihara.locator("xpath=..").locator(".count")).to_contain_text("3")
    kihara.check()
    expect(page).to_have_url(re.compile(r"/\?q=cyber&minister=minoru-kihara$"))
    expect(status(page)).to_contain_text("3 articles")
    expect(page.locator("#facet-minister-minoru-kihara")).to_be_checked()
    expect(page.locator(".chip-remove")).to_contain_text("Minister: Minoru Kihara")
    # Focus stays on the checkbox the keyboard user just ticked (same id after the swap).
    expect(page.locator("#facet-minister-minoru-kihara")).to_be_focused()

    page.get_by_role("link", name="Sort by Oldest").click()
    expect(page).to_have_url(re.compile(r"minister=minoru-kihara&sort=oldest$"))
    # The clicked link is gone with the swap: focus moves to the top of the new results.
    expect(page.locator("#results-heading")).to_be_focused()
    dates = page.locator(".hit-meta time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=cyber&minister=minoru-kihara$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))
    expect(status(page)).to_contain_text("4 articles")
    expect(page.locator("#facet-minister-minoru-kihara")).not_to_be_checked()
    page.go_forward()
    expect(status(page)).to_contain_text("3 articles")
    expect(page.locator("#facet-minister-minoru-kihara")).to_be_checked()
    assert still_same_document(page)


def test_back_after_typing_restores_the_words_too(page, site):
    page.goto(site + "/")
    # fill(): one input event per step, so a slow machine cannot push in-between states.
    page.locator("#q").fill("cyber")
    expect(status(page)).to_contain_text("for “cyber”")
    page.locator("#q").fill("cyber space")
    expect(status(page)).to_contain_text("for “cyber space”")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))
    expect(page.locator("#q")).to_have_value("cyber")
    expect(status(page)).to_contain_text("for “cyber”")


def test_history_restored_from_the_server_and_after_a_reload(page, site):
    page.goto(site + "/?q=cyber")
    page.locator("#facet-minister-minoru-kihara").check()
    expect(status(page)).to_contain_text("3 articles")
    page.locator("#facet-topic-space").check()
    expect(page).to_have_url(re.compile(r"minister=minoru-kihara&topic=space$"))
    mark_window(page)

    # With htmx's snapshot cache gone, Back asks the server (HX-History-Restore-Request) and
    # must get the whole page, not just the results.
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    with page.expect_request(lambda r: "hx-history-restore-request" in r.headers) as restore:
        page.go_back()
    assert restore.value.url.endswith("/?q=cyber&minister=minoru-kihara")
    expect(page.locator("#q")).to_have_value("cyber")
    expect(status(page)).to_contain_text("3 articles")
    expect(page.locator("#search-form")).to_have_count(1)
    expect(page.locator(".site-header")).to_have_count(1)
    assert still_same_document(page)

    page.reload()
    expect(status(page)).to_contain_text("3 articles")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))
    expect(status(page)).to_contain_text("4 articles")
    page.go_forward()
    expect(status(page)).to_contain_text("3 articles")
    page.go_forward()
    expect(status(page)).to_contain_text("articles for “cyber”")
    expect(page.locator("#facet-topic-space")).to_be_checked()


def test_chip_on_a_hit_adds_its_filter(page, site):
    page.goto(site + "/?q=cyber")
    page.locator(".hit .chip-topic", has_text="Space").first.click()
    expect(page).to_have_url(re.compile(r"/\?q=cyber&topic=space$"))
    expect(page.locator("#facet-topic-space")).to_be_checked()
    page.get_by_role("link", name="Clear all filters").click()
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))


def test_saved_search_link_opens_the_same_results(page, context, site):
    page.goto(site + "/?q=cyber&minister=minoru-kihara")
    titles = page.locator(".hit-title").all_inner_texts()
    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Name").fill("Kihara on cyber")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("Saved “Kihara on cyber”.")
    row = page.locator("tr", has_text="Kihara on cyber")
    expect(row.locator("td.num")).to_have_text("3")
    short_link = row.get_by_role("link", name="Kihara on cyber", exact=True).get_attribute("href")
    assert re.fullmatch(r"/s/[a-z2-9]{8}/", short_link)

    other = context.new_page()
    other.goto(site + short_link)
    expect(other).to_have_url(re.compile(r"/\?q=cyber&minister=minoru-kihara$"))
    assert other.locator(".hit-title").all_inner_texts() == titles
    expect(other.locator("#facet-minister-minoru-kihara")).to_be_checked()


def test_article_from_a_hit_has_the_query_words_marked(page, site):
    page.goto(site + "/?q=semiconductors")
    page.locator(".hit-title a").first.click()
    expect(page).to_have_url(re.compile(r"/articles/\d+/\?q=semiconductors$"))
    marks = page.locator(".article-body mark")
    expect(marks.first).to_be_visible()
    assert all("semiconductor" in text.lower() for text in marks.all_inner_texts())
    page.get_by_role("link", name="← Back to the results").click()
    expect(page).to_have_url(re.compile(r"/\?q=semiconductors$"))
    expect(page.locator("#q")).to_have_value("semiconductors")


def test_slash_focuses_the_search_box(page, site):
    page.goto(site + "/")
    page.locator("#facet-topic-space").focus()  # on a checkbox "/" is not typing
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("space")
    expect(status(page)).to_contain_text("for “space”")
    expect(page.locator("#q")).to_have_value("space")  # the "/" itself was not typed


def test_focus_stays_where_the_reader_went_while_a_swap_was_in_flight(page, site):
    page.goto(site + "/?q=cyber")
    page.route(
        "**/?q=cyber&sort=oldest", lambda route: (page.wait_for_timeout(300), route.continue_())
    )
    page.get_by_role("link", name="Sort by Oldest").click()
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    expect(page).to_have_url(re.compile(r"sort=oldest$"))
    expect(page.locator("#q")).to_be_focused()


def test_server_errors_inside_a_swap_show_a_message(page, site):
    page.goto(site + "/")
    page.route("**/?q=boom*", lambda route: route.fulfill(status=500, body="Server Error"))
    page.locator("#q").fill("boom")
    expect(page.locator("#results [role=alert]")).to_contain_text("error 500")
    page.route("**/?q=gone*", lambda route: route.abort())
    page.locator("#q").fill("gone")
    expect(page.locator("#results [role=alert]")).to_contain_text("could not be reached")


def test_page_past_the_end_inside_a_swap_explains_itself(page, site):
    page.goto(site + "/?q=cyber&per_page=1&page=3")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=4$"))
    expect(page.get_by_role("link", name="Next page")).to_have_count(0)
    page.evaluate("htmx.ajax('GET', '/?q=cyber&page=9', {target: '#results'})")
    expect(page.locator("#results .problem")).to_contain_text("Page 9 is past the last page")


def test_facets_work_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/?q=cyber")
    page.locator("#facet-minister-minoru-kihara").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"/\?q=cyber&minister=minoru-kihara$"))
    expect(status(page)).to_contain_text("3 articles")
    page.get_by_role("link", name="Sort by Newest").click()
    expect(page).to_have_url(re.compile(r"minister=minoru-kihara&sort=newest$"))
    page.locator("#q").fill("india")
    page.locator("#q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=india&minister=minoru-kihara&sort=newest$"))
    context.close()


@pytest.mark.parametrize("width, name", [(1280, "desktop"), (390, "phone")])
def test_screenshots_of_the_search_page(browser, site, width, name):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + "/?q=cyber&minister=s-jaishankar")
    expect(page.locator(".hit").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"search-{name}.png", full_page=True)
    # Nothing may stick out sideways on a phone.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_pages_raise_no_content_security_policy_violation(page, site):
    """The policy (no inline script or style) holds on every page a reader uses, swaps too."""
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', (event) =>"
        " window.__violations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    console = []
    page.on("console", lambda message: console.append(message.text))

    def violations() -> list[str]:
        return page.evaluate("window.__violations")

    response = page.goto(site + "/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator("#q").press_sequentially("cyber", delay=20)
    expect(status(page)).to_contain_text("4 articles for “cyber”")
    page.locator("#facet-minister-minoru-kihara").check()
    expect(status(page)).to_contain_text("3 articles")
    assert violations() == []
    page.locator(".hit-title a").first.click()
    expect(page.locator(".article-body")).to_be_visible()
    assert violations() == []
    for path in ["/saved/", "/saved/new/?q=cyber", "/no-such-page/"]:
        page.goto(site + path)
        assert violations() == [], path
    assert not [text for text in console if "Content Security Policy" in text]
