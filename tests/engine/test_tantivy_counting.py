"""How the tantivy engine counts what it collapses, on a real index: browsing's counts kept per
commit and never past it, a phrase's stories counted with positions read only among the
articles in a story, and the surplus of repeated stories asked for in parts when tantivy finds
the answer too big."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.tantivy import collapsing, searching
from search.query import SearchQuery
from tests.engine.test_engine_tantivy import copy


@pytest.fixture
def tantivy_engine(settings):
    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    yield
    engine.reset()


def article(id: int, story: int, body: str, *, minister: str, day: int = 1) -> IndexDocument:
    return IndexDocument(
        id=id,
        title=f"Report {id}",
        body=body,
        published=datetime.date(2024, 3, day),
        ministers=(minister,),
        topics=(),
        cluster=story,
    )


def ministers(results) -> dict[str, int]:
    return {facet.value: facet.count for facet in results.facets["minister"]}


def test_browsing_counts_follow_every_commit(tantivy_engine):
    engine.rebuild([copy(1, 1, 1), copy(2, 0, 2)])
    browsed = engine.search(SearchQuery())
    assert (browsed.total, browsed.copies, ministers(browsed)) == (2, 2, {"kihara": 2})
    with engine.open_writer(timeout=5) as writer:  # a copy of story 1 and a new story
        writer.upsert(copy(3, 1, 3, "jaishankar"))
        writer.upsert(copy(4, 0, 4, "jaishankar"))
    browsed = engine.search(SearchQuery())
    assert (browsed.total, browsed.copies) == (3, 4)
    assert ministers(browsed) == {"kihara": 2, "jaishankar": 2}
    assert [hit.id for hit in browsed.hits] == [4, 3, 2]
    filtered = engine.search(SearchQuery(ministers=("jaishankar",)))
    assert (filtered.total, filtered.copies) == (2, 2)
    with engine.open_writer(timeout=5) as writer:
        writer.delete(4)
    assert engine.search(SearchQuery()).total == 2
    assert engine.search(SearchQuery(ministers=("jaishankar",))).total == 1


def test_a_phrase_counts_each_story_once_where_any_copy_has_it(tantivy_engine):
    engine.rebuild(
        [
            # Story 1: both copies have the phrase; story 2: one copy of two; story 3: none.
            article(1, 1, "Dock workers strike.", minister="kihara", day=1),
            article(2, 1, "Dock workers strike again.", minister="jaishankar", day=20),
            article(3, 2, "Dock workers strike.", minister="kihara", day=2),
            article(4, 2, "Workers at the dock strike.", minister="kihara", day=3),
            article(5, 3, "Workers at the dock strike.", minister="kihara", day=4),
            article(6, 0, "Dock workers strike.", minister="jaishankar", day=5),
        ]
    )
    found = engine.search(SearchQuery(q='"dock workers"'))
    assert (found.total, found.copies) == (3, 4)
    assert ministers(found) == {"kihara": 2, "jaishankar": 2}
    by_month = engine.search(SearchQuery(q='"dock workers"', years=(2024,)))
    assert [(b.value, b.count) for b in by_month.date_histogram.buckets] == [("2024-03", 3)]
    without = engine.search(SearchQuery(q='strike -"dock workers"'))
    assert (without.total, without.copies) == (2, 2)  # story 2's other copy, story 3
    assert sorted(hit.id for hit in without.hits) == [4, 5]


class RefusingBigAnswers:
    """A searcher that answers an aggregation over every matching story as tantivy does when it
    is too big (its bucket limit), and the same aggregation over fewer stories as usual."""

    def __init__(self, searcher, refusals: int):
        self.searcher, self.refusals, self.asked = searcher, refusals, 0

    def aggregate(self, query, request):
        self.asked += 1
        if self.asked <= self.refusals:
            raise ValueError("Aborting aggregation because bucket limit was exceeded.")
        return self.searcher.aggregate(query, request)


def test_the_surplus_asked_for_in_parts_is_the_surplus_asked_for_at_once(tantivy_engine):
    names = ["kihara", "jaishankar", "wong"]
    documents = [
        copy(id, 100 + id // 3, 1 + id % 28, names[id % len(names)] if id % 4 else "kihara")
        for id in range(1, 40)
    ]
    engine.rebuild(documents)
    index, searcher = searching.current_searcher()
    query = searching.compiled_query("strike", index, searcher)[0].query
    copies = collapsing.in_stories(searcher, index.schema, query)
    assert len(copies.repeated) > 4
    fields = ("ministers", "topics", "labels", "year")
    at_once = collapsing.surplus(searcher, index.schema, query, copies, fields)
    refusing = RefusingBigAnswers(searcher, refusals=3)  # the whole, a half, a quarter
    in_parts = collapsing.surplus(refusing, index.schema, query, copies, fields)
    assert refusing.asked > 4
    assert in_parts == at_once
    by_story = Counter((document.cluster, document.ministers[0]) for document in documents)
    expected = Counter()
    for (_story, name), copies_with_it in by_story.items():
        expected[name] += copies_with_it - 1
    assert at_once["ministers"] == +expected and sum(expected.values()) > 0
