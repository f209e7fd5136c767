"""A warm `dev.py serve` on its own copy of the seeded data directory, for the tests that hurt
its files while it serves (tests/operations/test_serve_faults.py, and the tantivy engine's
tests/engine/test_tantivy_served.py): what every worker must answer while the index is
damaged, and after the repair.

The test modules name ``tests.servers`` in ``pytest_plugins``; it is imported here only inside
functions, once pytest has loaded it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.index_damage import REPAIR

WORKER_MODELS = {
    "threads": {},  # gthread, as `dev.py serve` runs by default
    "processes": {"GUNICORN_CMD_ARGS": "--worker-class sync", "NEWSROOM_THREADS": "1"},
}
HTMX = {"HX-Request": "true"}
# Each worker (two processes, or two processes' threads) must have answered from its caches.
WARM_ROUNDS = 6
# A warm process stats its index's files at most once a second (STAT_INTERVAL in
# search/engine/whoosh/cache.py and search/engine/tantivy/storage.py): damage is noticed by
# every worker after that, not before.
NOTICED_AFTER_SECONDS = 1.5


def manage(data_dir: Path, *args: str, **environment: str) -> None:
    """``manage.py`` on that data directory, as its server runs (``environment`` added)."""
    from tests.servers import PYTHON, ROOT, server_environment  # a plugin: imported first

    completed = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=server_environment(data_dir, **environment),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr


def copy_of(seeded_data_dir: Path, base: Path) -> Path:
    data_dir = base / "data"
    shutil.copytree(seeded_data_dir, data_dir, symlinks=True)
    return data_dir


class Served:
    """The server and its data directory, with an article of the seeds that matches cyber."""

    def __init__(self, server, data_dir: Path) -> None:
        self.server, self.data_dir = server, data_dir
        status, _, body = self.get("/api/search?q=cyber")
        assert status == 200, body
        self.article_id = json.loads(body)["hits"][0]["id"]
        self.article = f"/articles/{self.article_id}/"

    def get(self, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        return self.server.get(path, **headers)


def assert_no_paths(served: Served, body: bytes) -> None:
    text = body.decode(errors="replace")
    assert str(served.data_dir) not in text and "/tmp/" not in text and "/root" not in text


def assert_every_search_answers_503_naming_the_repair(served: Served) -> None:
    """From every worker, not only the one asked first: the search page, its htmx region, the
    API and the health check; what needs only the database goes on answering."""
    for _ in range(WARM_ROUNDS // 2):
        status, headers, page = served.get("/?q=cyber")
        assert (status, headers["Retry-After"]) == (503, "5")
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
        report = json.loads(body)
        assert (status, report["database"], report["status"]) == (503, "ok", "unavailable")
        assert REPAIR in report["index"]
        assert_no_paths(served, body)
        status, _, page = served.get(served.article)
        assert status == 200 and b"Similar articles are unavailable right now" in page
        status, _, body = served.get(f"/api/articles/{served.article_id}")
        assert status == 200 and json.loads(body)["more_like_this"] == []
        assert served.get("/saved/")[0] == 200


def assert_everything_answers(served: Served) -> None:
    """From every worker: searches, the article, the saved searches, the health check."""
    for _ in range(WARM_ROUNDS // 2):
        for path in ["/?q=cyber", served.article, "/api/search?q=cyber", "/saved/", "/healthz"]:
            assert served.get(path)[0] == 200, path
