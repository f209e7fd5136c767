"""Batch search and compare over time in a real browser: a batch's progress while the
runner answers it (htmx polling, and after a reload), its CSV; a comparison switched between
counts and shares; axe on the new pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.web.test_html_quality import AXE_JS, axe_violations, require

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a long pass phrase"


@pytest.fixture
def batch_user(site):
    return User.objects.create_user("bea", "bea@example.org", PASSWORD)


def sign_in(page, site) -> None:
    page.goto(site + "/accounts/login/?next=/batch/")
    page.get_by_label("Username").fill("bea")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(site + "/batch/")


def run_batches() -> None:
    call_command("run_batches", "--once", stdout=io.StringIO())


def test_a_batch_shows_its_progress_then_its_table_and_csv(page, site, batch_user):
    sign_in(page, site)
    page.get_by_label("Queries, one a line").fill("india\ncyber\nzzzzunfindable")
    page.get_by_role("button", name="Run the batch").click()
    progress = page.locator("#batch-progress")
    expect(progress).to_have_text(re.compile(r"Waiting for its turn: 0 of 3 queries answered"))
    page.reload()  # the state is the server's: a reload shows the same
    expect(progress).to_have_text(re.compile(r"0 of 3 queries answered"))
    page.evaluate("window.__sameDocument = true")
    run_batches()
    expect(progress).to_have_text(re.compile(r"Done: 3 of 3 queries answered"))
    assert page.evaluate("window.__sameDocument === true")  # polled in place, not reloaded
    rows = page.locator(".batch-table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0).locator("th a")).to_have_text("india")
    # No match first, then sorted by matches.
    page.get_by_role("link", name="Queries with no match first").click()
    expect(rows.nth(0).locator("th")).to_have_text("zzzzunfindable")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert [row["query"] for row in table] == ["india", "cyber", "zzzzunfindable"]
    shown = rows.nth(1).locator("td").nth(1)  # india's matches, after the no-match row
    expect(shown).to_have_text(table[0]["matches"])
    page.get_by_role("link", name="india").click()
    expect(page).to_have_url(re.compile(r"/\?q=india$"))


def test_a_comparison_switches_between_counts_and_shares(page, site):
    page.goto(site + "/compare/?q=india&q=cyber")
    caption = page.locator(".compare-table caption")
    expect(caption).to_have_text("Matching articles per year")
    expect(page.locator("svg.compare-chart .compare-series")).to_have_count(2)
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="Share of all articles").click()
    expect(page).to_have_url(re.compile(r"/compare/\?q=india&q=cyber&measure=share$"))
    expect(caption).to_have_text("Each year’s share of all articles")
    expect(page.locator(".compare-table tbody td").first).to_have_text(re.compile(r"%$|–"))
    assert page.evaluate("window.__sameDocument === true")
    page.get_by_role("link", name="Counts").click()
    expect(page).to_have_url(re.compile(r"/compare/\?q=india&q=cyber$"))
    expect(caption).to_have_text("Matching articles per year")


def test_the_comparison_form_makes_the_url(page, site):
    page.goto(site + "/compare/")
    page.get_by_label("Query 1").fill("india")
    page.get_by_label("Query 2").fill("cyber")
    page.get_by_role("spinbutton", name="Year").fill("2024")
    page.get_by_label("By month").check()
    page.get_by_role("button", name="Compare").click()
    expect(page).to_have_url(re.compile(r"q=india&q=cyber.*interval=month.*year=2024"))
    expect(page.locator(".compare-table tbody tr")).to_have_count(12)


def test_no_serious_accessibility_violations_on_the_desk_pages(page, site, batch_user):
    axe = require(AXE_JS).read_text()
    failures = []
    page.goto(site + "/compare/")
    failures += axe_violations(page, axe, "compare form")
    page.goto(site + "/compare/?q=india&q=cyber&measure=share")
    failures += axe_violations(page, axe, "comparison")
    page.goto(site + "/compare/?q=india&q=cyber&interval=month&year=2024")
    failures += axe_violations(page, axe, "comparison by month")
    sign_in(page, site)
    failures += axe_violations(page, axe, "batch form")
    page.get_by_label("Queries, one a line").fill('india\n"unclosed')
    page.get_by_role("button", name="Run the batch").click()
    failures += axe_violations(page, axe, "batch waiting")
    run_batches()
    expect(page.locator("#batch-progress")).to_contain_text("Done")
    failures += axe_violations(page, axe, "batch done")
    page.goto(site + "/batch/")
    failures += axe_violations(page, axe, "batch list")
    assert not failures, "\n".join(failures)
