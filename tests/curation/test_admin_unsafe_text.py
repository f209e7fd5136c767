"""What an editor types or pastes into the admin keeps no character that breaks an output:
control characters are removed (line-breaking ones become a newline) instead of reaching the
feeds, where a single one made every request of a feed answer 500."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from search.models import Article, Minister, SavedSearch, Topic


@pytest.fixture
def superuser_client(client, db):
    client.force_login(User.objects.create_superuser("boss", email=None, password=None))
    return client


def saved(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_an_article_edit_keeps_its_text_without_control_characters(superuser_client):
    article = Article.objects.create(title="Oil prices", body="Oil rose.", raw="Oil rose.")
    data = {
        "title": "Oil\x01 prices\x7f",
        "body": "Word\x0bbreak\x00 here\ufffe",
        "status": "published",
    }
    saved(superuser_client, reverse("admin:search_article_change", args=[article.pk]), data)
    article.refresh_from_db()
    assert (article.title, article.body) == ("Oil prices", "Word\nbreak here")
    assert article.manual_fields == ["body"], "the title is as it was: not an edit"


def test_names_aliases_and_keywords_lose_control_characters(superuser_client):
    minister = Minister.objects.create(name="Narendra Modi", slug="narendra-modi")
    data = {
        "name": "Nar\x07endra Modi",
        "slug": "narendra-modi",
        "country": "India\x00",
        "office": "Prime\x1bMinister",
        "aliases": "Modi\x00\nN.\x01 Modi",
    }
    saved(superuser_client, reverse("admin:search_minister_change", args=[minister.pk]), data)
    minister.refresh_from_db()
    assert (minister.name, minister.country, minister.office) == (
        "Narendra Modi",
        "India",
        "PrimeMinister",
    )
    assert minister.aliases == ["Modi", "N. Modi"]
    topic = Topic.objects.create(label="Oil", slug="oil")
    data = {"label": "Oil\x85and gas", "slug": "oil", "keywords": "crude\x01 oil"}
    saved(superuser_client, reverse("admin:search_topic_change", args=[topic.pk]), data)
    topic.refresh_from_db()
    assert (topic.label, topic.keywords) == ("Oil\nand gas", ["crude oil"])


def test_a_saved_search_edit_loses_them_too(superuser_client):
    search = SavedSearch.objects.create(name="Oil", slug="oil00001", query_string="q=oil")
    data = {
        "name": "a\x00b\x01c",
        "slug": "oil00001",
        "query_string": "q=oil\x0b",
        "visibility": "listed",
    }
    saved(superuser_client, reverse("admin:search_savedsearch_change", args=[search.pk]), data)
    search.refresh_from_db()
    assert (search.name, search.query_string) == ("abc", "q=oil")
