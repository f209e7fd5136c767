"""Batch searches on the seeded archive, through the pages a user sees: each row holds the
same numbers the search page shows for that query; problems stay in their row; a runner that
died is taken over; "run again" shows what changed."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from search import selectors
from search.desk import batches
from search.models import Article, BatchSearch
from search.query import SearchQuery
from tests.conftest import on_every_engine


@pytest.fixture
def reader(search_engine_name, db):  # the engine first: PostgreSQL brings its own database
    return User.objects.create_user("reader", password="a long enough password")


@pytest.fixture
def signed_in(client, reader):
    client.force_login(reader)
    return client


def start_batch(client, **fields):
    response = client.post("/batch/", fields)
    assert response.status_code == 302, response.content.decode()
    return BatchSearch.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))


def run_batches():
    call_command("run_batches", "--once", stdout=io.StringIO())


def downloaded_csv(client, batch):
    response = client.get(f"/batch/{batch.pk}.csv")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def search_page_numbers(q: str, **filters) -> dict:
    stories = selectors.run_search(SearchQuery(q=q, **filters)).results
    copies = selectors.run_search(SearchQuery(q=q, every_copy=True, **filters)).results
    return {"stories": stories.total, "matches": copies.total, "years": copies.facets["year"]}


@on_every_engine
def test_each_row_has_the_search_pages_numbers(signed_in, seeded):
    batch = start_batch(signed_in, queries="india\ncyber\n\nzzzzunfindable\n")
    page = signed_in.get(f"/batch/{batch.pk}/")
    assert "Waiting for its turn: 0 of 3 queries answered" in page.content.decode()
    run_batches()
    rows = {row["query"]: row for row in downloaded_csv(signed_in, batch)}
    assert list(rows) == ["india", "cyber", "zzzzunfindable"]
    for q in ("india", "cyber"):
        expected = search_page_numbers(q)
        assert int(rows[q]["matches"]) == expected["matches"] > 0
        assert int(rows[q]["stories"]) == expected["stories"]
        for count in expected["years"]:
            assert int(rows[q][str(count.value)]) == count.count
        dates = sorted(
            a.published
            for a in Article.objects.filter(status="published")
            if a.pk in matching_ids(q)
        )
        assert rows[q]["first"] == dates[0].isoformat()
        assert rows[q]["last"] == dates[-1].isoformat()
        assert rows[q]["search_url"].endswith(f"/?q={q}")
    assert rows["zzzzunfindable"]["matches"] == "0"
    page = signed_in.get(f"/batch/{batch.pk}/").content.decode()
    assert "Done: 3 of 3 queries answered" in page
    assert '<a href="/?q=india">india</a>' in page


def matching_ids(q: str) -> set[int]:
    found = selectors.run_search(SearchQuery(q=q, every_copy=True, per_page=100))
    return {row.article.pk for row in found.rows}


def test_the_filters_apply_to_every_query(signed_in, seeded):
    batch = start_batch(signed_in, queries="india\ncyber", year="2024")
    run_batches()
    rows = {row["query"]: row for row in downloaded_csv(signed_in, batch)}
    for q in ("india", "cyber"):
        expected = search_page_numbers(q, years=(2024,))
        assert int(rows[q]["matches"]) == expected["matches"]
        assert rows[q]["search_url"].endswith(f"/?q={q}&year=2024")
    assert set(rows["india"]) >= {"2024"} and "2023" not in rows["india"]


def test_a_query_with_a_problem_gets_its_message_and_the_others_still_run(signed_in, seeded):
    batch = start_batch(signed_in, queries='india\n"unclosed quote\ncyber')
    run_batches()
    rows = signed_in.get(f"/batch/{batch.pk}.json").json()["rows"]
    assert [row["query"] for row in rows] == ["india", '"unclosed quote', "cyber"]
    assert rows[1]["message"] == "Ignored an unmatched quotation mark."
    assert rows[0]["message"] is None and rows[0]["matches"] > 0
    assert rows[2]["matches"] > 0


def test_the_table_sorts_by_any_column_and_lists_no_match_first(signed_in, seeded):
    batch = start_batch(signed_in, queries="zzzzunfindable\nindia\ncyber")
    run_batches()
    order = lambda query_string: [  # noqa: E731
        row.query for row in signed_in.get(f"/batch/{batch.pk}/?{query_string}").context["rows"]
    ]
    india, cyber = search_page_numbers("india")["matches"], search_page_numbers("cyber")["matches"]
    most, fewest = ("india", "cyber") if india > cyber else ("cyber", "india")
    assert order("sort=matches&order=desc") == [most, fewest, "zzzzunfindable"]
    assert order("sort=matches") == ["zzzzunfindable", fewest, most]
    assert order("sort=query") == ["cyber", "india", "zzzzunfindable"]
    assert order("sort=query&empty=first") == ["zzzzunfindable", "cyber", "india"]
    assert (
        order("sort=first") == ["cyber", "india", "zzzzunfindable"]
        or order("sort=first")[-1] == "zzzzunfindable"
    )  # no date: last


def test_a_csv_upload_with_labels(signed_in, seeded):
    upload = SimpleUploadedFile(
        "queries.csv", "label,query\nSüdasien,india\nComputers,cyber\n".encode()
    )
    batch = start_batch(signed_in, file=upload)
    run_batches()
    rows = downloaded_csv(signed_in, batch)
    assert [(row["label"], row["query"]) for row in rows] == [
        ("Südasien", "india"),
        ("Computers", "cyber"),
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"queries": "\n  \n"}, "Give at least one query"),
        ({"queries": "\n".join(f"q{n}" for n in range(1001))}, "up to 1,000 queries"),
        (
            {"file": SimpleUploadedFile("q.csv", b"words\nindia\n")},
            "header row naming a &quot;query&quot; column",
        ),
        ({"queries": "india", "to": "2020-01-01", "from": "2021-01-01"}, "before the start date"),
    ],
)
def test_a_batch_that_cannot_run_says_why(signed_in, seeded, fields, message):
    response = signed_in.post("/batch/", fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not BatchSearch.objects.exists()


def test_a_batch_left_running_by_a_dead_runner_is_taken_over(reader, seeded):
    batch = batches.batch_create(
        user=reader,
        queries=[{"query": q, "label": ""} for q in ("india", "cyber", "space")],
        filters=SearchQuery(),
    )
    answered = batches.answer({"query": "india", "label": ""}, SearchQuery())
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    BatchSearch.objects.filter(pk=batch.pk).update(
        status="running", rows=[answered], heartbeat=long_ago
    )
    fresh = batches.batch_create(
        user=reader, queries=[{"query": "rail", "label": ""}], filters=SearchQuery()
    )
    BatchSearch.objects.filter(pk=fresh.pk).update(
        status="running", heartbeat=datetime.datetime.now(datetime.UTC)
    )
    run_batches()
    batch.refresh_from_db()
    assert batch.status == "done"
    assert [row["query"] for row in batch.rows] == ["india", "cyber", "space"]
    assert batch.rows[0] == answered  # kept, not asked again
    fresh.refresh_from_db()
    assert fresh.status == "running" and fresh.rows == []  # its runner is alive


def test_run_again_shows_what_changed(signed_in, seeded, django_capture_on_commit_callbacks):
    batch = start_batch(signed_in, queries="india\nzzzzunfindable")
    run_batches()
    india = next(a for a in Article.objects.all() if a.pk in matching_ids("india"))
    with django_capture_on_commit_callbacks(execute=True):
        india.status = Article.Status.HIDDEN
        india.save()
    response = signed_in.post(f"/batch/{batch.pk}/again/")
    again = BatchSearch.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    run_batches()
    rows = {row["query"]: row for row in downloaded_csv(signed_in, again)}
    assert rows["india"]["change"] == "-1"
    assert rows["zzzzunfindable"]["change"] == "0"
    assert "Change" in signed_in.get(f"/batch/{again.pk}/").content.decode()


def test_batches_are_their_users_own(client, signed_in, seeded):
    batch = start_batch(signed_in, queries="india")
    other = User.objects.create_user("other", password="another long password")
    client.force_login(other)
    assert client.get(f"/batch/{batch.pk}/").status_code == 404
    assert client.get(f"/batch/{batch.pk}.csv").status_code == 404
    client.logout()
    assert client.get("/batch/").status_code == 302  # to sign in


def test_hidden_articles_never_count(signed_in, seeded, django_capture_on_commit_callbacks):
    before = search_page_numbers("india")["matches"]
    hidden = next(a for a in Article.objects.all() if a.pk in matching_ids("india"))
    with django_capture_on_commit_callbacks(execute=True):
        hidden.status = Article.Status.HIDDEN
        hidden.save()
    batch = start_batch(signed_in, queries="india")
    run_batches()
    row = signed_in.get(f"/batch/{batch.pk}.json").json()["rows"][0]
    assert row["matches"] == before - 1
    assert json.dumps(row).find(hidden.title) == -1


def test_a_user_may_have_five_batches_waiting(signed_in, seeded):
    for _ in range(batches.MOST_WAITING_PER_USER):
        start_batch(signed_in, queries="india")
    refused = signed_in.post("/batch/", {"queries": "india"})
    assert refused.status_code == 400
    assert "You have 5 batches waiting or running" in refused.content.decode()
    run_batches()
    start_batch(signed_in, queries="india")
