"""GET and POST /api/alerts with API tokens, answers checked against the OpenAPI document."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.test import Client

from search.accounts.api_tokens import api_token_create
from search.models import Alert, SavedSearch
from search.web import openapi


@pytest.fixture
def private(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


def bearer(user) -> dict[str, str]:
    token = api_token_create(user=user, name="script")[1]
    return {"Authorization": f"Bearer {token}"}


def saved(owner, slug: str, *, visibility: str = "private") -> SavedSearch:
    return SavedSearch.objects.create(
        name=f"Search {slug}", slug=slug, query_string="q=cyber", owner=owner,
        visibility=visibility,
    )  # fmt: skip


def check_against_openapi(payload, schema_name: str) -> None:
    components = openapi.document()["components"]
    jsonschema.validate(payload, {**components["schemas"][schema_name], "components": components})


def post(client, body, headers):
    return client.post(
        "/api/alerts", json.dumps(body), content_type="application/json", headers=headers
    )


def test_a_script_turns_an_alert_on_lists_it_and_stops_it(client, seeded, private, rita):
    headers = bearer(rita)
    script = Client(enforce_csrf_checks=True)  # no session, no CSRF token: only the token
    saved(rita, "mine")
    body = {
        "saved_search": "mine",
        "frequency": "daily",
        "digest_hour": 7,
        "time_zone": "Asia/Tokyo",
    }
    created = post(script, body, headers)
    assert created.status_code == 201, created.content
    alert = created.json()
    assert alert["saved_search"]["slug"] == "mine" and alert["frequency"] == "daily"
    assert (alert["digest_hour"], alert["time_zone"], alert["active"]) == (7, "Asia/Tokyo", True)
    assert alert["last_checked"] is not None, "the baseline was taken"
    check_against_openapi(alert, "Alert")

    listing = script.get("/api/alerts", headers=headers)
    assert listing.status_code == 200 and [a["id"] for a in listing.json()["alerts"]] == [
        alert["id"]
    ]
    check_against_openapi(listing.json(), "AlertList")

    stopped = post(script, {"saved_search": "mine", "active": False}, headers)
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    assert stopped.json()["time_zone"] == "Asia/Tokyo", "the rest is kept"
    assert not Alert.objects.get().active


def test_what_a_script_may_not_do_is_answered_with_a_reason(client, seeded, private, rita):
    headers = bearer(rita)
    omar = User.objects.create_user("omar", "omar@example.org", "a long pass phrase")
    saved(omar, "omars")
    saved(rita, "mine")
    assert Client().get("/api/alerts").status_code == 401
    assert post(Client(), {"saved_search": "mine"}, {}).status_code == 401
    refused = post(Client(), {"saved_search": "omars"}, headers)
    assert refused.status_code == 404 and refused.json()["parameter"] == "saved_search"
    wrong = post(Client(), {"saved_search": "mine", "time_zone": "Mars/Olympus"}, headers)
    assert wrong.status_code == 400 and "time zone" in wrong.json()["error"]
    assert post(Client(), [1], headers).status_code == 400
    # A session may read, but writes need a token (no CSRF token is asked of scripts).
    client.force_login(rita)
    assert client.get("/api/alerts").json() == {"alerts": []}
    assert post(client, {"saved_search": "mine"}, {}).status_code == 403
    assert Alert.objects.count() == 0


def test_the_limit_on_alerts_is_said(client, seeded, rita, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "ALERTS_PER_USER": 1}
    headers = bearer(rita)
    saved(rita, "one")
    saved(rita, "two", visibility="listed")
    assert post(Client(), {"saved_search": "one"}, headers).status_code == 201
    refused = post(Client(), {"saved_search": "two"}, headers)
    assert refused.status_code == 400
    assert refused.json()["error"] == (
        "You have reached the limit of 1 alerts: stop one to follow this search."
    )
