"""The research desk in a real browser: the timeline, the date range, exports, citing."""

from __future__ import annotations

import csv
import re

import pytest
import rispy

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect


def status(page):
    return page.locator("#search-status")


def bar(page, label: str):
    return page.locator(f'svg.timeline-chart a[aria-label^="{label}"]')


def test_the_chart_shows_and_a_bar_click_filters_in_place(page, site):
    page.goto(site + "/?q=india")
    page.evaluate("window.__sameDocument = true")
    chart = page.locator("svg.timeline-chart")
    expect(chart).to_be_visible()
    expect(page.locator("#timeline-heading")).to_have_text(
        "Matching articles per year, 2022 to 2024"
    )
    expect(bar(page, "2024: ")).to_have_attribute("aria-label", "2024: 4 articles")
    box = bar(page, "2024: ").locator("rect").bounding_box()
    assert box["height"] > 20 and box["width"] > 10  # drawn, not just present
    bar(page, "2024: ").click()
    expect(page).to_have_url(re.compile(r"/\?q=india&year=2024$"))
    expect(status(page)).to_contain_text("4 articles")
    expect(page.locator("#timeline-heading")).to_have_text(
        "Matching articles per month, January 2024 to December 2024"
    )
    assert page.evaluate("window.__sameDocument === true")  # an htmx swap, not a page load
    # The table holds the same counts.
    page.locator(".timeline-table summary").click()
    rows = page.locator(".timeline-table tbody tr")
    expect(rows).to_have_count(12)
    expect(rows.nth(7)).to_have_text(re.compile(r"August 2024\s*3"))


def test_bars_are_reached_and_followed_with_the_keyboard(page, site):
    page.goto(site + "/?q=india")
    page.locator("#q").focus()
    for _ in range(40):  # Tab until a bar has the focus
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("2022: "):
            break
    else:
        pytest.fail("no timeline bar could be reached with Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=india&year=2022$"))
    expect(status(page)).to_contain_text("1 article")


def test_a_bar_works_with_javascript_off(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/?q=india")
    bar(page, "2024: ").click()
    expect(page).to_have_url(re.compile(r"/\?q=india&year=2024$"))
    expect(page.locator("#timeline-heading")).to_contain_text("per month")
    context.close()


def test_date_inputs_filter_and_a_reversed_range_is_explained(page, site):
    page.goto(site + "/?q=india")
    page.locator("#filter-from").fill("2024-01-01")
    expect(page).to_have_url(re.compile(r"/\?q=india&from=2024-01-01$"))
    expect(status(page)).to_contain_text("4 articles")
    expect(page.locator(".chip-remove", has_text="From: 2024-01-01")).to_be_visible()
    page.locator("#filter-to").fill("2023-06-30")
    expect(page.locator(".problem")).to_contain_text(
        "The end date (2023-06-30) is before the start date (2024-01-01)"
    )
    page.get_by_role("link", name="Search without the dates").click()
    expect(page).to_have_url(re.compile(r"/\?q=india$"))
    expect(status(page)).to_contain_text("5 articles")


def test_exports_download_and_parse(page, site):
    page.goto(site + "/?q=india&sort=oldest")
    titles = page.locator(".hit-title").all_inner_texts()
    with page.expect_download() as download_info:
        page.locator(".exports a", has_text="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [row["title"] for row in rows] == titles
    assert all(row["permalink"].startswith(site + "/articles/") for row in rows)
    with page.expect_download() as download_info:
        page.locator(".exports a", has_text="RIS").click()
    with open(download_info.value.path(), encoding="utf-8") as file:
        entries = rispy.load(file)
    assert [entry["title"] for entry in entries] == titles


def test_the_article_page_offers_its_citation(page, site):
    page.goto(site + "/?q=india&sort=oldest")
    page.locator(".hit-title a").first.click()
    expect(page.locator("#citation")).to_contain_text("Archived copy: " + site + "/articles/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as RIS").click()
    with open(download_info.value.path(), encoding="utf-8") as file:
        (entry,) = rispy.load(file)
    expect(page.locator(".article-header h1")).to_have_text(entry["title"])
