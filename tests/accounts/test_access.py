"""Private mode: every URL refuses an anonymous visitor (the URL conf is walked, so a page
added later is covered too); signed-in users, API tokens and feed tokens get in."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from search.accounts.access import OPEN_URL_NAMES
from search.models import SavedSearch

# What a visitor may fill in for each kind of path parameter.
SAMPLE_VALUES = {"int": "1", "slug": "abc23456", "str": "x", "path": "x", "uuid": "0" * 32}
ROUTE_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>([^)]*)\)")


def sample_path(route: str) -> str:
    """A concrete path for a route (``path()`` syntax, or the admin's few regular expressions)."""
    path = REGEX_GROUP.sub(lambda m: m.group(1).split("|")[0], route)
    path = ROUTE_PARAMETER.sub(lambda m: SAMPLE_VALUES[m.group(1) or "str"], path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def walk(patterns, prefix: str = ""):
    """Every URL pattern of the site: (its dotted name or None, a sample path)."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield entry, sample_path(route)


def site_urls() -> list[tuple[str, str]]:
    urls = []
    for pattern, path in walk(get_resolver().url_patterns):
        match = resolve(path)  # the walk itself is right: each sample reaches its own view
        assert match.func == pattern.callback, (path, match.func, pattern.callback)
        urls.append((match.view_name, path))
    return urls


@pytest.fixture
def private(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}


@pytest.fixture
def reader(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


def test_every_url_of_the_site_refuses_an_anonymous_visitor(client, seeded, private):
    urls = site_urls()
    assert len(urls) > 40, "the walk reaches the admin, the accounts, the pages and the API"
    refused = 0
    for view_name, path in urls:
        if view_name in OPEN_URL_NAMES:
            continue
        for method in (client.get, client.post):
            response = method(path)
            if path.startswith("/api/"):
                assert response.status_code == 401, (path, response.status_code)
                assert "private" in response.json()["error"]
            else:
                assert response.status_code == 302, (path, response.status_code)
                assert response["Location"].startswith("/accounts/login/?next="), path
            refused += 1
    assert refused > 80
    # What stays open: signing in, resetting a password, and the load balancer's probe.
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/accounts/password/reset/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/no/such/page/").status_code == 302


def test_the_search_page_sends_an_anonymous_visitor_to_sign_in_and_back(client, seeded, private):
    response = client.get("/?q=cyber", follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=/%3Fq%3Dcyber", 302)]
    assert "Sign in to read the archive." in response.content.decode()
    assert "hit-title" not in response.content.decode()
    User.objects.create_user("rita", password="a long pass phrase")
    response = client.post(
        "/accounts/login/",
        {"username": "rita", "password": "a long pass phrase", "next": "/?q=cyber"},
    )
    assert response.status_code == 302 and response["Location"] == "/?q=cyber"
    assert "<strong>4</strong> articles for “cyber”" in client.get("/?q=cyber").content.decode()


def test_an_htmx_request_of_an_expired_session_loads_the_sign_in_page(client, seeded, private):
    response = client.get("/?q=cyber", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_a_signed_in_reader_reads_pages_the_api_and_feeds(client, seeded, private, reader):
    client.force_login(reader)
    article = seeded["000"]
    SavedSearch.objects.create(name="Cyber", slug="cyber001", query_string="q=cyber")
    for path in ("/", "/?q=cyber", f"/articles/{article.pk}/", "/saved/", "/s/cyber001/feed/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/search?q=cyber").json()["total"] == 4
    assert client.get(f"/api/articles/{article.pk}").json()["id"] == article.pk


def test_public_mode_stays_open_to_anonymous_visitors(client, seeded):
    SavedSearch.objects.create(name="Cyber", slug="cyber001", query_string="q=cyber")
    for path in ("/", "/saved/", "/s/cyber001/feed/", "/api/search?q=cyber"):
        assert client.get(path).status_code == 200, path


def test_a_signed_in_session_ends_after_its_idle_time(client, seeded, private, reader, settings):
    settings.SESSION_COOKIE_AGE = 600
    client.force_login(reader)
    # Last touched over a minute ago, and due to expire in 30 seconds: a request starts its
    # idle time again.
    session_data = client.session
    session_data["seen"] = int(time.time()) - 61
    session_data.save()
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=30))
    assert client.get("/").status_code == 200
    assert Session.objects.get().expire_date > timezone.now() + timedelta(seconds=590)
    # Idle for longer than that: signed out.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_openapi_description_documents_the_token_scheme(client, private, reader):
    from openapi_spec_validator import validate

    from tests.web.test_api import check_against_openapi

    refused = client.get("/api/search?q=cyber")
    assert refused.status_code == 401
    check_against_openapi(refused.json(), "Error")
    client.force_login(reader)
    document = client.get("/api/openapi.json").json()
    validate(document)
    assert document["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"
    assert {"apiToken": []} in document["security"]
    assert "401" in document["paths"]["/api/search"]["get"]["responses"]
