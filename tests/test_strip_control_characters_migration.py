"""Migration 0017 cleans the rows written before the cleaning existed, and queues the
articles it changed for the index."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from search.models import Article, Minister, PendingIndexChange, SavedSearch, Topic
from search.text import strip_unsafe_characters

migration = importlib.import_module("search.migrations.0017_strip_control_characters")


def run_migration() -> None:
    migration.strip_control_characters(apps, SimpleNamespace(connection=connection))


@pytest.mark.django_db
def test_existing_rows_lose_their_control_characters_and_changed_articles_are_reindexed():
    dirty = Article.objects.create(
        title="Oil\x01 prices",
        body="Oil\x00 rose,\x0bsaid the minister.",
        raw="<p>Oil\x00 rose</p>",
        source_metadata={"title": "Oil\x01 prices"},
        removed=[{"text": "Ad\x1b", "reason": "boilerplate"}],
        cleaning_overrides={"keep": ["Oil\x00 rose"], "drop": []},
    )
    clean = Article.objects.create(title="Rail", body="Rail fares.", raw="Rail fares.")
    pdf = Article.objects.create(
        title="Port", body="Port opens.", raw="Port\x01 opens.\n\f\nPage 2", raw_format="pdf"
    )
    minister = Minister.objects.create(
        name="Nar\x07endra Modi", slug="narendra-modi", aliases=["Modi\x00"]
    )
    topic = Topic.objects.create(label="Oil\x01", slug="oil", keywords=["crude\x7f oil"])
    saved = SavedSearch.objects.create(
        name="a\x00b\x01c", slug="ctrl0001", query_string="q=oil%00&minister=narendra-modi"
    )
    untouched = SavedSearch.objects.create(name="Rail", slug="rail0001", query_string="q=rail+fare")
    PendingIndexChange.objects.all().delete()

    run_migration()

    dirty.refresh_from_db()
    assert (dirty.title, dirty.body, dirty.raw) == (
        "Oil prices",
        "Oil rose,\nsaid the minister.",
        "<p>Oil rose</p>",
    )
    assert dirty.source_metadata == {"title": "Oil prices"}
    assert dirty.removed == [{"text": "Ad", "reason": "boilerplate"}]
    assert dirty.cleaning_overrides == {"keep": ["Oil rose"], "drop": []}
    minister.refresh_from_db()
    assert (minister.name, minister.aliases) == ("Narendra Modi", ["Modi"])
    topic.refresh_from_db()
    assert (topic.label, topic.keywords) == ("Oil", ["crude oil"])
    saved.refresh_from_db()
    assert (saved.name, saved.query_string) == ("abc", "q=oil&minister=narendra-modi")
    untouched.refresh_from_db()
    assert untouched.query_string == "q=rail+fare", "an unchanged query string is not re-encoded"
    pdf.refresh_from_db()
    assert pdf.raw == "Port opens.\n\f\nPage 2", "a PDF's pages stay apart"
    queued = PendingIndexChange.objects.values_list("article_id", flat=True)
    assert sorted(queued) == [dirty.pk, pdf.pk]
    clean.refresh_from_db()
    assert (clean.title, clean.body) == ("Rail", "Rail fares.")

    run_migration()  # again: nothing left to change
    assert PendingIndexChange.objects.count() == 2


def test_the_migration_cleans_as_the_app_does():
    """The migration keeps its own copy of the cleaning: the two must agree."""
    text = "".join(chr(code) for code in range(0x110000))
    assert migration.strip_unsafe_characters(text) == strip_unsafe_characters(text)
    assert migration.safe_pdf_text(text) == strip_unsafe_characters(text, keep="\f")


@pytest.mark.parametrize("search_engine_name", ["postgres"], indirect=True)
def test_on_postgresql_the_triggers_reindex_and_nothing_is_queued(search_engine_name, db):
    # PostgreSQL stores no NUL at all; the other controls it keeps, until the migration.
    article = Article.objects.create(title="Oil\x01 prices", body="Oil\x1b rose.", raw="")
    SavedSearch.objects.create(name="a\x02b", slug="ctrl0001", query_string="q=oil%0B")

    run_migration()

    article.refresh_from_db()
    assert (article.title, article.body) == ("Oil prices", "Oil rose.")
    assert SavedSearch.objects.get().name == "ab"
    assert not PendingIndexChange.objects.exists()
