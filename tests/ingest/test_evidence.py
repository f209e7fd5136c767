"""The repeated-line evidence: counts per line per source, and the migration that made them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.ingest.evidence import EvidenceChange, EvidencePlan, save_changes
from search.models import SourceLineCount


def test_a_plan_counts_the_batch_and_names_the_earlier_carriers_of_new_boilerplate(db):
    save_changes([(1, EvidenceChange("", (), "kite", ("promo", "own-1")))])
    save_changes([(2, EvidenceChange("", (), "kite", ("promo", "own-2")))])
    plan = EvidencePlan(
        [
            EvidenceChange("", (), "kite", ("promo", "own-3")),
            EvidenceChange("", (), "tern", ("promo",)),  # another site's line of the same text
        ]
    )
    assert plan.repeated_hashes("kite", ["promo", "own-3"]) == {"promo"}
    assert plan.repeated_hashes("tern", ["promo"]) == set()
    assert plan.earlier_carriers_of_new_boilerplate() == {1, 2}


def test_an_unchanged_article_changes_no_count(db):
    save_changes([(1, EvidenceChange("", (), "kite", ("a", "b")))])
    plan = EvidencePlan([EvidenceChange("kite", ("a", "b"), "kite", ("a", "b"))])
    assert plan.after == {("kite", "a"): 1, ("kite", "b"): 1}
    assert plan.earlier_carriers_of_new_boilerplate() == set()


@pytest.fixture
def back_to_the_latest_migrations():
    """A test that migrates back leaves the database as the rest of the session expects it."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_a_row_per_line_per_article_into_counts(back_to_the_latest_migrations):
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0003_editor_group")])
    old = executor.loader.project_state([("search", "0003_editor_group")]).apps
    Article, SourceLine = old.get_model("search", "Article"), old.get_model("search", "SourceLine")
    articles = [
        Article.objects.create(title=f"A{n}", body="b", raw="r", content_hash=f"h{n}")
        for n in range(4)
    ]
    promo, own = "a" * 40, "b" * 40  # the old column held whole SHA-1 hex digests
    for article in articles:
        SourceLine.objects.create(source_key="kite", line_hash=promo, text="P", article=article)
    SourceLine.objects.create(source_key="kite", line_hash=own, text="O", article=articles[0])
    executor = MigrationExecutor(connection)
    executor.migrate([("search", "0004_ingest_compact_evidence")])
    rows = {row.line_hash: row for row in SourceLineCount.objects.all()}
    assert {digest: row.articles for digest, row in rows.items()} == {"a" * 16: 4, "b" * 16: 1}
    assert rows["a" * 16].first_article_ids == [a.pk for a in articles[:3]]
    new = executor.loader.project_state([("search", "0004_ingest_compact_evidence")]).apps
    hashes = dict(new.get_model("search", "Article").objects.values_list("pk", "line_hashes"))
    assert hashes[articles[0].pk] == ["a" * 16, "b" * 16]
    assert hashes[articles[3].pk] == ["a" * 16]
