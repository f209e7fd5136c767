"""Saved searches belong to someone: private by default, shared by link, or listed (public
mode only); /saved/ shows mine first and only what I may see."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.models import SavedSearch

PASSWORD = "a long pass phrase"


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", password=PASSWORD)


@pytest.fixture
def otto(db):
    return User.objects.create_user("otto", password=PASSWORD)


def save(client, name: str, visibility: str | None = None, query_string: str = "q=cyber"):
    data = {"name": name, "query_string": query_string}
    if visibility:
        data["visibility"] = visibility
    return client.post("/saved/new/", data)


def listed_names(client) -> list[str]:
    html = client.get("/saved/").content.decode()
    return re.findall(r'<tr id="saved-\w+">\s*<th scope="row"><a href="[^"]+">([^<]+)</a>', html)


def test_my_private_saved_search_is_invisible_to_another_user(client, seeded, rita, otto):
    client.force_login(rita)
    form = client.get("/saved/new/?q=cyber").content.decode()
    assert re.search(r'<input type="radio" name="visibility" value="private"[^>]*checked', form)
    assert save(client, "Rita's cyber").status_code == 302
    mine = SavedSearch.objects.get(name="Rita's cyber")
    assert (mine.owner, mine.visibility) == (rita, "private")
    assert "Rita&#x27;s cyber" in client.get("/saved/").content.decode()
    assert client.get(f"/s/{mine.slug}/").status_code == 302

    client.force_login(otto)
    assert "Rita" not in client.get("/saved/").content.decode()
    for path in (f"/s/{mine.slug}/", f"/s/{mine.slug}/feed/", f"/s/{mine.slug}/count/"):
        assert client.get(path).status_code == 404, path
    client.logout()
    assert client.get(f"/s/{mine.slug}/").status_code == 404


def test_shared_by_link_opens_for_others_but_is_not_listed(client, seeded, rita, otto):
    client.force_login(rita)
    save(client, "Rita's link", "link")
    shared = SavedSearch.objects.get(name="Rita's link")
    client.force_login(otto)
    assert listed_names(client) == []
    assert client.get(f"/s/{shared.slug}/").status_code == 302
    assert client.get(f"/s/{shared.slug}/feed/").status_code == 200


def test_the_list_shows_mine_first_then_the_listed_ones(client, seeded, rita, otto):
    SavedSearch.objects.create(name="Old public", slug="old00001", query_string="q=space")
    client.force_login(otto)
    save(client, "Otto's listed", "listed")
    client.force_login(rita)
    save(client, "Rita's own")
    assert listed_names(client) == ["Rita&#x27;s own", "Otto&#x27;s listed", "Old public"]
    assert "Yours: only me" in client.get("/saved/").content.decode()
    client.logout()
    assert listed_names(client) == ["Otto&#x27;s listed", "Old public"]


def test_in_a_private_archive_nothing_is_listed_for_all(client, seeded, rita, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}
    client.force_login(rita)
    form = client.get("/saved/new/?q=cyber").content.decode()
    assert 'value="link"' in form and 'value="listed"' not in form
    response = save(client, "Listed?", "listed")
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_signed_in_user_is_not_held_to_the_anonymous_allowance(client, seeded, rita, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SAVES_PER_CLIENT_PER_HOUR": 1}
    client.force_login(rita)
    assert [save(client, f"Mine {n}").status_code for n in range(3)] == [302] * 3
    client.logout()
    assert save(client, "Anonymous 1").status_code == 302
    assert save(client, "Anonymous 2").status_code == 429
    assert SavedSearch.objects.get(name="Anonymous 1").visibility == "listed"


def test_a_featured_private_search_is_not_shown_on_the_search_page(client, seeded, rita):
    SavedSearch.objects.create(
        name="Secret",
        slug="secret01",
        query_string="q=cyber",
        featured=True,
        owner=rita,
        visibility="private",
    )
    SavedSearch.objects.create(name="Open", slug="open0001", query_string="q=cyber", featured=True)
    html = client.get("/").content.decode()
    assert "Open" in html and "Secret" not in html


def test_editors_moderate_every_saved_search_in_the_admin(client, seeded, rita):
    SavedSearch.objects.create(
        name="Rita's secret",
        slug="secret01",
        query_string="q=cyber",
        owner=rita,
        visibility="private",
    )
    editor = User.objects.create_user("eddie", password=PASSWORD, is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    html = client.get("/admin/search/savedsearch/").content.decode()
    assert "Rita&#x27;s secret" in html and "Only me" in html
    assert client.get("/s/secret01/").status_code == 302


@pytest.fixture
def back_to_the_latest_migrations():
    """A test that migrates back leaves the database as the rest of the session expects it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_saved_searches_from_before_accounts_migrate_as_listed(back_to_the_latest_migrations):
    before = [("search", "0006_postgres_search")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("search", "SavedSearch")
    old.objects.create(name="From before", slug="before01", query_string="q=cyber")
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0007_private_accounts")])
    saved = SavedSearch.objects.get(slug="before01")
    assert (saved.owner, saved.visibility) == (None, "listed")
    assert Group.objects.filter(name="reader").exists()
