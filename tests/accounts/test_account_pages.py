"""The account pages in a real browser: private mode sends a visitor to sign in and back, the
header signs out; every account page is valid HTML with no serious axe violation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from django.contrib.auth.models import User

from search.models import SavedSearch
from tests.tooling import skip_or_fail
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a long pass phrase"


@pytest.fixture
def private(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", PASSWORD)


def account_pages(client, rita) -> dict[str, bytes]:
    """Each account page as its user sees it (the throttled sign-in with its message)."""
    pages = {"sign in": client.get("/accounts/login/?next=/saved/").content}
    for _ in range(5):
        client.post("/accounts/login/", {"username": "rita", "password": "wrong"})
    throttled = client.post("/accounts/login/", {"username": "rita", "password": "wrong"})
    assert throttled.status_code == 429
    pages["sign in, throttled"] = throttled.content
    pages["password reset"] = client.get("/accounts/password/reset/").content
    pages["password reset sent"] = client.get("/accounts/password/reset/sent/").content
    pages["password reset, bad link"] = client.get("/accounts/password/reset/x/y-z/").content
    client.force_login(rita)
    SavedSearch.objects.create(
        name="Mine", slug="mine0001", query_string="q=cyber", owner=rita, visibility="private"
    )
    pages["account, new token"] = client.post("/accounts/tokens/new/", {"name": "cron"}).content
    pages["account"] = client.get("/accounts/").content
    pages["password change"] = client.get("/accounts/password/").content
    pages["save form, signed in"] = client.get("/saved/new/?q=cyber").content
    pages["saved searches, signed in"] = client.get("/saved/").content
    return pages


def test_account_pages_are_valid_html(client, seeded, rita, private, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    pages = account_pages(client, rita)
    pages["sentinel"] = b"<!doctype html><html><title>x</title><p>broken</span>"
    paths = {}
    folder = tmp_path / "pages"
    folder.mkdir()
    for number, (name, content) in enumerate(pages.items()):
        path = folder / f"account{number}.html"
        path.write_bytes(content)
        paths[path.resolve().as_uri().replace("file:///", "file:/")] = name
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", *map(str, folder.glob("*"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    problems = [
        f"{paths.get(m.get('url'), m.get('url'))}: line {m.get('lastLine')}: {m['message']}"
        for m in json.loads(completed.stdout)["messages"]
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert any(problem.startswith("sentinel: ") for problem in problems), problems
    assert [problem for problem in problems if not problem.startswith("sentinel")] == []


@pytest.mark.browser
def test_private_mode_signs_in_and_back_then_out(page, site, private, rita):
    page.goto(site + "/?q=cyber")
    expect(page).to_have_title("Sign in · Newsroom")
    expect(page.locator("main")).to_contain_text("Sign in to read the archive.")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct username")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/\?q=cyber$"))
    expect(page.locator("#search-status")).to_contain_text("4 articles for “cyber”")

    page.get_by_role("link", name="Account").click()
    page.get_by_label("Name").fill("nightly script")
    page.get_by_role("button", name="Make a token").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^nrt_[\w-]{40,}$"))
    expect(page.get_by_role("row", name=re.compile("nightly script"))).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_title("Sign in · Newsroom")
    page.goto(site + "/saved/")
    expect(page).to_have_title("Sign in · Newsroom")


@pytest.mark.browser
def test_a_search_typed_after_the_session_ended_loads_the_sign_in_page(
    page, context, site, private, rita
):
    page.goto(site + "/accounts/login/?next=/%3Fq%3Dcyber")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#search-status")).to_contain_text("4 articles for “cyber”")
    context.clear_cookies()  # the session ended
    page.locator("#q").fill("space")
    # Not the sign-in form swapped into the results: the whole page goes to sign in.
    expect(page).to_have_title("Sign in · Newsroom")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    expect(page.locator("#search-status")).to_have_count(0)


@pytest.mark.browser
def test_account_pages_have_no_serious_accessibility_violations(page, site, private, rita):
    axe = require(AXE_JS).read_text()
    page.goto(site + "/accounts/login/")
    failures = axe_violations(page, axe, "sign in")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()
    for name, path in {
        "account": "/accounts/",
        "password change": "/accounts/password/",
        "save form": "/saved/new/?q=cyber",
    }.items():
        page.goto(site + path)
        failures += axe_violations(page, axe, name)
    assert not failures, "\n".join(failures)
