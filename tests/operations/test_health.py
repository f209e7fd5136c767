"""/healthz: what a load balancer reads, as data."""

from __future__ import annotations

from search.operations.health import check_health


def test_healthy_when_the_database_and_the_index_answer(client, seeded):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "index": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_a_missing_index_is_named_with_its_repair(client, db):
    report = check_health()
    assert report.database == "ok"
    assert report.index.startswith("The search index is missing")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "index": report.index}
