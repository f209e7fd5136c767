"""Stars, labels and notes through the API with bearer tokens, answers checked against the
OpenAPI document; hidden articles answer 404 and sessions may read but not write."""

from __future__ import annotations

import json

import jsonschema
import pytest
from django.contrib.auth.models import User
from django.test import Client

from search.accounts.api_tokens import api_token_create
from search.desk import triage
from search.models import Article, Star
from search.operations import index_sync
from search.web import openapi


@pytest.fixture
def private(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


@pytest.fixture
def article(db):
    return Article.objects.create(title="Budget", body="text", raw="text", content_hash="a")


def bearer(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {api_token_create(user=user, name='script')[1]}"}


def conforms(response, schema_name: str) -> dict:
    payload = response.json()
    components = openapi.document()["components"]
    jsonschema.validate(payload, {**components["schemas"][schema_name], "components": components})
    return payload


def send(method: str, path: str, body=None, headers=None):
    # No session, no CSRF token: only the bearer token.
    script = Client(enforce_csrf_checks=True)
    data = json.dumps(body) if body is not None else ""
    return script.generic(
        method, path, data, content_type="application/json", headers=headers or {}
    )


def test_a_script_stars_labels_and_annotates_an_article(private, rita, article):
    headers = bearer(rita)
    base = f"/api/articles/{article.pk}"
    starred = send("POST", f"{base}/star", headers=headers)
    assert conforms(starred, "Star") == {"article": article.pk, "starred": True}
    assert Star.objects.filter(user=rita, article=article).exists()
    unstarred = send("DELETE", f"{base}/star", headers=headers)
    assert conforms(unstarred, "Star")["starred"] is False

    added = send("POST", f"{base}/labels", {"label": "Needs checking"}, headers)
    assert added.status_code == 201
    labels = conforms(added, "ArticleLabels")["labels"]
    assert [(label["name"], label["slug"]) for label in labels] == [
        ("Needs checking", "needs-checking")
    ]
    again = send("POST", f"{base}/labels", {"label": "NEEDS CHECKING"}, headers)
    assert again.status_code == 200
    assert len(again.json()["labels"]) == 1
    read = send("GET", f"{base}/labels", headers=headers)
    assert conforms(read, "ArticleLabels")["labels"][0]["slug"] == "needs-checking"
    removed = send("DELETE", f"{base}/labels/needs-checking", headers=headers)
    assert conforms(removed, "ArticleLabels")["labels"] == []

    note = send("POST", f"{base}/notes", {"text": "See <b>http://example.org</b>"}, headers)
    assert note.status_code == 201
    assert conforms(note, "Note")["shared"] is False
    listed = conforms(send("GET", f"{base}/notes", headers=headers), "ArticleNotes")
    assert [(n["author"], n["text"]) for n in listed["notes"]] == [
        ("rita", "See <b>http://example.org</b>")
    ]


def test_what_may_not_be_done_is_answered_with_a_reason(private, rita, article):
    headers = bearer(rita)
    base = f"/api/articles/{article.pk}"
    assert send("POST", f"{base}/star").status_code == 401
    assert send("GET", f"{base}/notes").status_code == 401
    assert send("POST", f"{base}/labels", {"label": ""}, headers).status_code == 400
    assert send("POST", f"{base}/labels", ["x"], headers).status_code == 400
    assert send("POST", f"{base}/notes", {"text": "x", "shared": "yes"}, headers).status_code == 400
    assert send("DELETE", f"{base}/labels/nothing", headers=headers).status_code == 404
    # A session reads, but writes need a token (no CSRF token is asked of scripts).
    session = Client(enforce_csrf_checks=True)
    session.force_login(rita)
    assert session.get(f"{base}/labels").status_code == 200
    assert session.post(f"{base}/star").status_code == 403
    # A hidden article is no article.
    Article.objects.filter(pk=article.pk).update(status=Article.Status.HIDDEN)
    assert send("POST", f"{base}/star", headers=headers).status_code == 404
    assert send("GET", f"{base}/notes", headers=headers).status_code == 404


def test_notes_are_limited_and_say_when_to_try_again(rita, article, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "NOTES_PER_USER_PER_HOUR": 1}
    headers = bearer(rita)
    path = f"/api/articles/{article.pk}/notes"
    assert send("POST", path, {"text": "one"}, headers).status_code == 201
    refused = send("POST", path, {"text": "two"}, headers)
    assert refused.status_code == 429
    assert "1 note in the last hour" in refused.json()["error"]
    assert int(refused["Retry-After"]) > 0


def test_anonymous_readers_of_a_public_archive_see_shared_notes_only_if_allowed(
    rita, article, settings
):
    headers = bearer(rita)
    path = f"/api/articles/{article.pk}/notes"
    send("POST", path, {"text": "shared", "shared": True}, headers)
    send("POST", path, {"text": "mine"}, headers)
    assert Client().get(path).status_code == 401
    settings.NEWSROOM = {**settings.NEWSROOM, "PUBLIC_TRIAGE": True}
    assert [n["text"] for n in Client().get(path).json()["notes"]] == ["shared"]


def test_search_filters_by_labels_stars_and_notes_and_counts_labels(seeded, rita, settings):
    first, second, third = list(Article.objects.order_by("pk"))[:3]
    label = triage.label_named(name="Lead", user=rita)
    with_label = triage.label_action_start(
        user=rita, label=label, kind="add", article_ids=[first.pk, second.pk]
    )
    assert with_label.article_ids == [first.pk, second.pk]
    triage.star_set(user=rita, article=second, starred=True)
    triage.note_create(user=rita, article=third, text="mine", shared=False)
    index_sync.process_pending()
    session = Client()
    session.force_login(rita)

    def found(query: str) -> set[int]:
        answer = session.get(f"/api/search?{query}&per_page=100&copies=all")
        assert answer.status_code == 200, answer.content
        return {hit["id"] for hit in answer.json()["hits"]}

    assert found("label=lead") == {first.pk, second.pk}
    assert found("label=lead&starred=1") == {second.pk}
    assert found("notes=1") == {third.pk}
    assert found("starred=1&notes=1") == set()
    answer = conforms(session.get("/api/search?copies=all&label=lead"), "SearchResponse")
    assert [hit["labels"] for hit in answer["hits"]] == [[{"name": "Lead", "slug": "lead"}]] * 2
    assert {hit["notes"] for hit in answer["hits"]} == {0}
    facets = session.get("/api/search?copies=all").json()["facets"]
    assert [(f["value"], f["label"], f["count"]) for f in facets["label"]] == [("lead", "Lead", 2)]
    # Stars and notes are the reader's: another user's search has none of them.
    omar = User.objects.create_user("omar", "omar@example.org", "another pass phrase")
    session.force_login(omar)
    assert found("starred=1") == set() and found("notes=1") == set()
    # Anonymous visitors neither see nor filter by labels unless the operator allows it.
    anonymous = Client().get("/api/search?label=lead&copies=all").json()
    assert (
        "label" not in anonymous["facets"]
        and anonymous["total"] == Article.objects.filter(status="published").count()
    )
    assert Client().get("/api/search?starred=2").status_code == 400
