"""The tantivy engine's rebuild in worker processes (``--procs``): the same index as one
process makes, phrases keeping their stop-word gaps, a failure leaving the old index; and an
article written by the index worker found like a rebuilt one."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.tantivy.analysing import CHUNK
from search.query import SearchQuery

TOPICS = ("rail", "satellites", "semiconductors")


def article(id: int) -> IndexDocument:
    topic = TOPICS[id % len(TOPICS)]
    return IndexDocument(
        id=id,
        title=f"Report {id} on {topic}",
        body=f"The last of the year: {topic} talks, last year's {topic} plan. Café {id}.",
        published=datetime.date(2020 + id % 5, 1, 1),
        ministers=("kihara",) if id % 2 else (),
        topics=(topic,),
    )


@pytest.fixture
def tantivy_engine(settings):
    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    yield Path(settings.NEWSROOM["INDEX_DIR"]) / "tantivy"
    engine.reset()


def found(q: str) -> tuple[int, list[int]]:
    """The total and every matching id, read page by page: many matches tie on their score,
    and which of them make the first page follows how the segments were written."""
    first = engine.search(SearchQuery(q=q, per_page=50))
    ids = [hit.id for hit in first.hits]
    for page in range(2, (first.total + 49) // 50 + 1):
        ids += [hit.id for hit in engine.search(SearchQuery(q=q, per_page=50, page=page)).hits]
    return first.total, sorted(ids)


QUERIES = ['"last year"', '"last of the year"', '"year last"', "cafe", "talks -rail", "Report"]


def test_a_rebuild_in_worker_processes_finds_what_one_process_finds(tantivy_engine):
    articles = [article(id) for id in range(1, 2 * CHUNK + 50)]  # several chunks, one partial
    engine.rebuild(articles, procs=1)
    in_one_process = {q: found(q) for q in QUERIES}
    engine.rebuild(articles, procs=2)
    assert {q: found(q) for q in QUERIES} == in_one_process
    assert in_one_process['"last year"'][0] == len(articles)  # "last year's": next to each other
    assert in_one_process['"year last"'][0] == 0
    assert in_one_process['"last of the year"'][0] == len(articles)
    assert found("cafe")[0] == len(articles)  # accents folded, as every engine does


def test_a_stop_word_between_two_words_stays_a_gap(tantivy_engine):
    engine.rebuild(
        [
            IndexDocument(1, "Rail", "The last of the year", None, (), ()),
            IndexDocument(2, "Rail", "The last year", None, (), ()),
        ],
        procs=2,
    )
    assert found('"last year"') == (1, [2])
    assert found('"last of the year"') == (1, [1])


def test_a_rebuild_failing_in_worker_processes_leaves_the_old_index(tantivy_engine):
    engine.rebuild([article(1)], procs=2)

    def articles():
        yield from (article(id) for id in range(2, CHUNK * 3))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(articles(), procs=2)
    engine.reset()
    assert found("report") == (1, [1])
    assert not list(tantivy_engine.glob("*.building"))


def test_an_article_written_by_the_index_worker_is_found_like_a_rebuilt_one(tantivy_engine):
    engine.rebuild([article(1)], procs=2)
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(article(2))
        writer.upsert(IndexDocument(1, "Rail", "The last of the year", None, (), ()))
    assert found('"last year"') == (1, [2])
    assert found('"last of the year"') == (2, [1, 2])
    assert found("talks") == (1, [2])


@pytest.mark.parametrize("procs", [1, 2])
def test_did_you_mean_knows_every_word_of_a_rebuild(tantivy_engine, procs):
    # Each word goes to the spelling list with its first articles only: one only the last
    # article has, and one every article has, are both there.
    articles = [article(id) for id in range(1, 2 * CHUNK + 50)]
    last = articles[-1]
    articles[-1] = IndexDocument(last.id, last.title, last.body + " Numbat.", None, (), ())
    engine.rebuild(articles, procs=procs)
    assert engine.search(SearchQuery(q="numbatz")).suggestion == "numbat"
    assert engine.search(SearchQuery(q="satelites")).suggestion == "satellites"
    assert engine.search(SearchQuery(q="semiconductorz")).suggestion == "semiconductors"
