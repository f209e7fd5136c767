"""Checksummed index files: damage of any kind is a 503 naming the repair (never a path), seen
by a cold process (checksums) and a warm one (a stat check a second); a bug of ours is a 500."""

from __future__ import annotations

import json
import logging
import os
import threading
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from search import engine
from search.documents import IndexDocument
from search.engine.whoosh import cache, checksums, searching, storage
from search.operations import health
from search.query import SearchQuery
from tests.index_damage import (
    Clock,
    assert_answers_503_naming_the_repair,
    assert_check_index_finds_the_damage_and_repairs_it,
    assert_no_paths,
    damage_later,
    fill_with_garbage,
    garbage_in_the_middle,
    keeping_times,
    read_fails,
    stopped_clock,
    truncate,
)

CYBER = SearchQuery(q="cyber")


def largest_segment_file() -> Path:
    return max(storage.live_generation_dir().glob("MAIN_*.*"), key=lambda p: p.stat().st_size)


def toc_file() -> Path:
    return next(storage.live_generation_dir().glob("_MAIN_*.toc"))


DAMAGE = {
    "segment filled with garbage": (largest_segment_file, keeping_times(fill_with_garbage)),
    "4 KB of garbage inside a segment": (
        largest_segment_file,
        keeping_times(garbage_in_the_middle),
    ),
    "truncated segment": (largest_segment_file, truncate),
    "deleted segment": (largest_segment_file, Path.unlink),
    "truncated TOC": (toc_file, truncate),
}


WHOOSH_FILES = "MAIN_"  # the start of every Whoosh file's name


def test_every_file_of_a_generation_has_its_checksum_recorded_at_commit(seeded, settings):
    with engine.open_writer(timeout=10) as writer:  # one more commit, on top of the rebuild's
        writer.delete(seeded["001"].pk)
    generation = storage.live_generation_dir()
    manifests = list(generation.glob("CHECKSUMS_*.json"))
    assert len(manifests) == 1  # the older generations' went with their files
    recorded = json.loads(manifests[0].read_text())["files"]
    whoosh_files = {
        path.name
        for path in generation.iterdir()
        if path.name.startswith(("MAIN_", "_MAIN_")) and path.name != "MAIN_WRITELOCK"
    }
    assert set(recorded) == whoosh_files
    for name, (size, mtime_ns, crc) in recorded.items():
        path = generation / name
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (size, mtime_ns)
        assert zlib.crc32(path.read_bytes()) == crc


@pytest.mark.parametrize("kind", DAMAGE)
def test_damage_is_a_503_naming_the_repair_and_check_index_repairs_it(
    seeded, settings, capsys, kind
):
    which_file, damage = DAMAGE[kind]
    damage(which_file())
    engine.reset()  # a process opening the index cold: every file is verified
    with pytest.raises(engine.IndexUnavailable, match="damaged.*check_index --repair") as raised:
        engine.search(CYBER)
    assert_no_paths(str(raised.value), settings, WHOOSH_FILES)
    assert_answers_503_naming_the_repair(settings, WHOOSH_FILES)
    assert_check_index_finds_the_damage_and_repairs_it(capsys)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The index cache's clock, moved on by hand."""
    clock = stopped_clock(monkeypatch, cache)
    engine.reset()
    return clock


@pytest.mark.parametrize("damage", [garbage_in_the_middle, truncate, Path.unlink])
def test_a_warm_process_notices_damage_within_a_second(seeded, settings, clock, damage):
    assert engine.search(CYBER).total > 0  # the generation is open and verified
    damage_later(largest_segment_file(), damage)
    clock.now += cache.STAT_INTERVAL
    with pytest.raises(engine.IndexUnavailable, match="damaged.*check_index --repair"):
        engine.search(CYBER)
    assert "damaged" in health.index_status()
    with pytest.raises(engine.IndexUnavailable):
        engine.search(CYBER)  # it stays damaged until repaired
    call_command("check_index", "--repair", verbosity=0)
    assert engine.search(CYBER).total > 0


def test_a_file_with_a_new_time_but_the_same_bytes_is_not_damage(seeded, clock):
    total = engine.search(CYBER).total
    path = largest_segment_file()
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a copy
    clock.now += cache.STAT_INTERVAL
    assert engine.search(CYBER).total == total


def test_a_failed_read_of_a_damaged_file_is_damage_even_before_the_stat_check(
    seeded, clock, monkeypatch
):
    assert engine.search(CYBER).total > 0
    damage_later(largest_segment_file(), fill_with_garbage)
    monkeypatch.setattr(searching, "page_of_hits", read_fails)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)  # within the second: the failure made the cache look now


def test_a_bug_in_our_code_is_a_500_with_its_traceback_logged_not_damage(
    seeded, monkeypatch, caplog
):
    def facet_bug(*args, **kwargs):
        raise KeyError("minister")

    monkeypatch.setattr(searching, "facet_counts", facet_bug)
    with pytest.raises(KeyError):
        engine.search(CYBER)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        page = Client(raise_request_exception=False).get("/?q=cyber")
    assert page.status_code == 500
    assert b"check_index" not in page.content
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records), (
        "the traceback is logged"
    )


def test_a_commit_never_records_checksums_over_damage(seeded):
    damage_later(largest_segment_file(), garbage_in_the_middle)
    engine.reset()
    writing = engine.open_writer(timeout=10)
    with pytest.raises(engine.IndexUnavailable, match="damaged"), writing as writer:
        writer.delete(seeded["001"].pk)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)


def test_an_index_written_before_checksums_gets_them_at_its_next_commit(seeded, caplog):
    generation = storage.live_generation_dir()
    for path in generation.glob("CHECKSUMS*"):
        path.unlink()
    engine.reset()
    with caplog.at_level(logging.WARNING):
        assert engine.search(CYBER).total > 0  # served, unverified
    assert "no checksums yet" in caplog.text
    with engine.open_writer(timeout=10) as writer:
        writer.upsert(
            IndexDocument(
                id=10**6, title="Cyber", body="cyber", published=None, ministers=(), topics=()
            )
        )
    assert (generation / checksums.MARKER).exists()
    assert len(list(generation.glob("CHECKSUMS_*.json"))) == 1
    damage_later(largest_segment_file(), garbage_in_the_middle)
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)


def test_a_deleted_checksum_file_is_damage(seeded):
    next(storage.live_generation_dir().glob("CHECKSUMS_*.json")).unlink()
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="checksums are missing"):
        engine.search(CYBER)


def test_the_test_postgresql_cluster_keeps_data_checksums(postgres_database, transactional_db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_checksums")
        assert cursor.fetchone()[0] == "on"


def test_readers_racing_commits_never_take_merged_away_files_for_damage(seeded, monkeypatch):
    monkeypatch.setattr(cache, "STAT_INTERVAL", 0.0)  # every search stats its files
    errors = []

    def commit_many() -> None:
        for number in range(25):  # small segments: Whoosh merges them, deleting their files
            with engine.open_writer(timeout=30) as writer:
                writer.upsert(
                    IndexDocument(
                        id=10**6 + number,
                        title=f"Cyber {number}",
                        body="cyber quokka",
                        published=None,
                        ministers=(),
                        topics=(),
                    )
                )

    def search_meanwhile() -> None:
        while writer.is_alive():
            try:
                engine.search(CYBER)
            except Exception as error:  # noqa: BLE001 - any failure is what this test looks for
                errors.append(error)

    writer = threading.Thread(target=commit_many)
    readers = [threading.Thread(target=search_meanwhile) for _ in range(3)]
    writer.start()
    for reader in readers:
        reader.start()
    writer.join()
    for reader in readers:
        reader.join()
    assert errors == []
    assert engine.search(SearchQuery(q="quokka")).total == 25


def test_an_empty_archive_answers_searches_with_nothing(db):
    """A new archive's index has no segment yet (Whoosh reads it through an EmptyReader)."""
    call_command("rebuild_index", verbosity=0)
    results = engine.search(CYBER)
    assert results.total == 0 and results.hits == []
    assert health.index_status() == health.OK
