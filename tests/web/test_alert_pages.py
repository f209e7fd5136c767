"""The alert pages through the test client: only your own alerts, only searches you may follow."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from search.models import Alert, SavedSearch


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


@pytest.fixture
def omar(db):
    return User.objects.create_user("omar", "", "a long pass phrase")


def test_the_page_needs_signing_in(client, db):
    response = client.get("/alerts/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_only_my_own_and_listed_searches_are_offered_and_accepted(client, seeded, rita, omar):
    SavedSearch.objects.create(
        name="Omar's <secret>", slug="omar0001", owner=omar, visibility="private"
    )
    SavedSearch.objects.create(name="Listed one", slug="listed01", owner=omar, visibility="listed")
    SavedSearch.objects.create(name="Mine", slug="mine0001", owner=rita, query_string="q=cyber")
    client.force_login(rita)
    page = client.get("/alerts/?saved=mine0001").content.decode()
    assert '<option value="mine0001" selected>Mine</option>' in page
    assert "Listed one" in page and "secret" not in page
    refused = client.post("/alerts/new/", {"saved_search": "omar0001", "frequency": "arrive"})
    assert refused.status_code == 400 and Alert.objects.count() == 0
    turned_on = client.post(
        "/alerts/new/",
        {"saved_search": "listed01", "frequency": "daily", "digest_hour": "6", "time_zone": "UTC"},
        follow=True,
    )
    assert "Alert on “Listed one” turned on." in turned_on.content.decode()
    assert Alert.objects.get().digest_hour == 6


def test_someone_elses_alert_cannot_be_changed_and_no_address_means_no_alert(
    client, seeded, rita, omar
):
    mine = SavedSearch.objects.create(name="Mine", slug="mine0001", owner=rita)
    alert = Alert.objects.create(owner=rita, saved_search=mine)
    client.force_login(omar)
    assert client.post(f"/alerts/{alert.pk}/", {"action": "stop"}).status_code == 404
    assert Alert.objects.get().active
    SavedSearch.objects.create(name="Omar's", slug="omar0001", owner=omar)
    page = client.get("/alerts/").content.decode()
    assert "Your account has no mail address" in page
    refused = client.post(
        "/alerts/new/",
        {"saved_search": "omar0001", "frequency": "arrive", "digest_hour": "8", "time_zone": "UTC"},
    )
    assert refused.status_code == 400
    assert "Your account has no mail address: ask an editor" in refused.content.decode()
