"""The tantivy engine's own storage: atomic rebuilds into generations, damage and a missing or
outdated index reported with the repair command (never a path), one writer at a time; and
what only tantivy can get wrong: copies of a story in different segments, later pages of
collapsed results, a search cut short by its time budget, costly searches' turns."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from search import engine
from search.documents import IndexDocument
from search.engine.costly import costly_search_slot
from search.engine.errors import REPAIR_HINT
from search.models import Article
from search.operations import index_sync
from search.query import SearchQuery
from tests.curation.test_admin import CHANGELIST, run_action
from tests.story_data import COPY, OTHER, STORY, import_records, record


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


# Stories changing after their articles were indexed. Collapsing looks for repeated stories
# among the articles flagged as in a story (schema.copies_flag), so every article whose flag
# changes must be indexed again: the first article of a story a copy joins, every article of
# a story an editor splits or joins. check_index compares every entry with its row.


@pytest.fixture
def dock_strike(tantivy_engine, db, tmp_path, django_capture_on_commit_callbacks):
    """A story and another week's report from its template, imported and indexed; no copy."""
    index_sync.rebuild_index()
    imported(tmp_path, [record(STORY), record(OTHER)], django_capture_on_commit_callbacks)
    return {url: Article.objects.get(source_url=url) for url in (STORY, OTHER)}


def imported(folder: Path, records: list[dict], capture) -> None:
    with capture(execute=True):
        import_records(folder, records)


def stories_and_copies(**filters) -> tuple[int, int | None]:
    """What the search page says: how many stories and how many articles match."""
    results = engine.search(SearchQuery(q="dock workers", **filters))
    return results.total, results.copies


@pytest.fixture
def editor_client(client, db):
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    return client


def test_a_copy_joining_an_indexed_story_collapses_with_it(
    dock_strike, tmp_path, django_capture_on_commit_callbacks
):
    assert stories_and_copies() == (2, 2)
    imported(tmp_path, [record(COPY)], django_capture_on_commit_callbacks)
    copy = Article.objects.get(source_url=COPY)
    assert copy.story_cluster == dock_strike[STORY].pk  # the indexed story's first article
    assert stories_and_copies() == (2, 3)
    counted = engine.search(SearchQuery(q="dock workers", every_copy=True, per_page=0))
    assert (counted.total, counted.stories) == (3, 2)  # a count (the desk's batches)
    hits = [hit.id for hit in engine.search(SearchQuery(q="dock workers", sort="oldest")).hits]
    assert hits == [dock_strike[OTHER].pk, dock_strike[STORY].pk]
    assert index_sync.check_index().healthy


def test_a_story_split_or_joined_by_an_editor_is_counted_as_they_decided(
    dock_strike, editor_client, tmp_path, django_capture_on_commit_callbacks
):
    imported(tmp_path, [record(COPY)], django_capture_on_commit_callbacks)
    copy = Article.objects.get(source_url=COPY)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, CHANGELIST, "split_from_stories", [dock_strike[STORY]])
    assert stories_and_copies() == (3, 3)  # the copy left alone is no story either
    assert index_sync.check_index().healthy
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, CHANGELIST, "join_stories", [dock_strike[OTHER], copy])
    assert stories_and_copies() == (2, 3)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, CHANGELIST, "join_stories", [dock_strike[STORY], copy])
    assert stories_and_copies() == (1, 3)
    assert index_sync.check_index().healthy


def test_a_hidden_copy_leaves_its_story_and_the_rest_still_collapse(
    dock_strike, tmp_path, django_capture_on_commit_callbacks
):
    later = {**record(COPY), "url": "https://c.example/later"}
    for copies in ([record(COPY)], [later]):  # apart: in one import they pair with each other
        imported(tmp_path, copies, django_capture_on_commit_callbacks)
    assert Article.objects.filter(story_cluster=dock_strike[STORY].pk).count() == 3
    assert stories_and_copies() == (2, 4)
    copy = Article.objects.get(source_url=COPY)
    with django_capture_on_commit_callbacks(execute=True):
        copy.status = Article.Status.HIDDEN
        copy.save()
    assert stories_and_copies() == (2, 3)  # the story's two public copies count once
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.get(source_url=later["url"]).delete()
    assert stories_and_copies() == (2, 2)  # its one public copy: a story of one
    years = engine.search(SearchQuery(q="dock workers")).facets["year"]
    assert sum(year.count for year in years) == 2
    assert index_sync.check_index().healthy
