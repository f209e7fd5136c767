"""Exports (CSV, JSON Lines, RIS) and an article's RIS through the Django test client."""

from __future__ import annotations

import csv
import html
import io
import json

import pytest
import rispy

from search.desk import exports
from search.models import Article, ExportRecord
from tests.conftest import on_every_engine


def download(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return response, b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


@on_every_engine
def test_csv_has_every_match_in_date_order_with_its_columns(client, seeded):
    response, text = download(client, "/export.csv?q=india&sort=oldest")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="newsroom-india-')
    rows = csv_rows(text)
    assert list(rows[0]) == list(exports.COLUMNS)
    api = client.get("/api/search?q=india&sort=oldest&per_page=100").json()
    assert [row["title"] for row in rows] == [hit["title"] for hit in api["hits"]]
    assert [row["date"] for row in rows] == [hit["published"] for hit in api["hits"]]
    first = rows[0]
    assert first["permalink"] == f"http://testserver/articles/{api['hits'][0]['id']}/"
    assert first["ministers"] == "; ".join(m["name"] for m in api["hits"][0]["ministers"])
    assert "India" in first["snippet"] and "<mark>" not in first["snippet"]
    assert "Newsroom-Export-Notice" not in response


def test_every_match_comes_once_across_batches(client, seeded, monkeypatch):
    monkeypatch.setattr(exports, "BATCH", 2)
    _, text = download(client, "/export.jsonl")
    records = [json.loads(line) for line in text.splitlines()]
    assert len(records) == Article.objects.count() == 5
    assert len({record["permalink"] for record in records}) == 5
    assert set(records[0]) == set(exports.COLUMNS)


def test_the_cap_is_stated_in_a_header_and_on_the_page(client, seeded, settings, monkeypatch):
    settings.NEWSROOM = {**settings.NEWSROOM, "EXPORT_MAX_ARTICLES": 3}
    monkeypatch.setattr(exports, "BATCH", 2)
    response, text = download(client, "/export.csv")
    assert len(csv_rows(text)) == 3
    notice = response["Newsroom-Export-Notice"]
    assert "finds 5 articles; an export holds at most 3" in notice
    assert notice in html.unescape(client.get("/").content.decode())


@on_every_engine
def test_hidden_articles_are_never_exported(client, seeded, django_capture_on_commit_callbacks):
    article = seeded["004"]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.HIDDEN
        article.save()
    for file_format in ("csv", "jsonl", "ris"):
        _, text = download(client, f"/export.{file_format}?per_page=100")
        assert article.title not in text.replace('""', '"')
        assert f"/articles/{article.pk}/" not in text
    assert client.get(f"/articles/{article.pk}/cite.ris").status_code == 404


def test_ris_is_read_by_a_ris_parser(client, seeded):
    response, text = download(client, "/export.ris?q=india")  # by relevance: newest first
    assert response["Content-Type"] == "application/x-research-info-systems"
    entries = rispy.loads(text)
    api = client.get("/api/search?q=india&sort=newest&per_page=100").json()
    assert [entry["title"] for entry in entries] == [hit["title"] for hit in api["hits"]]
    first = entries[0]
    assert first["type_of_reference"] == "NEWS"
    assert first["date"] == api["hits"][0]["published"].replace("-", "/")
    assert first["urls"] == [f"http://testserver/articles/{api['hits'][0]['id']}/"]
    names = [m["name"] for m in api["hits"][0]["ministers"]]
    assert first["keywords"][: len(names)] == names


def test_an_articles_ris_and_citation(client, seeded, django_capture_on_commit_callbacks):
    article = seeded["000"]
    with django_capture_on_commit_callbacks(execute=True):
        article.source_url = "https://news.example.org/story?id=1"
        article.save()
    response = client.get(f"/articles/{article.pk}/cite.ris")
    entry = rispy.loads(response.content.decode())[0]
    assert entry["title"] == article.title and entry["urls"] == [article.source_url]
    assert entry["secondary_title"] == "news.example.org"
    assert entry["notes"] == [f"Archived copy: http://testserver/articles/{article.pk}/"]
    page = client.get(f"/articles/{article.pk}/").content.decode()
    assert f"news.example.org, {article.published.day} {article.published:%B %Y}." in page
    assert f'href="/articles/{article.pk}/cite.ris" download' in page


def test_formula_like_cells_are_defused(client, seeded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.create(
            title='=HYPERLINK("http://evil.example","zanzibar")',
            body="@SUM(1) zanzibar\nTY  - JOUR\nER  - ",
            raw="-",
            content_hash="formula",
        )
    _, text = download(client, "/export.csv?q=zanzibar")
    row = csv_rows(text)[0]
    assert row["title"] == '\'=HYPERLINK("http://evil.example","zanzibar")'
    assert row["snippet"].startswith("'@SUM(1)")
    # A line break in a value cannot start a new RIS tag or end the record early.
    _, ris = download(client, "/export.ris?q=zanzibar")
    assert len(rispy.loads(ris)) == 1 and ris.count("ER  -") == 1


def test_exports_are_limited_per_client(client, seeded, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "EXPORTS_PER_CLIENT_PER_HOUR": 2}
    download(client, "/export.csv")
    download(client, "/export.ris")
    response = client.get("/export.jsonl")
    assert response.status_code == 429 and int(response["Retry-After"]) > 3000
    assert "exported 2 searches in the last hour" in response.content.decode()
    other = client.get("/export.jsonl", REMOTE_ADDR="192.0.2.9")
    assert other.status_code == 200
    assert ExportRecord.objects.count() == 3


@pytest.mark.parametrize(
    "url, status, message",
    [
        ("/export.csv?from=2024-02-02&to=2024-01-01", 400, "before the start date"),
        ("/export.csv?page=x", 400, "page must be a whole number"),
        ("/export.xlsx", 404, ""),
    ],
)
def test_bad_exports_say_why_and_are_not_counted(client, seeded, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode()
    assert ExportRecord.objects.count() == 0


def test_the_search_page_links_its_exports(client, seeded):
    html = client.get("/?q=india&minister=s-jaishankar&page=1&per_page=2").content.decode()
    assert 'href="/export.csv?q=india&amp;minister=s-jaishankar" download>CSV' in html
    assert 'href="/export.ris?q=india&amp;minister=s-jaishankar" download>RIS' in html
