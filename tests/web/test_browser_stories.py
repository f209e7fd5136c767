"""In a real browser: a story's other versions expand in place, and the switch to every copy."""

from __future__ import annotations

import re

import pytest

from search.operations import index_sync
from tests.story_data import COPY, OTHER, STORY, import_records, record

pytest_plugins = ["tests.browser"]
pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def stories_site(site, tmp_path):
    """The seeded site with a story, its re-posted copy, and another week's report."""
    import_records(tmp_path, [record(STORY), record(COPY), record(OTHER)])
    index_sync.process_pending()
    return site


def test_other_versions_expand_in_place(page, stories_site):
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', (event) =>"
        " window.__violations.push(event.violatedDirective));"
    )
    page.goto(stories_site + "/?q=dock+workers&sort=newest")
    expect(page.locator("#search-status")).to_contain_text(
        "2 stories (3 articles counting every copy)"
    )
    page.evaluate("window.__sameDocument = true")
    hit = page.locator(".hit").filter(has_text="Strike over: dockers accept")
    hit.get_by_role("link", name="1 other version").click()
    versions = hit.locator(".hit-versions .versions")
    expect(versions).to_be_visible()
    expect(versions.get_by_role("link")).to_have_text(
        "Port workers end three-week strike after pay deal"
    )
    expect(page).to_have_url(re.compile(r"/\?q=dock\+workers&sort=newest$"))  # stayed put
    expect(page.locator(".hit")).to_have_count(2)  # the results were not replaced
    assert page.evaluate("window.__sameDocument === true")
    assert page.evaluate("window.__violations") == []

    versions.get_by_role("link").click()  # a version opens its article page
    expect(page.locator("h1")).to_have_text("Port workers end three-week strike after pay deal")
    expect(page.locator("#versions")).to_contain_text("Strike over: dockers accept 6.5% wage offer")


def test_the_switch_shows_every_copy_without_a_page_load(page, stories_site):
    page.goto(stories_site + "/?q=dock+workers")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Show every copy (3 articles)").click()
    expect(page).to_have_url(re.compile(r"/\?q=dock\+workers&copies=all$"))
    expect(page.locator("#search-status")).to_contain_text("3 articles")
    expect(page.locator(".hit")).to_have_count(3)
    expect(page.locator(".hit-versions")).to_have_count(0)
    page.get_by_role("link", name="Show one article per story").click()
    expect(page.locator(".hit")).to_have_count(2)
    assert page.evaluate("window.__sameDocument === true")
