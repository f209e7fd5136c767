"""The tantivy engine's files checksummed: damage of any kind, done to real files on disk,
answers 503 naming the repair (never a path, never a wrong answer), seen by a cold process and
by a warm one; an index of another schema version is refused the same way; a bug of ours is a
500."""

from __future__ import annotations

import json
import logging
import os
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from search import engine
from search.documents import IndexDocument
from search.engine.tantivy import checksums, distinctive, searching, storage
from search.operations import health, index_sync
from search.query import PageOutOfRange, SearchQuery
from tests.index_damage import (
    Clock,
    a_few_bytes_flipped,
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

pytestmark = pytest.mark.parametrize("search_engine_name", ["tantivy"], indirect=True)

CYBER = SearchQuery(q="cyber")


def live() -> Path:
    return storage.live_generation_dir()


def largest_segment_file() -> Path:
    files = [path for path in live().iterdir() if checksums.read_commit(live()).lists(path.name)]
    return max(files, key=lambda path: path.stat().st_size)


def meta_file() -> Path:
    return live() / checksums.META


DAMAGE = {
    "segment file filled with garbage": (largest_segment_file, keeping_times(fill_with_garbage)),
    "4 KB of garbage inside a segment file": (
        largest_segment_file,
        keeping_times(garbage_in_the_middle),
    ),
    "truncated segment file": (largest_segment_file, truncate),
    "deleted segment file": (largest_segment_file, Path.unlink),
    "truncated meta.json": (meta_file, truncate),
    "deleted meta.json": (meta_file, Path.unlink),
}


TANTIVY_FILES = "meta.json"


def test_every_file_of_a_commit_has_its_checksum_recorded(seeded):
    with engine.open_writer(timeout=10) as writer:  # a deletion: a .del file
        writer.delete(seeded["001"].pk)
    recorded = json.loads((live() / checksums.MANIFEST).read_text())
    commit = checksums.read_commit(live())
    assert recorded["opstamp"] == commit.opstamp
    committed = {path.name for path in live().iterdir() if commit.lists(path.name)}
    assert any(name.endswith(".del") for name in committed)
    assert set(recorded["files"]) == committed | {"meta.json"}
    for name, (size, mtime_ns, crc) in recorded["files"].items():
        path = live() / name
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
    assert_no_paths(str(raised.value), settings, TANTIVY_FILES)
    assert_answers_503_naming_the_repair(settings, TANTIVY_FILES)
    article = Client().get(f"/articles/{seeded['003'].pk}/")
    assert article.status_code == 200 and b"Similar articles are unavailable" in article.content
    api_article = Client().get(f"/api/articles/{seeded['003'].pk}")
    assert api_article.status_code == 200 and api_article.json()["more_like_this"] == []

    assert_check_index_finds_the_damage_and_repairs_it(capsys)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The storage module's clock, moved on by hand."""
    clock = stopped_clock(monkeypatch, storage)
    engine.reset()
    return clock


@pytest.mark.parametrize("damage", [garbage_in_the_middle, truncate, Path.unlink])
def test_a_warm_process_answers_503_after_damage_not_an_error_or_a_wrong_answer(
    seeded, settings, clock, damage
):
    """tantivy would read on: a file garbled inside from its memory map as if it were fine,
    a deleted one from the map it still holds, and a truncated one would kill the process."""
    client = Client()
    first = client.get("/api/search?q=cyber")
    assert first.status_code == 200 and first.json()["total"] > 0  # open and verified
    damage_later(largest_segment_file(), damage)
    clock.now += storage.STAT_INTERVAL
    assert_answers_503_naming_the_repair(settings, TANTIVY_FILES)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)  # it stays damaged until repaired
    call_command("check_index", "--repair", verbosity=0)
    repaired = client.get("/api/search?q=cyber").json()
    assert [hit["id"] for hit in repaired["hits"]] == [hit["id"] for hit in first.json()["hits"]]


def test_damage_to_meta_json_on_a_warm_process_is_seen_by_the_next_search(seeded, settings):
    assert engine.search(CYBER).total > 0
    truncate(meta_file())  # a new size: the next search's stat of meta.json sees it
    with pytest.raises(engine.IndexUnavailable, match="damaged.*check_index --repair"):
        engine.search(CYBER)


def test_a_file_with_a_new_time_but_the_same_bytes_is_not_damage(seeded, clock):
    total = engine.search(CYBER).total
    path = largest_segment_file()
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))  # a copy
    clock.now += storage.STAT_INTERVAL
    assert engine.search(CYBER).total == total


def test_a_failed_read_of_a_damaged_file_is_damage_even_before_the_stat_check(
    seeded, clock, monkeypatch
):
    assert engine.search(CYBER).total > 0
    damage_later(largest_segment_file(), garbage_in_the_middle)
    monkeypatch.setattr(searching, "page_of_hits", read_fails)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)  # within the second: the failure made it look now


def test_a_bug_in_our_code_is_a_500_with_its_traceback_logged_not_damage(
    seeded, monkeypatch, caplog
):
    def facet_bug(*args, **kwargs):
        raise KeyError("minister")

    monkeypatch.setattr(searching, "page_of_hits", facet_bug)
    with pytest.raises(KeyError):
        engine.search(CYBER)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        page = Client(raise_request_exception=False).get("/?q=cyber")
    assert page.status_code == 500
    assert b"check_index" not in page.content
    assert any(record.exc_info and record.exc_info[0] is KeyError for record in caplog.records)


def test_a_commit_never_records_checksums_over_damage(seeded):
    damage_later(largest_segment_file(), garbage_in_the_middle)
    engine.reset()
    writing = engine.open_writer(timeout=10)
    with pytest.raises(engine.IndexUnavailable, match="damaged"), writing as writer:
        writer.delete(seeded["001"].pk)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)


def test_a_deleted_checksum_file_is_damage(seeded):
    (live() / checksums.MANIFEST).unlink()
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="checksums are missing"):
        engine.search(CYBER)


def test_a_commit_whose_checksums_are_still_being_recorded_is_not_damage(seeded):
    """tantivy publishes meta.json before the writer can record its files: a reader in that
    moment reads the new commit, and notices damage once its checksums are there."""
    manifest = live() / checksums.MANIFEST
    before = manifest.read_bytes()
    with engine.open_writer(timeout=10) as writer:
        writer.upsert(
            IndexDocument(
                id=10**6,
                title="Cyber",
                body="cyber quokka",
                published=None,
                ministers=(),
                topics=(),
            )
        )
    after = manifest.read_bytes()
    manifest.write_bytes(before)  # as between the commit and its record
    engine.reset()
    assert engine.search(SearchQuery(q="quokka")).total == 1
    manifest.write_bytes(after)
    assert engine.search(SearchQuery(q="quokka")).total == 1


def test_an_older_meta_json_than_its_checksums_is_damage(seeded):
    old_meta = meta_file().read_bytes()
    with engine.open_writer(timeout=10) as writer:
        writer.delete(seeded["001"].pk)
    meta_file().write_bytes(old_meta)  # restored from an older copy: the .del is ignored
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)


def test_check_index_hashes_every_file_even_what_a_warm_process_trusts(seeded, clock, capsys):
    """Damage that keeps a file's size and time (bit rot under the page cache), in a file the
    search does not read (positions: no phrase), is not seen by a warm process's stat check;
    check_index hashes every file, and --repair rebuilds."""
    assert engine.search(CYBER).total > 0
    positions = next(live().glob("*.pos"))
    keeping_times(a_few_bytes_flipped)(positions)
    clock.now += storage.STAT_INTERVAL
    assert engine.search(CYBER).total > 0  # the limit: trusted by its size and time
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "damaged" in capsys.readouterr().out
    call_command("check_index", "--repair", verbosity=0)
    assert index_sync.check_index().healthy


def test_a_failed_read_of_a_file_damaged_keeping_its_time_is_damage(seeded, clock, monkeypatch):
    """The first failed read after a commit hashes every file again: damage that kept its
    size and time is a 503 too, not a 500."""
    assert engine.search(CYBER).total > 0
    keeping_times(garbage_in_the_middle)(largest_segment_file())
    monkeypatch.setattr(searching, "page_of_hits", read_fails)
    with pytest.raises(engine.IndexUnavailable, match="damaged"):
        engine.search(CYBER)


def test_an_index_of_the_old_schema_version_is_refused_until_rebuilt(seeded, settings, capsys):
    (live() / storage.VERSION_FILE).write_text("tantivy-1")  # built before the spelling field
    engine.reset()
    client = Client()
    page = client.get("/?q=cyber")
    assert page.status_code == 503 and b"check_index --repair" in page.content
    assert_no_paths(page.content.decode(), settings, TANTIVY_FILES)
    api = client.get("/api/search?q=cyber")
    assert api.status_code == 503 and "check_index --repair" in api.json()["error"]
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "another version" in capsys.readouterr().out
    call_command("rebuild_index", verbosity=0)
    assert client.get("/api/search?q=cyber").json()["total"] > 0
    (live() / storage.VERSION_FILE).write_text("tantivy-1")
    call_command("check_index", "--repair", verbosity=0)
    assert client.get("/api/search?q=cyber").json()["total"] > 0


def test_a_page_past_the_last_is_no_failed_read_and_hashes_nothing(seeded, monkeypatch):
    assert engine.search(CYBER).total > 0  # verified: every file hashed once
    hashed = []
    monkeypatch.setattr(checksums, "file_crc32", lambda path: hashed.append(path))
    with pytest.raises(PageOutOfRange):
        engine.search(SearchQuery(q="cyber", page=999))
    assert hashed == []


def test_an_empty_archive_has_checksums_and_answers_searches_with_nothing(search_engine_name, db):
    call_command("rebuild_index", verbosity=0)
    assert engine.search(CYBER).total == 0
    assert health.index_status() == health.OK
    with engine.open_writer(timeout=10) as writer:  # its first segment
        writer.upsert(
            IndexDocument(
                id=1, title="Cyber", body="cyber", published=None, ministers=(), topics=()
            )
        )
    engine.reset()
    assert engine.search(CYBER).total == 1


def damage_positions_unseen() -> None:
    """Bit rot in the positions, which neither a search for a word nor the stat check reads:
    a warm process learns of it only when a read fails (and hashes every file then)."""
    keeping_times(a_few_bytes_flipped)(next(live().glob("*.pos")))


@pytest.mark.parametrize(
    "request_headers",
    [pytest.param({}, id="page"), pytest.param({"HX-Request": "true"}, id="htmx-panel")],
)
def test_a_failed_read_of_distinctive_words_on_damaged_files_is_a_503_naming_the_repair(
    seeded, settings, clock, monkeypatch, request_headers
):
    client = Client()
    assert client.get("/?q=cyber").status_code == 200  # open and verified
    damage_positions_unseen()
    monkeypatch.setattr(distinctive, "count", read_fails)  # the archive counts' read
    page = client.get("/distinctive/?q=cyber", headers=request_headers)
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert b"check_index --repair" in page.content
    assert (b"<html" in page.content) == (not request_headers)
    assert_no_paths(page.content.decode(), settings, TANTIVY_FILES)


def test_a_failed_read_of_distinctive_words_in_the_api_is_a_503_naming_the_repair(
    seeded, settings, clock, monkeypatch
):
    client = Client()
    assert client.get("/api/search?q=cyber").status_code == 200
    damage_positions_unseen()
    monkeypatch.setattr(distinctive, "count", read_fails)
    api = client.get("/api/search?q=cyber&distinctive=1")
    assert api.status_code == 503 and "check_index --repair" in api.json()["error"]
    assert_no_paths(api.content.decode(), settings, TANTIVY_FILES)


def test_a_failed_read_while_marking_an_articles_words_shows_it_unmarked(
    seeded, settings, clock, monkeypatch
):
    """The article page marks the words of the search it came from with the engine's
    highlighter: damaged files found there leave the article readable, unmarked."""
    client = Client()
    article = f"/articles/{seeded['003'].pk}/?q=cyber"
    assert b"<mark>cyber" in client.get(article).content.lower()  # open and verified
    damage_positions_unseen()
    monkeypatch.setattr(searching, "compile_query", read_fails)  # the query's terms' read
    page = client.get(article)
    assert page.status_code == 200 and b"<mark>cyber" not in page.content.lower()
    assert seeded["003"].title.encode() in page.content
    assert b"Similar articles are unavailable" in page.content
    with pytest.raises(engine.IndexUnavailable, match="damaged.*check_index --repair") as raised:
        engine.highlight(["Cyber"], "cyber")
    assert_no_paths(str(raised.value), settings, TANTIVY_FILES)
