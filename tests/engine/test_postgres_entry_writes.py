"""PostgreSQL: an import writes each article's search entry once, at the end of its batch's
transaction (migration 0024), while edits outside an import still reach search at once."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from search import engine
from search.ingest import importing
from search.models import Article, Label, Minister, Topic
from search.query import FacetCount, SearchQuery
from tests.postgres import use_postgres

ENTRY_WRITES = """
CREATE TABLE test_entry_writes (article_id bigint NOT NULL);
CREATE FUNCTION test_entry_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO test_entry_writes VALUES (NEW.article_id);
    RETURN NULL;
END $$;
CREATE TRIGGER test_entry_written AFTER INSERT OR UPDATE ON search_engine_entry
    FOR EACH ROW EXECUTE FUNCTION test_entry_written();
"""


@pytest.fixture
def on_postgres(request, settings):
    use_postgres(request)
    settings.SEARCH_ENGINE = "postgres"


@pytest.fixture
def entry_writes(on_postgres):
    """Counts the rows written to the entry table, article by article."""
    with connection.cursor() as cursor:
        cursor.execute(ENTRY_WRITES)

    def writes() -> dict[int, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT article_id, count(*) FROM test_entry_writes GROUP BY 1")
            return dict(cursor.fetchall())

    yield writes
    with connection.cursor() as cursor:
        cursor.execute(
            "DROP TRIGGER test_entry_written ON search_engine_entry;"
            " DROP FUNCTION test_entry_written(); DROP TABLE test_entry_writes"
        )


@pytest.fixture
def tagged_files(tmp_path):
    for number in range(3):
        Minister.objects.create(name=f"Minister Number{number}", slug=f"minister-{number}")
        Topic.objects.create(
            label=f"Topic {number}", slug=f"topic-{number}", keywords=[f"kw{number}"]
        )
    lines = [
        {
            "title": f"Quokka survey {n}",
            "body": f"Quokkas counted, part {n}. Minister Number0 and Minister Number{n % 3} "
            f"spoke on kw0, kw1 and kw2.",
            "url": f"https://example.org/{n}",
        }
        for n in range(12)
    ]
    path = tmp_path / "quokkas.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    return path


def counts(facet: list[FacetCount]) -> dict:
    return {count.value: count.count for count in facet}


def found(q="", **filters):
    return engine.search(SearchQuery(q=q, per_page=100, every_copy=True, **filters))


def test_an_import_writes_each_entry_once(entry_writes, tagged_files):
    call_command("import_articles", str(tagged_files), verbosity=0)
    ids = set(Article.objects.values_list("pk", flat=True))
    assert len(ids) == 12
    assert entry_writes() == {pk: 1 for pk in ids}
    results = found("quokka")
    assert {hit.id for hit in results.hits} == ids
    assert counts(results.facets["topic"]) == {"topic-0": 12, "topic-1": 12, "topic-2": 12}
    assert counts(results.facets["minister"]) == {
        "minister-0": 12,
        "minister-1": 4,
        "minister-2": 4,
    }


def test_importing_again_what_changed_writes_each_changed_entry_once(entry_writes, tagged_files):
    call_command("import_articles", str(tagged_files), verbosity=0)
    lines = tagged_files.read_text().splitlines()
    changed = json.loads(lines[0])
    changed["body"] = "Quokkas and wallabies counted. Minister Number2 spoke on kw1."
    tagged_files.write_text("\n".join([json.dumps(changed), *lines[1:]]))
    call_command("import_articles", str(tagged_files), verbosity=0)
    article = Article.objects.get(source_url=changed["url"])
    assert entry_writes()[article.pk] == 2
    assert sorted(entry_writes().values()) == [1] * 11 + [2]
    assert [hit.id for hit in found("wallabies").hits] == [article.pk]
    assert [hit.id for hit in found("wallabies", ministers=("minister-2",)).hits] == [article.pk]
    assert found("wallabies", ministers=("minister-0",)).hits == []


def test_an_edit_outside_an_import_reaches_search_at_once(entry_writes, tagged_files):
    call_command("import_articles", str(tagged_files), verbosity=0)
    article = Article.objects.order_by("pk").first()
    label = Label.objects.create(name="Follow up", slug="follow-up")
    with transaction.atomic():  # as the admin saves: the triggers refresh before the commit
        article.title = "Wombat survey"
        article.save()
        article.ministers.remove(Minister.objects.get(slug="minister-0"))
        Label.articles.through.objects.create(article=article, label=label)
        assert [hit.id for hit in found("wombat").hits] == [article.pk]
        assert found("wombat", ministers=("minister-0",)).hits == []
        assert [hit.id for hit in found("wombat", labels=("follow-up",)).hits] == [article.pk]


def test_a_deferred_refresh_writes_the_labels_too(entry_writes, tagged_files):
    call_command("import_articles", str(tagged_files), verbosity=0)
    article = Article.objects.order_by("pk").first()
    label = Label.objects.create(name="Follow up", slug="follow-up")
    with engine.deferring_entry_refresh() as refreshed:
        Label.articles.through.objects.create(article=article, label=label)
        assert found(labels=("follow-up",)).hits == []  # left for the end
        refreshed.add(article.pk)
    assert [hit.id for hit in found(labels=("follow-up",)).hits] == [article.pk]


def test_a_batch_that_fails_midway_leaves_neither_rows_nor_entries(
    entry_writes, tagged_files, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("stories could not be placed")

    monkeypatch.setattr(importing.clusters, "place_signed", fail)
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_articles", str(tagged_files), verbosity=0)
    assert Article.objects.count() == 0
    assert found().total == 0 and entry_writes() == {}
