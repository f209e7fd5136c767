"""The tantivy index damaged under a warm `dev.py serve` (threads, and sync worker processes):
every search answers 503 naming the repair, what needs only the database answers, and
`check_index --repair` brings it back without a restart."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest

pytest_plugins = ["tests.servers"]

WORKER_MODELS = {
    "threads": {},  # gthread, as `dev.py serve` runs by default
    "processes": {"GUNICORN_CMD_ARGS": "--worker-class sync", "NEWSROOM_THREADS": "1"},
}
TANTIVY = {"SEARCH_ENGINE": "tantivy"}
REPAIR = "check_index --repair"
HTMX = {"HX-Request": "true"}
WARM_ROUNDS = 6  # each worker (two processes, or two processes' threads) has searched
# A warm process stats its generation's files at most once a second (STAT_INTERVAL in
# search/engine/tantivy/storage.py): damage is noticed by every worker after that.
NOTICED_AFTER_SECONDS = 1.5


def manage(data_dir: Path, *args: str) -> None:
    from tests.servers import PYTHON, ROOT, server_environment  # a plugin: imported first

    completed = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=server_environment(data_dir, **TANTIVY),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr


class Served:
    def __init__(self, server, data_dir: Path) -> None:
        self.server, self.data_dir = server, data_dir
        hits = json.loads(self.get("/api/search?q=cyber")[2])["hits"]
        self.article_id = hits[0]["id"]

    def get(self, path: str, **headers: str):
        return self.server.get(path, **headers)

    def live(self) -> Path:
        root = self.data_dir / "index" / "tantivy"
        return root / (root / "CURRENT").read_text().strip()

    def largest_segment_file(self) -> Path:
        segments = [path for path in self.live().iterdir() if path.name.count(".") == 1]
        segments = [path for path in segments if path.suffix not in {".json", ".lock"}]
        return max(segments, key=lambda path: path.stat().st_size)

    def warm(self) -> None:
        for _ in range(WARM_ROUNDS):
            for path in ["/?q=cyber", f"/articles/{self.article_id}/", "/api/search?q=oil"]:
                assert self.get(path)[0] == 200, path


@pytest.fixture(scope="module", params=list(WORKER_MODELS))
def served(request, seeded_data_dir, tmp_path_factory):
    from tests.servers import start_server  # a plugin here: pytest imports it first

    base = tmp_path_factory.mktemp(f"tantivy-faults-{request.param}")
    data_dir = base / "data"
    shutil.copytree(seeded_data_dir, data_dir, symlinks=True)
    manage(data_dir, "rebuild_index", "--verbosity", "0")
    server = start_server(data_dir, base, **WORKER_MODELS[request.param], **TANTIVY)
    try:
        served = Served(server, data_dir)
        served.warm()
        yield served
    finally:
        server.stop()


def truncate_segment_file(served: Served) -> None:
    path = served.largest_segment_file()
    os.truncate(path, path.stat().st_size // 2)


def delete_segment_file(served: Served) -> None:
    served.largest_segment_file().unlink()


def garbage_inside_segment_file(served: Served) -> None:
    path = served.largest_segment_file()
    with path.open("r+b") as file:
        file.seek(path.stat().st_size // 2)
        file.write(random.Random(3).randbytes(4096))


def truncate_meta_json(served: Served) -> None:
    path = served.live() / "meta.json"
    os.truncate(path, path.stat().st_size // 2)


def assert_no_paths(served: Served, body: bytes) -> None:
    text = body.decode(errors="replace")
    assert str(served.data_dir) not in text and "/tmp/" not in text and "/root" not in text


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(truncate_segment_file, id="truncated-segment-file"),
        pytest.param(delete_segment_file, id="deleted-segment-file"),
        pytest.param(garbage_inside_segment_file, id="garbage-inside"),
        pytest.param(truncate_meta_json, id="truncated-meta-json"),
    ],
)
def test_a_damaged_tantivy_index_is_a_503_for_every_search_until_repaired(served, damage):
    damage(served)
    time.sleep(NOTICED_AFTER_SECONDS)
    try:
        for _ in range(WARM_ROUNDS // 2):  # every worker, not only the one asked first
            status, _, page = served.get("/?q=cyber")
            assert status == 503
            assert b"Search is unavailable right now" in page and REPAIR.encode() in page
            assert_no_paths(served, page)
            status, _, partial = served.get("/?q=oil", **HTMX)
            assert status == 503 and REPAIR.encode() in partial
            assert not partial.lstrip().startswith(b"<!doctype")  # the region, not a page
            status, headers, body = served.get("/api/search?q=cyber")
            assert (status, headers["Content-Type"]) == (503, "application/json")
            assert REPAIR in json.loads(body)["error"]
            assert_no_paths(served, body)
            status, _, body = served.get("/healthz")
            assert status == 503 and REPAIR in json.loads(body)["index"]
            status, _, page = served.get(f"/articles/{served.article_id}/")
            assert status == 200 and b"Similar articles are unavailable right now" in page
    finally:
        manage(served.data_dir, "check_index", "--repair", "--verbosity", "0")
    for path in ["/?q=cyber", "/api/search?q=cyber", "/healthz"]:
        for _ in range(WARM_ROUNDS // 2):
            assert served.get(path)[0] == 200, path
    assert "SIGBUS" not in served.server.stderr()  # no worker read a truncated file
