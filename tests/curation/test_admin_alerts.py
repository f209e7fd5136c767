"""Alerts in the admin, through the test client: an editor sees each alert's owner, saved
search, address, last check and failing mail, and pauses one; nobody else sees them."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, User

from search.models import Alert, AlertDelivery, SavedSearch

CHANGELIST = "/admin/search/alert/"
CHECKED = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name="editor"))
    return user


@pytest.fixture
def followed(db):
    """Rita's alert, its mail refused for good; Omar's, its mail waiting on a busy server."""
    rita = User.objects.create_user("rita", "rita@gone.example.org")
    omar = User.objects.create_user("omar", "omar@example.org")
    walrus = SavedSearch.objects.create(name="Walrus <b>watch</b>", slug="walrus01", owner=rita)
    cyber = SavedSearch.objects.create(name="Cyber", slug="cyber001", owner=omar)
    refused = Alert.objects.create(
        owner=rita, saved_search=walrus, last_checked=CHECKED,
        refused_address="rita@gone.example.org", refusal="550 5.1.1 no such mailbox",
        refused_at=CHECKED,
    )  # fmt: skip
    busy = Alert.objects.create(owner=omar, saved_search=cyber, last_checked=CHECKED)
    AlertDelivery.objects.create(
        alert=busy, message_id="<1@news.example.org>", created=CHECKED, next_attempt=CHECKED,
        attempts=2, last_error="SMTPRecipientsRefused: 451 4.2.1 mailbox busy",
    )  # fmt: skip
    return refused, busy


def test_an_editor_sees_every_alert_with_its_address_last_check_and_failure(
    client, editor, followed
):
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "rita@gone.example.org" in page and "omar@example.org" in page
    assert "Walrus &lt;b&gt;watch&lt;/b&gt;" in page and "<b>watch</b>" not in page
    assert "Refused for good: 550 5.1.1 no such mailbox" in page
    assert "SMTPRecipientsRefused: 451 4.2.1 mailbox busy" in page
    assert "6 December 2026" in page or "Dec. 6, 2026" in page
    assert "/admin/search/alert/add/" not in page, "alerts are their owners' to turn on"


def test_an_editor_pauses_an_alert(client, editor, followed):
    refused, busy = followed
    client.force_login(editor)
    response = client.post(
        CHANGELIST, {"action": "pause", "_selected_action": [busy.pk]}, follow=True
    )
    assert "1 alert paused." in response.content.decode()
    assert not Alert.objects.get(pk=busy.pk).active
    assert Alert.objects.get(pk=refused.pk).active
    form = client.get(f"{CHANGELIST}{refused.pk}/change/").content.decode()
    assert "550 5.1.1 no such mailbox" in form and 'name="active"' in form
    assert 'name="time_zone"' not in form, "the schedule is its owner's"


@pytest.mark.parametrize("url", [CHANGELIST, "/admin/search/alert/1/change/"])
def test_nobody_but_staff_sees_alerts(client, followed, url):
    assert client.get(url).status_code == 302, "anonymous: to the admin's sign-in"
    client.force_login(User.objects.get(username="rita"))
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/admin/login/?next=")
