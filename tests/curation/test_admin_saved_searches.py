"""Editors find spam among the saved searches and delete it in bulk."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from search.models import SavedSearch

CHANGELIST = "/admin/search/savedsearch/"


@pytest.fixture
def editor_client(client, db):
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    return client


@pytest.fixture
def spam(db):
    for number in range(30):
        SavedSearch.objects.create(
            name=f"Buy pills {number}",
            slug=f"spam{number:04d}",
            query_string="q=pills",
            client="spammer-key",
        )
    SavedSearch.objects.create(
        name="Cheap pills", slug="othersp1", query_string="q=pills", client="spammer-key"
    )
    return SavedSearch.objects.filter(client="spammer-key")


def test_an_editor_finds_every_save_of_one_client(editor_client, spam):
    SavedSearch.objects.create(name="Cyber", slug="cyber234", query_string="q=cyber", client="me")
    html = editor_client.get(CHANGELIST, {"q": "spammer-key"}).content.decode()
    assert "31 results" in html and "Cyber" not in html
    assert f'href="{CHANGELIST}?q=spammer-key"' in html  # each row links to its client's saves


def test_deleting_spam_takes_every_save_of_the_same_clients(editor_client, spam):
    keep = SavedSearch.objects.create(
        name="Cyber", slug="cyber234", query_string="q=cyber", client="me", featured=True
    )
    one = SavedSearch.objects.get(slug="othersp1")
    response = editor_client.post(
        CHANGELIST,
        {"action": "delete_from_same_clients", "_selected_action": [one.pk]},
        follow=True,
    )
    assert "31 saved searches deleted, from 1 client." in response.content.decode()
    assert list(SavedSearch.objects.all()) == [keep]


def test_the_public_cannot_reach_the_saved_searches_admin(client, spam):
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
