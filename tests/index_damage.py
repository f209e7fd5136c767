"""Damage done on purpose to an embedded engine's index files (Whoosh, tantivy), and what a
damaged index must answer through the app: a 503 naming the repair, never a path.

Shared by tests/engine/test_index_checksums.py (Whoosh) and test_tantivy_damage.py.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from search import engine
from search.operations import health, index_sync
from search.query import SearchQuery
from tests.conftest import index_directory

REPAIR = "check_index --repair"

Damage = Callable[[Path], None]


def keeping_times(damage: Damage) -> Damage:
    """Damage that leaves the file's modification time as it was (as bit rot does)."""

    def damage_quietly(path: Path) -> None:
        before = path.stat()
        damage(path)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    return damage_quietly


def fill_with_garbage(path: Path) -> None:
    with path.open("r+b") as file:  # in place: never shorter, even for a moment
        file.write(random.Random(1).randbytes(path.stat().st_size))


def garbage_in_the_middle(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(max(0, size // 2 - 2048))
        file.write(random.Random(2).randbytes(min(4096, size)))


def a_few_bytes_flipped(path: Path) -> None:
    with path.open("r+b") as file:  # in place: never shorter, even for a moment
        file.seek(path.stat().st_size // 2)
        flipped = bytes(byte ^ 0xFF for byte in file.read(8))
        file.seek(path.stat().st_size // 2)
        file.write(flipped)


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def damage_later(path: Path, damage: Damage) -> None:
    """``damage`` a second after the commit, as in service (a test runs within one tick of the
    file system's clock)."""
    committed = path.stat().st_mtime_ns
    damage(path)
    if path.exists():
        os.utime(path, ns=(committed + 10**9, committed + 10**9))


def read_fails(*args, **kwargs):
    """In place of a function that reads the index: what the engine raises on garbage."""
    raise ValueError("what the engine raises on garbage")


class Clock:
    """``time`` for the module that stats the index files, with ``monotonic`` moved on by
    hand: no test waits a second for the stat check."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def __getattr__(self, name: str):
        return getattr(time, name)


def stopped_clock(monkeypatch, module: ModuleType) -> Clock:
    """A Clock in place of ``module.time``."""
    clock = Clock()
    monkeypatch.setattr(module, "time", clock)
    return clock


def assert_no_paths(text: str, settings, *file_names: str) -> None:
    """No directory of the test's, no generation and none of ``file_names`` in ``text``."""
    assert str(index_directory(settings).parent) not in text
    assert "/tmp" not in text and "gen-" not in text
    for name in file_names:
        assert name not in text


def assert_answers_503_naming_the_repair(settings, *file_names: str) -> None:
    """The search page, its htmx region, the API and the health check, for a search."""
    client = Client()
    page = client.get("/?q=cyber")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert REPAIR.encode() in page.content
    assert_no_paths(page.content.decode(), settings, *file_names)
    region = client.get("/?q=cyber", headers={"HX-Request": "true"})
    assert region.status_code == 503
    assert REPAIR.encode() in region.content and b"<html" not in region.content
    api = client.get("/api/search?q=cyber")
    assert api.status_code == 503
    assert REPAIR in api.json()["error"]
    assert_no_paths(api.content.decode(), settings, *file_names)
    status = health.index_status()
    assert "damaged" in status and REPAIR in status
    assert_no_paths(status, settings, *file_names)


def assert_check_index_finds_the_damage_and_repairs_it(capsys) -> None:
    """``check_index`` fails saying so; ``--repair`` rebuilds, and searches answer again."""
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "damaged" in capsys.readouterr().out
    call_command("check_index", "--repair", verbosity=0)
    assert engine.search(SearchQuery(q="cyber")).total > 0
    assert index_sync.check_index().healthy
    assert health.index_status() == health.OK
