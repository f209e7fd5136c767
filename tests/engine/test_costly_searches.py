"""Costly searches take turns across processes and threads; ordinary searches never wait."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from search import engine
from search.engine.costly import costly_search_slot, is_costly
from search.query import SearchQuery
from search.query_language import parse

COSTLY = "secur* cooperation"
ORDINARY = "cyber security"


@pytest.mark.parametrize(
    ("query", "costly"),
    [
        ("maritime security", False),
        ('"outer space" cooperation', False),
        ("one two three four five six", False),
        ("secur*", True),
        ("title:coop* defence", True),
        ("one two three four five six seven", True),
        ('"one two three four five"', True),
        ("a OR b OR c OR d OR e OR f OR g", True),
        ("", False),
    ],
)
def test_what_makes_a_search_costly(query, costly):
    assert is_costly(parse(query).tree) is costly


@pytest.fixture
def one_slot(settings):
    settings.NEWSROOM = {
        **settings.NEWSROOM,
        "COSTLY_SEARCH_SLOTS": 1,
        "COSTLY_SEARCH_WAIT": 0.3,
    }


def hold_the_slot(data_dir: str, held: multiprocessing.synchronize.Event) -> None:
    """Another worker process, in the middle of a costly search."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.conf import settings

    settings.DATA_DIR = Path(data_dir)
    settings.NEWSROOM = {**settings.NEWSROOM, "COSTLY_SEARCH_SLOTS": 1}
    with costly_search_slot():
        held.set()
        time.sleep(300)


@pytest.fixture
def slot_held_by_another_process(one_slot, isolated_data_dir):
    context = multiprocessing.get_context("spawn")
    held = context.Event()
    worker = context.Process(target=hold_the_slot, args=(str(isolated_data_dir), held))
    worker.start()
    assert held.wait(60), "the other process never took the slot"
    yield worker
    if worker.is_alive():
        os.kill(worker.pid, signal.SIGKILL)
    worker.join()


def test_a_costly_search_waits_for_a_slot_while_ordinary_ones_answer(
    seeded, slot_held_by_another_process
):
    assert engine.search(SearchQuery(q=ORDINARY)).total > 0
    with pytest.raises(engine.SearchBusy, match="try again in a few seconds"):
        engine.search(SearchQuery(q=COSTLY))
    # A worker killed mid-search never keeps its slot: the kernel drops its lock.
    os.kill(slot_held_by_another_process.pid, signal.SIGKILL)
    slot_held_by_another_process.join()
    assert engine.search(SearchQuery(q=COSTLY)).total > 0


def test_a_long_question_relaxed_to_most_of_its_words_still_takes_its_turn(
    seeded, slot_held_by_another_process
):
    question = "Jaishankar met Kamikawa in Tokyo: foreign ministers, zebras and giraffes"
    with pytest.raises(engine.SearchBusy):
        engine.search(SearchQuery(q=question))
    os.kill(slot_held_by_another_process.pid, signal.SIGKILL)
    slot_held_by_another_process.join()
    assert engine.search(SearchQuery(q=question)).relaxed.minimum == 1  # any of 8 words


def test_busy_pages_say_so_with_503_and_retry_after(client, seeded, slot_held_by_another_process):
    response = client.get("/", {"q": COSTLY})
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "Search is busy right now" in html and "try again in a few seconds" in html
    response = client.get("/api/search", {"q": COSTLY})
    assert response.status_code == 503 and response["Retry-After"]
    assert "costly searches" in response.json()["error"]
    assert client.get("/", {"q": ORDINARY}).status_code == 200


def test_whats_distinctive_always_takes_a_turn(client, seeded, slot_held_by_another_process):
    """It reads the best matches' text for up to the time budget, even for one plain word."""
    assert client.get("/api/search", {"q": ORDINARY}).status_code == 200
    response = client.get("/api/search", {"q": ORDINARY, "distinctive": "1"})
    assert response.status_code == 503 and response["Retry-After"]
    assert client.get("/distinctive/", {"q": ORDINARY}).status_code == 503
    os.kill(slot_held_by_another_process.pid, signal.SIGKILL)
    slot_held_by_another_process.join()
    assert client.get("/distinctive/", {"q": ORDINARY}).status_code == 200


def test_threads_of_one_process_take_turns(settings, one_slot):
    settings.NEWSROOM = {**settings.NEWSROOM, "COSTLY_SEARCH_WAIT": 30}
    running = 0
    most_at_once = 0
    finished = []
    count_lock = threading.Lock()

    def costly_search() -> None:
        nonlocal running, most_at_once
        with costly_search_slot():
            with count_lock:
                running += 1
                most_at_once = max(most_at_once, running)
            time.sleep(0.02)
            with count_lock:
                running -= 1
        finished.append(True)

    threads = [threading.Thread(target=costly_search) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (most_at_once, len(finished)) == (1, 8)


def test_a_failing_search_gives_its_slot_back(one_slot):
    with pytest.raises(RuntimeError), costly_search_slot():
        raise RuntimeError("the engine failed")
    with costly_search_slot():
        pass  # taken again at once: the failure released it
