"""Moving an archive from one search engine to another: the setting, then ``rebuild_index``
(docs/scaling.md, "Which engine when"). An archive imported and curated on Whoosh finds the
same articles for the same queries on tantivy and, on a PostgreSQL database, on PostgreSQL; a
hidden article stays hidden on each."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from search import engine, selectors
from search.curation import services
from search.desk import triage
from search.models import Article
from search.operations import index_sync
from search.query import SearchQuery
from tests.postgres import use_postgres

QUERIES = [
    {"q": "india"},
    {"q": '"foreign minister"'},
    {"q": "secur*"},
    {"q": "kamikawa -semiconductor"},
    {"q": "quad OR semiconductor"},
    {"q": "title:zebra"},
    {"q": "space", "years": (2024,)},
    {"labels": ("check-this",)},
    {"ministers": ("s-jaishankar",)},
    {"topics": ("defence-security",)},
    {},  # browsing: every public article
]


@pytest.fixture(params=["sqlite", "postgres"])
def archive_database(request) -> str:
    if request.param == "postgres":
        use_postgres(request)  # before ``db``: the archive's database is PostgreSQL
    return request.param


@pytest.fixture
def curated_on_whoosh(archive_database, db, settings, django_capture_on_commit_callbacks):
    """The seeds imported on Whoosh, then curated: one article hidden, one with its title
    edited, a label on a visible and on the hidden article."""
    settings.SEARCH_ENGINE = "whoosh"
    engine.reset()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_seeds", verbosity=0)
    call_command("rebuild_index", verbosity=0, stdout=io.StringIO())
    by_name = {a.source_path.split("/")[-1][:3]: a for a in Article.objects.all()}
    hidden, edited, labelled = by_name["002"], by_name["001"], by_name["003"]
    editor = User.objects.create_user("ed", password="a long enough password")
    with django_capture_on_commit_callbacks(execute=True):
        edited.title = "Zebra crossings agreed in " + edited.title
        edited.manual_fields = [*edited.manual_fields, "title"]
        edited.save()
        label = triage.label_named(name="Check this", user=editor)
        triage.label_add(user=editor, article=labelled, label=label)
        triage.label_add(user=editor, article=hidden, label=label)
        services.articles_set_status(article_ids=[hidden.pk], status=Article.Status.HIDDEN)
    index_sync.process_pending()
    return {"database": archive_database, "hidden": hidden, "edited": edited, "labelled": labelled}


def answers() -> list[tuple]:
    """What each query finds (every copy, so collapsing plays no part), its facet counts and
    its timeline."""
    found = []
    for filters in QUERIES:
        page = selectors.run_search(SearchQuery(every_copy=True, per_page=100, **filters))
        results = page.results
        ids = frozenset(row.article.pk for row in page.rows)
        assert results.total == len(ids)
        facets = {
            name: {count.value: count.count for count in counts}
            for name, counts in results.facets.items()
        }
        found.append((ids, facets, results.date_histogram))
    return found


def switch_to(name: str, settings) -> None:
    settings.SEARCH_ENGINE = name
    engine.reset()
    output = io.StringIO()
    call_command("rebuild_index", verbosity=1, stdout=output)
    assert "Rebuilt the search index: 4 articles." in output.getvalue()


def test_an_archive_moves_to_another_engine_with_a_setting_and_rebuild_index(
    curated_on_whoosh, settings
):
    on_whoosh = answers()
    hidden = curated_on_whoosh["hidden"].pk
    finding_nothing = [q for q, (ids, *_) in zip(QUERIES, on_whoosh, strict=True) if not ids]
    assert finding_nothing == []
    assert on_whoosh[QUERIES.index({"q": "title:zebra"})][0] == {curated_on_whoosh["edited"].pk}
    assert on_whoosh[QUERIES.index({"labels": ("check-this",)})][0] == {
        curated_on_whoosh["labelled"].pk
    }
    assert all(hidden not in ids for ids, *_counts in on_whoosh)

    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="check_index --repair"):
        selectors.run_search(SearchQuery(q="india"))  # until rebuilt: a 503 naming the repair
    switch_to("tantivy", settings)
    assert answers() == on_whoosh

    if curated_on_whoosh["database"] == "postgres":
        switch_to("postgres", settings)
        assert answers() == on_whoosh
