"""Every fault a clear answer, from every worker: a real `dev.py serve`, warmed, under threads
(gthread, the default) and under processes (sync workers).

One server per worker model, on its own copy of the data directory; each test causes one
fault, checks what every kind of request answers, and repairs it the way an operator would
(``check_index --repair`` for the index, the file put back for the database). The server runs
in a mount namespace of its own with the data directory bound onto itself, so a test can make
it read-only while it serves (the suite runs as root, whom file modes do not stop).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests import index_damage, served_faults
from tests.operations.test_unavailable import csrf_form, post_save
from tests.served_faults import (
    HTMX,
    NOTICED_AFTER_SECONDS,
    WARM_ROUNDS,
    WORKER_MODELS,
    assert_every_search_answers_503_naming_the_repair,
    assert_everything_answers,
    assert_no_paths,
    copy_of,
    manage,
)

pytest_plugins = ["tests.servers"]

EDITOR, EDITOR_PASSWORD = "editor", "a long editor passphrase"
ADMIN_PAGES = ["/admin/", "/admin/search/article/", "/admin/search/savedsearch/"]


def mount_namespace_available() -> bool:
    if not shutil.which("unshare") or not shutil.which("nsenter"):
        return False
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    return probe.returncode == 0


class Served(served_faults.Served):
    """The server, its data directory, and what a test needs to hurt and heal it."""

    def __init__(self, server, data_dir: Path, in_namespace: bool) -> None:
        super().__init__(server, data_dir)
        self.in_namespace = in_namespace

    def sign_in(self) -> None:
        """An editor's session cookie, as the admin's sign-in form gives it."""
        cookie, token = csrf_form(self.server, "/admin/login/")
        form = urlencode(
            {"csrfmiddlewaretoken": token, "username": EDITOR, "password": EDITOR_PASSWORD}
        )
        status, headers, _ = self.server.request(
            "POST",
            "/admin/login/?next=/admin/",
            body=form.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            },
        )
        assert status == 302, "the editor signs in"
        self.session = re.search(r"sessionid=([^;]+)", headers["Set-Cookie"]).group(1)

    def get_signed_in(self, path: str) -> tuple[int, dict, bytes]:
        return self.server.get(path, Cookie=f"sessionid={self.session}")

    @property
    def database(self) -> Path:
        return self.data_dir / "newsroom.sqlite3"

    def warm(self) -> None:
        for _ in range(WARM_ROUNDS):
            for path in ["/?q=cyber", "/?q=oil", self.article, "/api/search?q=cyber", "/healthz"]:
                assert self.get(path)[0] == 200, path
            for path in ADMIN_PAGES:
                assert self.get_signed_in(path)[0] == 200, path

    def segment(self) -> Path:
        return next((self.data_dir / "index").glob("gen-*/*.seg"))

    def toc(self) -> Path:
        return next((self.data_dir / "index").glob("gen-*/*.toc"))

    def repair_index(self) -> None:
        manage(self.data_dir, "check_index", "--repair")

    def remount(self, option: str) -> None:
        """Remounts the data directory in the server's mount namespace (ro or rw). A mount
        with a file open for writing cannot become read-only (EBUSY): SQLite closes its
        connections after each request, so the next try finds none open."""
        command = ["nsenter", "--target", str(self.server.process.pid), "--mount"]
        command += ["mount", "-o", f"remount,bind,{option}", str(self.data_dir)]
        for _ in range(50):
            completed = subprocess.run(command, capture_output=True, text=True)
            if completed.returncode == 0:
                return
            time.sleep(0.1)
        raise AssertionError(completed.stderr)


@pytest.fixture(scope="module", params=list(WORKER_MODELS))
def served(request, seeded_data_dir, tmp_path_factory):
    from tests.servers import start_server  # a plugin here: pytest imports it first

    base = tmp_path_factory.mktemp(f"faults-{request.param}")
    data_dir = copy_of(seeded_data_dir, base)
    manage(
        data_dir,
        "createsuperuser",
        "--noinput",
        DJANGO_SUPERUSER_USERNAME=EDITOR,
        DJANGO_SUPERUSER_EMAIL="editor@example.org",
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
    )
    in_namespace = mount_namespace_available()
    wrapper = []
    if in_namespace:
        script = 'mount --bind "$0" "$0" && exec "$@"'
        wrapper = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script]
        wrapper.append(str(data_dir))
    environment = {**WORKER_MODELS[request.param], "NEWSROOM_SQLITE_TIMEOUT": "1"}
    server = start_server(data_dir, base, wrapper=wrapper, **environment)
    try:
        served = Served(server, data_dir, in_namespace)
        served.sign_in()
        served.warm()
        yield served
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("which_file", "damage"),
    [
        pytest.param("segment", index_damage.truncate, id="truncated-segment"),
        pytest.param("segment", Path.unlink, id="deleted-segment"),
        pytest.param("toc", index_damage.truncate, id="truncated-toc"),
        pytest.param("segment", index_damage.garbage_in_the_middle, id="garbage-inside"),
    ],
)
def test_a_damaged_index_is_a_503_for_every_search_and_pages_of_the_database_answer(
    served, which_file, damage
):
    damage(getattr(served, which_file)())
    time.sleep(NOTICED_AFTER_SECONDS)
    try:
        assert_every_search_answers_503_naming_the_repair(served)
        for _ in range(WARM_ROUNDS // 2):
            for path in ADMIN_PAGES:
                assert served.get_signed_in(path)[0] == 200, path
    finally:
        served.repair_index()
    assert_everything_answers(served)


def move_database_away(served: Served) -> None:
    served.database.rename(served.database.with_name("moved-away"))


def put_database_back(served: Served) -> None:
    served.database.with_name("moved-away").rename(served.database)


def fill_database_with_garbage(served: Served) -> None:
    original = served.database.read_bytes()
    served.database.with_name("original").write_bytes(original)
    served.database.write_bytes(os.urandom(len(original)))


def put_original_back(served: Served) -> None:
    served.database.with_name("original").replace(served.database)


def replace_database_with_an_empty_file(served: Served) -> None:
    move_database_away(served)
    served.database.write_bytes(b"")


@pytest.mark.parametrize(
    ("fault", "repair", "message"),
    [
        pytest.param(move_database_away, put_database_back, b"cannot be opened", id="missing"),
        pytest.param(fill_database_with_garbage, put_original_back, b"is damaged", id="garbage"),
        pytest.param(
            replace_database_with_an_empty_file, put_database_back, b"holds no tables", id="empty"
        ),
    ],
)
def test_a_missing_or_damaged_database_is_a_503_everywhere(served, fault, repair, message):
    fault(served)
    try:
        for _ in range(WARM_ROUNDS // 2):
            for path in ["/?q=cyber", served.article, "/saved/"]:
                status, headers, page = served.get(path)
                assert (status, headers["Retry-After"]) == (503, "5"), path
                assert message in page and b"manage.py restore" in page, path
                assert_no_paths(served, page)
            status, _, page = served.get_signed_in("/admin/search/article/")
            assert status == 503 and message in page  # the session is read in a middleware
            # A search whose hits' rows must be read. (One that matches nothing may answer from
            # the index alone once a worker has the facet names cached: nothing it shows is lost.)
            status, _, partial = served.get("/?q=cyber", **HTMX)
            assert status == 503 and message in partial
            assert not partial.lstrip().startswith(b"<!doctype")
            for path in ["/api/search?q=cyber", f"/api/articles/{served.article_id}"]:
                status, headers, body = served.get(path)
                assert (status, headers["Content-Type"]) == (503, "application/json"), path
                assert message.decode() in json.loads(body)["error"]
                assert_no_paths(served, body)
            status, headers, body = served.get("/healthz")
            assert (status, headers["Content-Type"]) == (503, "application/json")
            assert json.loads(body)["status"] == "unavailable"
            assert_no_paths(served, body)
            # With a session, the fault is met in a middleware, before the health view.
            status, headers, body = served.get_signed_in("/healthz")
            assert (status, headers["Content-Type"]) == (503, "application/json")
            assert json.loads(body)["status"] == "unavailable"
    finally:
        repair(served)
    assert_everything_answers(served)


def test_a_database_locked_for_too_long_is_a_503_and_then_answers(served):
    holder = sqlite3.connect(served.database, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")  # readers are shut out too, not only writers
    holder.execute("BEGIN EXCLUSIVE")
    try:
        status, headers, page = served.get("/?q=cyber")
        assert (status, headers["Retry-After"]) == (503, "5")
        assert b"busy with another change" in page
        status, _, body = served.get("/api/search?q=cyber")
        assert status == 503 and "busy" in json.loads(body)["error"]
        status, _, body = served.get("/healthz")
        assert (status, json.loads(body)["status"]) == (503, "unavailable")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert_everything_answers(served)


def test_a_data_dir_made_read_only_while_serving_serves_reads_and_refuses_writes(served):
    if not served.in_namespace:
        pytest.skip("no mount namespace here (unshare/nsenter): cannot make a read-only mount")
    served.remount("ro")
    try:
        for _ in range(WARM_ROUNDS // 2):
            assert_everything_answers(served)
            assert served.get("/?q=oil", **HTMX)[0] == 200
            assert served.get(f"/api/articles/{served.article_id}")[0] == 200
            for path in ADMIN_PAGES:
                assert served.get_signed_in(path)[0] == 200, path
        status, headers, page = post_save(served.server)
        assert (status, headers["Retry-After"]) == (503, "5")
        assert b"read-only right now, so nothing can be saved" in page
        status, _, body = post_save(served.server, accept="application/json")
        assert status == 503 and "read-only" in json.loads(body)["error"]
    finally:
        served.remount("rw")
    assert post_save(served.server)[0] == 302, "writes go through once it is writable again"
    assert_everything_answers(served)


def test_api_errors_are_json_and_pages_html(served):
    status, headers, body = served.get("/api/no-such-endpoint")
    assert (status, headers["Content-Type"]) == (404, "application/json")
    assert "error" in json.loads(body)
    status, headers, body = served.server.request("OPTIONS", "/api/search?q=cyber")
    assert (status, headers["Content-Type"]) == (405, "application/json")
    assert json.loads(body) == {"error": "This address answers GET, HEAD only."}
    status, headers, body = served.server.request("POST", "/api/search?q=cyber")
    assert (status, headers["Content-Type"]) == (403, "application/json")  # no CSRF token
    assert "CSRF" in json.loads(body)["error"]
    status, headers, _ = served.get("/no-such-page/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    # A bug of ours (a table the API reads is gone from a migrated database): a 500, in JSON
    # under /api/ and as a page elsewhere, with its traceback in the log.
    with sqlite3.connect(served.database) as database:
        database.execute("ALTER TABLE search_topic RENAME TO moved_away")
    try:
        status, headers, body = served.get("/api/search?q=cyber")
        assert (status, headers["Content-Type"]) == (500, "application/json")
        assert json.loads(body)["error"].startswith("Something went wrong on our side")
        status, headers, page = served.get("/?q=cyber")
        assert status == 500 and b"Something went wrong" in page and b"moved_away" not in page
    finally:
        with sqlite3.connect(served.database) as database:
            database.execute("ALTER TABLE moved_away RENAME TO search_topic")
    assert "no such table: search_topic" in served.server.stderr()
    assert_everything_answers(served)
