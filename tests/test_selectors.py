"""Hits joined with their rows: the tags each hit shows, and the names its facets show, as the
pages and the API read them (two plain queries, names kept between searches)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import selectors
from search.models import Article, Minister, Topic
from search.operations import index_sync
from search.query import SearchQuery
from tests.conftest import on_every_engine


def row_tags(page: selectors.SearchPage) -> dict[int, tuple]:
    return {row.article.pk: (row.ministers, row.topics) for row in page.rows}


@on_every_engine
def test_the_rows_carry_the_same_tags_however_they_are_loaded(seeded):
    everything = SearchQuery(per_page=100)
    prefetched = selectors.run_search(everything)
    plain = selectors.run_search(everything, tags_on_articles=False)
    assert row_tags(plain) == row_tags(prefetched)
    for row in plain.rows:
        article = Article.objects.get(pk=row.article.pk)
        assert row.ministers == tuple(
            selectors.Tag(m.slug, m.name) for m in article.ministers.order_by("name")
        )
        assert row.topics == tuple(
            selectors.Tag(t.slug, t.label) for t in article.topics.order_by("label")
        )
    assert any(row.ministers for row in plain.rows) and any(row.topics for row in plain.rows)


def test_plain_rows_need_no_query_per_hit(seeded):
    selectors.run_search(SearchQuery(), tags_on_articles=False)  # the facets' names kept
    with CaptureQueriesContext(connection) as few:
        selectors.run_search(SearchQuery(per_page=2), tags_on_articles=False)
    with CaptureQueriesContext(connection) as many:
        page = selectors.run_search(SearchQuery(per_page=20), tags_on_articles=False)
    assert len(page.rows) > 2
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_hidden_article_is_no_row(seeded):
    found = selectors.run_search(SearchQuery(q="Kihara"), tags_on_articles=False)
    hidden = found.rows[0].article
    # Hidden behind the index's back: the index still finds it until its queued refresh.
    Article.objects.filter(pk=hidden.pk).update(status="hidden")
    again = selectors.run_search(SearchQuery(q="Kihara"), tags_on_articles=False)
    assert hidden.pk not in {row.article.pk for row in again.rows}


def facet_label(page: selectors.SearchPage, facet: str, value: str) -> str:
    return next(option.label for option in page.facets[facet] if option.value == value)


def test_an_editors_rename_shows_in_the_facets_at_once(seeded):
    search = SearchQuery(q="Kihara")
    assert facet_label(selectors.run_search(search), "minister", "minoru-kihara") == (
        "Minoru Kihara"
    )
    minister = Minister.objects.get(slug="minoru-kihara")
    minister.name = "Minoru Kihara (Defence)"
    minister.save()
    page = selectors.run_search(search)
    assert facet_label(page, "minister", "minoru-kihara") == "Minoru Kihara (Defence)"


def test_a_new_topic_shows_its_name_not_its_slug(seeded):
    search = SearchQuery()
    selectors.run_search(search)  # the names are kept now
    topic = Topic.objects.bulk_create([Topic(slug="new-topic", label="A new topic")])[0]
    article = Article.objects.filter(status="published").first()
    article.topics.add(topic)
    index_sync.rebuild_index()
    assert facet_label(selectors.run_search(search), "topic", "new-topic") == "A new topic"


def test_the_names_are_kept_between_searches(seeded):
    selectors.run_search(SearchQuery(), tags_on_articles=False)
    with CaptureQueriesContext(connection) as queries:
        selectors.run_search(SearchQuery(), tags_on_articles=False)
    assert not [q for q in queries.captured_queries if 'FROM "search_topic"' in q["sql"]]
