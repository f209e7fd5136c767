"""Moving an existing SQLite archive into PostgreSQL (manage.py copy_sqlite_archive)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from search import engine
from search.management.commands.copy_sqlite_archive import SOURCE, open_source
from search.models import Article, Minister, SavedSearch, Topic
from search.query import SearchQuery
from tests.postgres import use_postgres


@pytest.fixture
def sqlite_archive(request, settings, tmp_path):
    """A migrated SQLite archive file with articles, tags, a hidden article and a saved search;
    then PostgreSQL as the database and the search engine."""
    path = tmp_path / "old.sqlite3"
    # Django lets a test query only the databases it names; the alias stays registered after
    # the test (its flush at teardown needs it), pointing at this test's file.
    open_source(path)
    request.node.add_marker(pytest.mark.django_db(transaction=True, databases=["default", SOURCE]))
    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"
    try:
        call_command("migrate", database=SOURCE, verbosity=0)
        minister = Minister.objects.using(SOURCE).create(name="Ada Lovelace", slug="ada")
        topic = Topic.objects.using(SOURCE).create(label="Engines", slug="engines")
        for number in range(3):
            article = Article.objects.using(SOURCE).create(
                title=f"Engine note {number}",
                body=f"The analytical engine, note {number}.",
                raw="-",
                content_hash=str(number),
                published=datetime.date(2023, 1, 1 + number),
                status="hidden" if number == 2 else "published",
            )
            article.ministers.add(minister)
            article.topics.add(topic)
        SavedSearch.objects.using(SOURCE).create(
            name="Engines", slug="engines1", query_string="q=engine"
        )
    finally:
        connections[SOURCE].close()
    return path


def test_the_archive_arrives_whole_and_searchable(sqlite_archive, capsys):
    call_command("copy_sqlite_archive", str(sqlite_archive))
    assert "Copied 3 articles; every count matches." in capsys.readouterr().out
    assert Article.objects.count() == 3 and SavedSearch.objects.get().query_string == "q=engine"
    results = engine.search(SearchQuery(q="analytical"))
    assert results.total == 2  # the hidden one stays out of search
    assert {f.value: f.count for f in results.facets["minister"]} == {"ada": 2}
    titles = set(Article.objects.filter(status="published").values_list("title", flat=True))
    assert titles == {"Engine note 0", "Engine note 1"}


def test_it_refuses_to_copy_into_an_archive_with_articles(sqlite_archive):
    call_command("copy_sqlite_archive", str(sqlite_archive))
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("copy_sqlite_archive", str(sqlite_archive))
    assert Article.objects.count() == 3


def test_a_missing_file_is_named(db, tmp_path):
    with pytest.raises(CommandError, match="No SQLite database at"):
        call_command("copy_sqlite_archive", str(tmp_path / "nothing.sqlite3"))
