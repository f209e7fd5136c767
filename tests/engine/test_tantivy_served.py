"""The tantivy index damaged under a warm `dev.py serve`: every search answers 503 naming the
repair, what needs only the database answers, and `check_index --repair` brings it back
without a restart.

Under gthread workers only: two processes, each with threads sharing its one tantivy index.
Sync workers (two processes of one thread) would prove nothing more: what notices damage is
per process (``storage.LIVE``), the same code under either model, and here each process has
its threads as well. tests/operations/test_serve_faults.py serves under both models, for
what does depend on the worker model (SQLite's connections, a read-only data directory).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests import index_damage
from tests.served_faults import (
    NOTICED_AFTER_SECONDS,
    WARM_ROUNDS,
    Served,
    assert_every_search_answers_503_naming_the_repair,
    assert_everything_answers,
    copy_of,
    manage,
)

pytest_plugins = ["tests.servers"]

TANTIVY = {"SEARCH_ENGINE": "tantivy"}


class ServedOnTantivy(Served):
    def live(self) -> Path:
        root = self.data_dir / "index" / "tantivy"
        return root / (root / "CURRENT").read_text().strip()

    def largest_segment_file(self) -> Path:
        segments = [path for path in self.live().iterdir() if path.name.count(".") == 1]
        segments = [path for path in segments if path.suffix not in {".json", ".lock"}]
        return max(segments, key=lambda path: path.stat().st_size)

    def meta_json(self) -> Path:
        return self.live() / "meta.json"

    def warm(self) -> None:
        for _ in range(WARM_ROUNDS):
            for path in ["/?q=cyber", self.article, "/api/search?q=oil"]:
                assert self.get(path)[0] == 200, path


@pytest.fixture(scope="module")
def served(seeded_data_dir, tmp_path_factory):
    from tests.servers import start_server  # a plugin here: pytest imports it first

    base = tmp_path_factory.mktemp("tantivy-faults")
    data_dir = copy_of(seeded_data_dir, base)
    manage(data_dir, "rebuild_index", "--verbosity", "0", **TANTIVY)
    server = start_server(data_dir, base, **TANTIVY)
    try:
        served = ServedOnTantivy(server, data_dir)
        served.warm()
        yield served
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("which_file", "damage"),
    [
        pytest.param("largest_segment_file", index_damage.truncate, id="truncated-segment-file"),
        pytest.param("largest_segment_file", Path.unlink, id="deleted-segment-file"),
        pytest.param(
            "largest_segment_file", index_damage.garbage_in_the_middle, id="garbage-inside"
        ),
        pytest.param("meta_json", index_damage.truncate, id="truncated-meta-json"),
    ],
)
def test_a_damaged_tantivy_index_is_a_503_for_every_search_until_repaired(
    served, which_file, damage
):
    damage(getattr(served, which_file)())
    time.sleep(NOTICED_AFTER_SECONDS)
    try:
        assert_every_search_answers_503_naming_the_repair(served)
    finally:
        manage(served.data_dir, "check_index", "--repair", "--verbosity", "0", **TANTIVY)
    assert_everything_answers(served)
    assert "SIGBUS" not in served.server.stderr()  # no worker read a truncated file
