"""The tantivy engine's own storage: atomic rebuilds into generations, damage and a missing or
outdated index reported with the repair command (never a path), one writer at a time; and
what only tantivy can get wrong: copies of a story in different segments, later pages of
collapsed results, a search cut short by its time budget, costly searches' turns."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.costly import costly_search_slot
from search.engine.errors import REPAIR_HINT
from search.models import Article
from search.operations import index_sync
from search.query import SearchQuery


def doc(id: int, title: str, body: str) -> IndexDocument:
    return IndexDocument(
        id=id,
        title=title,
        body=body,
        published=datetime.date(2024, 1, id),
        ministers=("kihara",),
        topics=(),
    )


@pytest.fixture
def tantivy_engine(settings):
    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    yield Path(settings.NEWSROOM["INDEX_DIR"]) / "tantivy"
    engine.reset()


def ids(q: str) -> list[int]:
    return [hit.id for hit in engine.search(SearchQuery(q=q)).hits]


def test_a_rebuild_replaces_the_index_in_one_switch_and_leaves_one_generation(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    engine.rebuild([doc(2, "Space dialogue", "Satellites.")])
    assert ids("rail") == [] and ids("satellites") == [2]
    generations = sorted(path.name for path in tantivy_engine.glob("gen-*"))
    assert len(generations) == 1
    assert (tantivy_engine / "CURRENT").read_text() == generations[0]


def test_a_failed_rebuild_leaves_the_old_index_searchable(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])

    def documents():
        yield doc(2, "Space dialogue", "Satellites.")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(documents())
    engine.reset()
    assert ids("rail") == [1] and ids("satellites") == []
    assert not list(tantivy_engine.glob("*.building"))


def test_writes_are_seen_by_the_next_search(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    assert ids("rail") == [1]
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(doc(1, "Rail link", "Now about satellites."))
        writer.upsert(doc(3, "Rail again", "More rail."))
    assert ids("rail") == [1, 3] or ids("rail") == [3, 1]
    assert ids("satellites") == [1]
    with engine.open_writer(timeout=5) as writer:
        writer.delete(1)
    assert ids("satellites") == [] and ids("rail") == [3]
    assert set(engine.indexed_versions()) == {3}


def test_a_writer_with_nothing_to_write_leaves_the_index_as_recorded(tantivy_engine):
    # The index worker often finds the queue empty: a commit of nothing would rewrite
    # meta.json (same opstamp, segments in another order) behind its recorded checksum.
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(doc(2, "Rail fares", "Fares rise."))  # two segments to reorder
    assert sorted(ids("rail")) == [1, 2]
    for _ in range(3):
        with engine.open_writer(timeout=5):
            pass
    assert sorted(ids("rail")) == [1, 2]  # not "damaged"


def test_a_second_writer_waits_then_is_told_the_index_is_busy(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    with engine.open_writer(timeout=5):
        second_writer = engine.open_writer(timeout=0.2)
        with pytest.raises(engine.IndexBusy):
            second_writer.__enter__()


def test_a_missing_index_says_how_to_repair_it(tantivy_engine):
    assert not engine.index_exists()
    with pytest.raises(engine.IndexUnavailable) as raised:
        engine.search(SearchQuery(q="rail"))
    assert REPAIR_HINT in str(raised.value)


def test_an_index_of_another_schema_version_is_outdated(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    live = tantivy_engine / (tantivy_engine / "CURRENT").read_text()
    (live / "SCHEMA_VERSION").write_text("tantivy-0")
    engine.reset()
    with pytest.raises(engine.IndexOutdated) as raised:
        engine.require_current_schema()
    assert REPAIR_HINT in str(raised.value)


def test_a_damaged_index_is_unavailable_without_showing_paths(tantivy_engine):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    live = tantivy_engine / (tantivy_engine / "CURRENT").read_text()
    (live / "meta.json").write_text("{garbled")
    engine.reset()
    with pytest.raises(engine.IndexUnavailable) as raised:
        engine.search(SearchQuery(q="rail"))
    assert REPAIR_HINT in str(raised.value)
    assert str(tantivy_engine) not in str(raised.value)


def test_more_like_this_finds_the_articles_sharing_the_most_words(tantivy_engine):
    engine.rebuild(
        [
            doc(1, "Rail link", "High speed rail between Tokyo and Mumbai, a rail corridor."),
            doc(2, "Space dialogue", "Satellites and rockets."),
            doc(3, "Rail again", "The Mumbai rail corridor at high speed."),
            doc(4, "Semiconductors", "Chips from Tokyo."),
        ]
    )
    assert engine.more_like_this(1, limit=3)[0] == 3
    assert 1 not in engine.more_like_this(1, limit=3)
    assert engine.more_like_this(99, limit=3) == []


@pytest.mark.parametrize("search_engine_name", ["tantivy"], indirect=True)
def test_the_app_searches_the_seeds_on_tantivy(client, seeded, django_capture_on_commit_callbacks):
    """The seeds saved, queued and indexed through the app, then searched as a user does; an
    article hidden by an editor is gone from the next search."""
    data = client.get("/api/search", {"q": "cyber"}).json()
    assert data["total"] >= 4
    assert all("<mark>" in hit["snippet"] for hit in data["hits"])
    page = client.get("/", {"q": "semiconductors"})
    assert page.status_code == 200 and b"<mark>" in page.content
    assert index_sync.check_index().healthy  # every public article, current, nothing else
    hidden = seeded["004"]
    assert client.get("/api/search", {"q": "Modi"}).json()["total"] > 0
    with django_capture_on_commit_callbacks(execute=True):
        hidden.status = Article.Status.HIDDEN
        hidden.save()
    assert client.get("/api/search", {"q": "Modi"}).json()["total"] == 0
    browsed = client.get("/api/search", {"per_page": 100}).json()["hits"]
    assert hidden.pk not in {hit["id"] for hit in browsed}


def copy(id: int, story: int, day: int, minister: str = "kihara") -> IndexDocument:
    return IndexDocument(
        id=id,
        title=f"Dock strike {id}",
        body="Dock workers strike.",
        published=datetime.date(2024, 3, day),
        ministers=(minister,),
        topics=(),
        cluster=story,
    )


def test_copies_written_in_separate_commits_still_count_as_one_story(tantivy_engine):
    engine.rebuild([copy(1, 1, 1), copy(2, 0, 2)])
    for later in (copy(3, 1, 3, "jaishankar"), copy(4, 1, 4)):
        with engine.open_writer(timeout=5) as writer:  # a commit each: a segment each
            writer.upsert(later)
    results = engine.search(SearchQuery(q="strike", sort="newest"))
    assert [hit.id for hit in results.hits] == [4, 2]
    assert results.total == 2 and results.copies == 4
    assert {f.value: f.count for f in results.facets["minister"]} == {"kihara": 2, "jaishankar": 1}
    assert [(b.value, b.count) for b in results.date_histogram.buckets] == [("2024", 2)]
    in_2024 = engine.search(SearchQuery(q="strike", years=(2024,)))  # a timeline by month
    assert [(b.value, b.count) for b in in_2024.date_histogram.buckets] == [("2024-03", 2)]
    counted = engine.search(SearchQuery(q="strike", every_copy=True, per_page=0))
    assert counted.total == 4 and counted.stories == 2


def test_later_pages_of_collapsed_results_leave_out_the_copies_of_earlier_ones(tantivy_engine):
    # Ten stories of three copies each on consecutive days, newest first: one hit a story.
    engine.rebuild([copy(id, 100 + (id - 1) // 3, id) for id in range(1, 31)])
    pages = [
        [hit.id for hit in engine.search(SearchQuery(sort="newest", per_page=4, page=p)).hits]
        for p in (1, 2, 3)
    ]
    assert pages == [[30, 27, 24, 21], [18, 15, 12, 9], [6, 3]]
    assert engine.search(SearchQuery(per_page=4)).total == 10


def test_a_search_cut_short_still_shows_its_matches_and_says_so(tantivy_engine, settings):
    engine.rebuild([copy(1, 1, 1), copy(2, 1, 2), copy(3, 0, 3)])
    settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": 0}
    results = engine.search(SearchQuery(q="strike", sort="newest"))
    assert any("cut short" in notice for notice in results.notices)
    assert [hit.id for hit in results.hits] == [3, 2, 1]  # every copy: not counted as stories
    assert results.total == 3 and results.copies is None
    assert results.facets["minister"] == [] and results.date_histogram is None


def test_costly_searches_take_turns_on_tantivy_too(tantivy_engine, settings):
    engine.rebuild([doc(1, "Rail link", "High speed rail.")])
    settings.NEWSROOM = {**settings.NEWSROOM, "COSTLY_SEARCH_SLOTS": 1, "COSTLY_SEARCH_WAIT": 0.1}
    with costly_search_slot():  # another search holds the only slot
        assert ids("rail") == [1]  # ordinary searches never wait
        with pytest.raises(engine.SearchBusy):
            engine.search(SearchQuery(q="rai*"))
    assert [hit.id for hit in engine.search(SearchQuery(q="rai*")).hits] == [1]


def test_with_a_year_chosen_the_other_years_count_stories_too(tantivy_engine):
    # Story 1: two copies in 2023, one in 2024; none of its 2024 matches is a second copy.
    in_2023 = [
        dataclasses.replace(copy(id, 1, id), published=datetime.date(2023, 5, id)) for id in (1, 2)
    ]
    engine.rebuild([*in_2023, copy(3, 1, 3), copy(4, 0, 4)])
    results = engine.search(SearchQuery(q="strike", years=(2024,)))
    assert results.total == 2 and results.copies == 2
    assert {f.value: f.count for f in results.facets["year"]} == {2024: 2, 2023: 1}
