"""Every error under /api/ is JSON with the API's shape; pages answer HTML."""

from __future__ import annotations

import json

import pytest
from django.db import DatabaseError, OperationalError
from django.http import HttpResponse
from django.test import Client, RequestFactory

from search import selectors
from search.operations import unavailable
from search.operations.json_errors import JsonErrorsMiddleware


def json_error(response) -> str:
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert list(body) == ["error"]
    return body["error"]


@pytest.mark.django_db
def test_a_method_the_api_does_not_take_is_a_405_in_json_naming_the_ones_it_does(client):
    response = client.options("/api/search?q=cyber")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert json_error(response) == "This address answers GET, HEAD only."


@pytest.mark.django_db
def test_a_post_without_its_csrf_token_is_a_403_in_json():
    response = Client(enforce_csrf_checks=True).post("/api/search?q=cyber")
    assert response.status_code == 403
    assert "CSRF" in json_error(response)


@pytest.mark.django_db
def test_a_host_not_allowed_is_a_400_in_json(client):
    response = client.get("/api/search?q=cyber", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert json_error(response) == "The request could not be read."


@pytest.mark.django_db
def test_an_unknown_endpoint_is_a_404_in_json_and_an_unknown_page_html(client):
    assert client.get("/api/no-such-thing").status_code == 404
    assert "openapi.json" in json_error(client.get("/api/no-such-thing"))
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_bug_is_a_500_in_json_under_the_api_and_a_page_elsewhere(seeded, monkeypatch, caplog):
    def broken(search_query):
        raise KeyError("a bug of ours")

    monkeypatch.setattr(selectors, "run_search", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/api/search?q=cyber")
    assert response.status_code == 500
    assert json_error(response).startswith("Something went wrong on our side")
    assert "a bug of ours" not in response.content.decode()
    page = client.get("/?q=cyber")
    assert page.status_code == 500 and b"Something went wrong" in page.content
    assert "Internal Server Error: /api/search" in caplog.text  # logged with its traceback


def test_a_throttled_api_call_keeps_its_retry_after_and_its_own_words():
    def throttled(request):
        response = HttpResponse(status=429)
        response["Retry-After"] = "60"
        return response

    def throttled_saying_why(request):
        return HttpResponse(
            "30 an hour; try again in 5 minutes.", status=429, content_type="text/plain"
        )

    request = RequestFactory().get("/api/search?q=cyber")
    response = JsonErrorsMiddleware(throttled)(request)
    assert (response.status_code, response["Retry-After"]) == (429, "60")
    assert json_error(response) == "Too many requests; please try again later."
    response = JsonErrorsMiddleware(throttled_saying_why)(request)
    assert json_error(response) == "30 an hour; try again in 5 minutes."


def test_json_answers_and_html_pages_are_left_as_they_are():
    def page_error(request):
        return HttpResponse("<h1>Not found</h1>", status=404)

    page = JsonErrorsMiddleware(page_error)(RequestFactory().get("/articles/0/"))
    assert page.content == b"<h1>Not found</h1>"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (OperationalError("database is locked"), unavailable.BUSY),
        (OperationalError("attempt to write a readonly database"), unavailable.READ_ONLY),
        (OperationalError("unable to open database file"), unavailable.MISSING),
        (DatabaseError("file is not a database"), unavailable.DAMAGED),
        (DatabaseError("database disk image is malformed"), unavailable.DAMAGED),
        (DatabaseError("a bug of ours"), None),
        (KeyError("a bug of ours"), None),
    ],
)
def test_which_database_errors_are_faults_and_which_are_bugs(error, message):
    assert unavailable.database_problem(error) == message


@pytest.mark.django_db
def test_a_missing_table_in_a_migrated_database_is_a_bug():
    error = OperationalError("no such table: search_savedsearch")
    assert unavailable.database_problem(error) is None
