"""The tantivy engine's own storage: atomic rebuilds into generations, damage and a missing or
outdated index reported with the repair command (never a path), one writer at a time."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from search import engine
from search.documents import IndexDocument
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
