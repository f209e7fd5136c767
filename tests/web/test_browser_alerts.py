"""Alerts in a real browser: from a saved search, turned on, changed, stopped and on again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from search.models import Alert, SavedSearch

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a long pass phrase"


@pytest.fixture
def rita(site):
    user = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    SavedSearch.objects.create(
        name="Cyber <watch>", slug="cyber001", query_string="q=cyber", owner=user,
        visibility="private",
    )  # fmt: skip
    return user


def sign_in(page, site) -> None:
    page.goto(site + "/accounts/login/?next=/saved/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(site + "/saved/")


def test_an_alert_is_turned_on_changed_stopped_and_on_again(page, site, rita):
    sign_in(page, site)
    page.get_by_role("link", name="Alert me of new matches of Cyber <watch>").click()
    expect(page.get_by_label("Saved search")).to_have_value("cyber001")
    page.get_by_label("Daily digest").check()
    page.get_by_label("Digest at").select_option(label="07:00")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_role("button", name="Turn on", exact=True).click()

    expect(page.locator(".notice-success")).to_have_text("Alert on “Cyber <watch>” turned on.")
    mine = page.locator("form.alert")
    expect(mine).to_have_count(1)
    expect(mine.locator("h3")).to_have_text("Cyber <watch> On")
    alert = Alert.objects.get()
    assert (alert.frequency, alert.digest_hour, alert.time_zone) == ("daily", 7, "Europe/Paris")
    assert alert.last_checked is not None, "what matches already is not mailed"

    mine.get_by_label("As they arrive").check()
    mine.get_by_role("button", name="Save changes for Cyber <watch>").click()
    expect(page.locator(".notice-success")).to_contain_text("saved and on")
    assert Alert.objects.get().frequency == "arrive"

    page.get_by_role("button", name="Stop the alert on Cyber <watch>").click()
    expect(page.locator(".notice-success")).to_have_text("Alert on “Cyber <watch>” stopped.")
    expect(mine.locator("h3")).to_have_text("Cyber <watch> Stopped")
    assert not Alert.objects.get().active

    page.get_by_role("button", name="Turn on again for Cyber <watch>").click()
    expect(mine.locator("h3")).to_have_text("Cyber <watch> On")
    assert Alert.objects.get().active
