"""Migration 0028 moves the near-duplicate keys into a table keyed by (key, article) and back:
every key of every article kept, a key an article held twice kept once, on both databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.models import Article, NearDuplicateBand
from tests.postgres import use_postgres

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("search", "0027_alert_delivery_given_up")]
AFTER = [("search", "0028_near_duplicate_bands_by_key")]


@pytest.fixture
def back_to_the_latest_migrations(database):
    """A test that migrates back leaves the database as the rest of the session expects it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def keys_in_the_table() -> list[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, article_id FROM search_nearduplicateband ORDER BY 1, 2")
        return [tuple(row) for row in cursor.fetchall()]


@pytest.fixture(params=["sqlite", "postgres"])
def database(request):
    if request.param == "postgres":
        use_postgres(request)
    return request.param


def test_the_keys_move_to_the_table_keyed_by_key_and_back(database, back_to_the_latest_migrations):
    assert connection.vendor == {"sqlite": "sqlite", "postgres": "postgresql"}[database]
    first, second = (Article.objects.create(title=t, body=t) for t in ("First", "Second"))
    old = migrate(BEFORE).get_model("search", "NearDuplicateBand")
    rows = [(7, first.pk), (-(2**63), first.pk), (2**63 - 1, second.pk), (7, second.pk)]
    old.objects.bulk_create([old(key=key, article_id=pk) for key, pk in [*rows, (7, first.pk)]])

    migrate(AFTER)
    assert keys_in_the_table() == sorted(rows)  # the twice-held key once
    assert sorted(NearDuplicateBand.objects.filter(key=7).values_list("article_id", flat=True)) == [
        first.pk,
        second.pk,
    ]
    first.delete()  # its keys go with it, by the article index
    assert keys_in_the_table() == [(7, second.pk), (2**63 - 1, second.pk)]

    old = migrate(BEFORE).get_model("search", "NearDuplicateBand")
    assert sorted(old.objects.values_list("key", "article_id")) == [
        (7, second.pk),
        (2**63 - 1, second.pk),
    ]
    old.objects.create(key=9, article_id=second.pk)  # the id column is back, numbered again
    migrate(AFTER)
    assert keys_in_the_table() == [(7, second.pk), (9, second.pk), (2**63 - 1, second.pk)]
