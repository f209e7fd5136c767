"""Saved searches are public and anonymous: limited per client and in size; the list never
waits on live counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from search.accounts.clients import client_key
from search.desk.saved_searches import TooManySaves, saved_search_create, search_query_from_string
from search.models import SavedSearch


@pytest.fixture
def allowance(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SAVES_PER_CLIENT_PER_HOUR": 3}
    return 3


def save(client, name: str = "Cyber", query_string: str = "q=cyber", address: str = "1.2.3.4"):
    return client.post(
        "/saved/new/", {"name": name, "query_string": query_string}, REMOTE_ADDR=address
    )


def test_each_client_saves_its_allowance_then_is_told_when_to_come_back(client, seeded, allowance):
    assert [save(client, f"Cyber {n}").status_code for n in range(allowance)] == [302] * 3
    response = save(client, "One too many")
    html = response.content.decode()
    assert response.status_code == 429
    assert "You have saved 3 searches in the last hour, the most allowed." in html
    assert "Please try again in 60 minutes." in html
    assert 3590 <= int(response["Retry-After"]) <= 3600
    assert 'value="One too many"' in html, "the form keeps what was typed"
    assert not SavedSearch.objects.filter(name="One too many").exists()
    assert save(client, "Someone else", address="5.6.7.8").status_code == 302
    key = client_key("1.2.3.4")
    assert SavedSearch.objects.filter(client=key).count() == 3


def test_the_allowance_frees_up_as_the_hour_passes(seeded, allowance):
    query = search_query_from_string("q=cyber")
    for _ in range(allowance):
        saved_search_create(name="Cyber", search_query=query, client="k1")
    with pytest.raises(TooManySaves):
        saved_search_create(name="Cyber", search_query=query, client="k1")
    oldest = SavedSearch.objects.order_by("created").first()
    SavedSearch.objects.filter(pk=oldest.pk).update(created=timezone.now() - timedelta(minutes=61))
    assert saved_search_create(name="Cyber", search_query=query, client="k1").pk


def test_names_and_searches_have_a_size_limit_with_a_clear_message(client, seeded):
    response = save(client, name="x" * 201)
    assert response.status_code == 400
    assert "A name can be at most 200 characters long; this one has 201." in (
        response.content.decode()
    )
    long_query = "q=" + "+".join(["cyber"] * 400)
    response = save(client, query_string=long_query)
    assert response.status_code == 400
    assert "This search is too long to save: 2,401 characters, at most 2,000." in (
        response.content.decode()
    )
    assert not SavedSearch.objects.exists()


def count_cell(client, saved: SavedSearch) -> str:
    html = client.get("/saved/").content.decode()
    row = re.search(rf'<tr id="saved-{saved.slug}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'<td class="num">(.*?)</td>', row, re.S).group(1)


def test_the_list_shows_kept_counts_and_asks_for_the_others_lazily(client, seeded):
    saved = SavedSearch.objects.create(name="Cyber", slug="cyber234", query_string="q=cyber")
    cell = count_cell(client, saved)
    # Not counted yet: htmx asks for the count after the page has loaded; without JavaScript
    # the link opens the search, which shows its total.
    assert 'data-hx-get="/s/cyber234/count/"' in cell and 'data-hx-trigger="load"' in cell
    assert 'href="/s/cyber234/"' in cell
    assert client.get("/s/cyber234/count/").content.decode() == "4"
    assert count_cell(client, saved) == "4"
    cache.clear()  # what COUNT_CACHE_SECONDS later brings
    assert 'data-hx-get="/s/cyber234/count/"' in count_cell(client, saved)


def test_a_count_that_cannot_be_taken_says_why(client, db):
    SavedSearch.objects.create(name="Cyber", slug="cyber234", query_string="q=cyber")
    html = client.get("/s/cyber234/count/").content.decode()
    assert html.startswith('<span title="The search index is missing')
    assert client.get("/s/nosuchxx/count/").status_code == 404
