"""How the tantivy engine counts what it collapses, on a real index: browsing's counts kept per
commit and never past it, a phrase's stories counted with positions read only among the
articles in a story, the surplus of repeated stories asked for in parts when tantivy finds
the answer too big; each by aggregations and from a settled commit's story table."""

from __future__ import annotations

import datetime
from collections import Counter
from pathlib import Path

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.tantivy import collapsing, searching, story_table
from search.engine.tantivy.browsing import CommitCounts
from search.engine.tantivy.browsing import current_commit as browsing_commit
from search.query import SearchQuery
from tests.engine.test_engine_tantivy import copy


@pytest.fixture(params=["aggregations", "story table"])
def tantivy_engine(request, settings, monkeypatch):
    """The tantivy engine, counting tags by aggregations or (a commit settled at once) from
    the story table."""
    settings.SEARCH_ENGINE = "tantivy"
    monkeypatch.setattr(story_table, "SETTLED", 0.0 if request.param == "story table" else 1e9)
    engine.reset()
    story_table.TABLES.forget()
    yield request.param
    engine.reset()
    story_table.TABLES.forget()


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


def test_the_story_table_counts_what_the_aggregations_count(settings, monkeypatch):
    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    names, topics = ["kihara", "jaishankar", "wong"], ["ports", "trade", "rail"]
    documents = [
        IndexDocument(
            id=id,
            title=f"Dock strike {id}",
            body="Dock workers strike." if id % 3 else "Workers at the dock strike again.",
            published=datetime.date(2020 + id % 4, 1 + id % 12, 1 + id % 27),
            ministers=tuple(names[: 1 + id % 3]) if id % 5 else (names[id % 3],),
            topics=(topics[id % 3],) if id % 7 else (),
            cluster=(100 + id // 3) if id % 4 else 0,
        )
        for id in range(1, 90)
    ]
    engine.rebuild(documents)
    searches = [
        SearchQuery(),
        SearchQuery(q="strike"),
        SearchQuery(q='"dock workers"'),
        SearchQuery(q="strike", years=(2021,)),
        SearchQuery(q="strike", years=(2021, 2023), ministers=("wong",)),
        SearchQuery(q="strike -wong", topics=("ports",)),
        SearchQuery(q="strike", per_page=0),
        SearchQuery(q="strike", sort="oldest", page=2),
    ]

    def answers(settled: float) -> list:
        monkeypatch.setattr(story_table, "SETTLED", settled)
        story_table.TABLES.forget()
        found = [engine.search(search) for search in searches]
        return [
            (r.total, r.copies, r.facets, r.date_histogram, [h.id for h in r.hits], r.stories)
            for r in found
        ]

    by_aggregations = answers(1e9)
    from_the_table = answers(0.0)
    assert story_table.TABLES.table(browsing_commit(), lambda: None) is not None
    assert from_the_table == by_aggregations
    assert by_aggregations[1][0] < by_aggregations[1][1]  # stories were collapsed
    engine.reset()


def test_counts_and_tables_are_kept_for_one_commit_only(monkeypatch):
    kept = CommitCounts(size=2)
    first, second = (Path("gen-1"), b'{"opstamp": 1}'), (Path("gen-1"), b'{"opstamp": 2}')
    browse, by_minister, by_topic = (
        SearchQuery(),
        SearchQuery(ministers=("kihara",)),
        SearchQuery(topics=("ports",)),
    )
    kept.put(None, browse, "counted while a commit landed")  # never kept
    assert kept.get(None, browse) is None and kept.get(first, browse) is None
    for key in (browse, by_minister, by_topic):
        kept.put(first, key, f"counted {key}")
    assert kept.get(first, browse) is None  # the least recently used of three, dropped
    assert kept.get(first, by_topic) == f"counted {by_topic}"
    assert kept.get(second, by_topic) is None  # another commit
    kept.put(second, browse, "counted again")
    assert kept.get(first, by_topic) is None and kept.get(second, browse) == "counted again"

    tables, reads = story_table.StoryTables(), []

    def read():
        reads.append(1)
        return f"table {len(reads)}"

    monkeypatch.setattr(story_table, "SETTLED", 1e9)
    assert tables.table(first, read) is None and tables.table(None, read) is None
    monkeypatch.setattr(story_table, "SETTLED", 0.0)
    assert tables.table(first, read) == tables.table(first, read) == "table 1"
    assert tables.table(second, read) == "table 2" and len(reads) == 2
