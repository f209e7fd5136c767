"""Readers see each commit of the tantivy index: a writer in another process (as the index
worker is) commits, and searches in threads of this process (as a server's are) find what it
wrote at once, and never fail while it commits and merges under them."""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.tantivy import storage, story_table
from search.query import SearchQuery

READERS = 4
COMMITS = 20
QUOKKA = SearchQuery(q="quokka")


def article(article_id: int, body: str) -> IndexDocument:
    return IndexDocument(
        id=article_id,
        title=f"Article {article_id}",
        body=body,
        published=None,
        ministers=("kihara",),
        topics=(),
    )


def write_on_request(index_dir: str, data_dir: str, requests: Connection) -> None:
    """The writer process: for each id received, upsert a quokka article of that id in a
    commit of its own, then answer the id; stops at None."""
    os.environ.update(
        SEARCH_ENGINE="tantivy",
        NEWSROOM_INDEX_DIR=index_dir,
        NEWSROOM_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
    )
    import django

    django.setup()
    while (article_id := requests.recv()) is not None:
        with engine.open_writer(timeout=30) as writer:
            writer.upsert(article(article_id, "A quokka was seen near the port."))
        requests.send(article_id)


@pytest.fixture
def writer_process(settings, tmp_path):
    """A connection to a writer in another process, on this test's index."""
    settings.SEARCH_ENGINE = "tantivy"
    engine.reset()
    engine.rebuild([article(1, "Maritime security in the Indian Ocean.")])
    context = multiprocessing.get_context("spawn")  # no tantivy threads forked
    ours, theirs = context.Pipe()
    index_dir = settings.NEWSROOM["INDEX_DIR"]
    process = context.Process(target=write_on_request, args=(index_dir, str(tmp_path), theirs))
    process.start()
    yield ours
    ours.send(None)
    process.join(timeout=60)
    assert process.exitcode == 0


def found(search_query: SearchQuery) -> list[int]:
    return sorted(hit.id for hit in engine.search(search_query).hits)


def in_threads(function, count: int = READERS) -> list:
    """``function`` run once in each of ``count`` threads, all starting together."""
    start = threading.Barrier(count)

    def run():
        start.wait()
        return function()

    with ThreadPoolExecutor(count) as pool:
        return [future.result() for future in [pool.submit(run) for _ in range(count)]]


def commit(writer: Connection, article_id: int) -> None:
    writer.send(article_id)
    assert writer.recv() == article_id  # committed and its checksums recorded


def test_every_thread_finds_what_another_process_committed(writer_process):
    assert in_threads(lambda: found(QUOKKA)) == [[]] * READERS  # each thread has searched
    commit(writer_process, 2)
    assert in_threads(lambda: found(QUOKKA)) == [[2]] * READERS
    commit(writer_process, 3)
    assert in_threads(lambda: found(QUOKKA)) == [[2, 3]] * READERS


def test_threads_searching_while_another_process_commits_never_fail(writer_process, monkeypatch):
    """Each commit makes a segment and tantivy merges them, deleting the merged files while
    the threads read; every search stats every file (no stat interval), the hardest case.
    Browsing's counts kept per commit and the story table read at once are shared by the
    threads: what they count never goes back, and ends as a fresh count of the last commit."""
    monkeypatch.setattr(storage, "STAT_INTERVAL", 0.0)
    monkeypatch.setattr(story_table, "SETTLED", 0.0)
    writing = threading.Event()
    writing.set()
    errors, browsed = [], []

    def search_meanwhile() -> list[int]:
        totals, browsed_here = [], []
        while writing.is_set():
            try:
                totals.append(engine.search(QUOKKA).total)
                engine.search(SearchQuery(q="maritime", ministers=("kihara",)))
                browsed_here.append(browsing())
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)
        browsed.append(browsed_here)
        return totals

    with ThreadPoolExecutor(READERS) as pool:
        readers = [pool.submit(search_meanwhile) for _ in range(READERS)]
        for article_id in range(100, 100 + COMMITS):
            commit(writer_process, article_id)
        writing.clear()
        totals = [reader.result() for reader in readers]
    assert errors == []
    for seen in totals:
        assert seen == sorted(seen)  # never an older commit after a newer one
    assert in_threads(lambda: engine.search(QUOKKA).total) == [COMMITS] * READERS
    last = COMMITS + 1  # and the maritime article
    assert in_threads(browsing) == [(last, last)] * READERS
    for seen in browsed:
        assert all(total == kihara for total, kihara in seen)
        assert seen == sorted(seen)  # never an older commit's counts after a newer one's
        assert seen[0][0] >= 1 and seen[-1][0] <= last


def browsing() -> tuple[int, int]:
    """Browsing's total and its count of articles with minister kihara (all of them)."""
    results = engine.search(SearchQuery(q=""))
    kihara = {option.value: option.count for option in results.facets["minister"]}
    return results.total, kihara.get("kihara", 0)
