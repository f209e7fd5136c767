"""The desk's API with API tokens, as a script uses it: POST /api/batch, then GET
/api/batch/<id> until done; GET /api/compare. Every answer is checked against the OpenAPI
document."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from search.accounts.api_tokens import api_token_create
from tests.web.test_api import check_against_openapi


@pytest.fixture
def owner(db):
    return User.objects.create_user("scripter", password="a long enough password")


@pytest.fixture
def bearer(owner):
    _row, token = api_token_create(user=owner, name="nightly")
    return {"Authorization": f"Bearer {token}"}


def test_a_script_starts_a_batch_and_reads_its_rows(client, seeded, bearer):
    response = client.post(
        "/api/batch",
        {"queries": ["india", "cyber", "zzzzunfindable"], "filters": {"year": [2024]}},
        content_type="application/json",
        headers=bearer,
    )
    assert response.status_code == 201, response.content
    check_against_openapi(response.json(), "BatchCreated")
    batch_id = response.json()["id"]
    running = client.get(f"/api/batch/{batch_id}", headers=bearer).json()
    assert running["status"] == "running" and running["rows"] == []
    call_command("run_batches", "--once", stdout=io.StringIO())
    done = client.get(f"/api/batch/{batch_id}", headers=bearer).json()
    check_against_openapi(done, "Batch")
    assert done["status"] == "done"
    rows = {row["query"]: row for row in done["rows"]}
    india = client.get("/api/search?q=india&year=2024&copies=all").json()
    assert rows["india"]["matches"] == india["total"] > 0
    assert set(rows["india"]["per_year"]) == {"2024"}
    assert rows["zzzzunfindable"]["matches"] == 0
    assert rows["india"]["search_url"] == "http://testserver/?q=india&year=2024"


def test_batches_need_a_user_and_are_theirs_alone(client, seeded, bearer):
    anonymous = Client(enforce_csrf_checks=True)
    refused = anonymous.post("/api/batch", {"queries": ["india"]}, content_type="application/json")
    assert refused.status_code in (401, 403)
    created = client.post(
        "/api/batch", {"queries": ["india"]}, content_type="application/json", headers=bearer
    ).json()
    assert anonymous.get(f"/api/batch/{created['id']}").status_code == 401
    _row, other_token = api_token_create(
        user=User.objects.create_user("other", password="another long password"), name="x"
    )
    other = {"Authorization": f"Bearer {other_token}"}
    assert client.get(f"/api/batch/{created['id']}", headers=other).status_code == 404
    wrong = client.post(
        "/api/batch",
        {"queries": ["india"]},
        content_type="application/json",
        headers={"Authorization": "Bearer nrt_not-a-token"},
    )
    assert wrong.status_code == 401


def test_a_session_post_needs_its_csrf_token(seeded, owner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post("/api/batch", {"queries": ["india"]}, content_type="application/json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body, parameter",
    [
        ({"queries": []}, "queries"),
        ({"queries": "india"}, "queries"),
        ({"queries": ["q"] * 1001}, "queries"),
        ({"queries": ["india"], "filters": {"colour": "red"}}, "filters"),
        ({"queries": ["india"], "filters": {"from": "2024-13-01"}}, "from"),
    ],
)
def test_a_batch_that_cannot_run_is_a_400_naming_what(client, seeded, bearer, body, parameter):
    response = client.post("/api/batch", body, content_type="application/json", headers=bearer)
    assert response.status_code == 400
    check_against_openapi(response.json(), "Error")
    assert response.json()["parameter"] == parameter


def test_compare_with_a_token(client, seeded, bearer):
    response = client.get("/api/compare?q=india&q=cyber&measure=share", headers=bearer)
    assert response.status_code == 200
    check_against_openapi(response.json(), "Comparison")
    timeline = client.get("/api/search?q=india").json()["date_histogram"]["buckets"]
    india = response.json()["series"][0]["points"]
    assert {p["period"]: p["count"] for p in india} == {b["period"]: b["count"] for b in timeline}
