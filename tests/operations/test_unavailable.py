"""A busy, read-only or unreachable database answers 503 with what happened (real servers,
real SQLite, a real PostgreSQL)."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
from urllib.parse import urlencode

import pytest

from tests.tooling import skip_or_fail

pytest_plugins = ["tests.servers"]


def csrf_form(server, path: str) -> tuple[str, str]:
    """The CSRF cookie and token a browser would get with the form (no database write)."""
    status, headers, body = server.get(path)
    assert status == 200
    cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def post_save(server, *, accept: str = "text/html") -> tuple[int, dict, bytes]:
    cookie, token = csrf_form(server, "/saved/new/?q=cyber")
    form = urlencode({"csrfmiddlewaretoken": token, "name": "Cyber", "query_string": "q=cyber"})
    return server.request(
        "POST",
        "/saved/new/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookie}",
            "Accept": accept,
        },
    )


def test_a_write_waiting_on_a_locked_database_answers_503_and_reads_go_on(serve, data_dir_copy):
    server = serve(data_dir_copy, NEWSROOM_SQLITE_TIMEOUT="0.5")
    holder = sqlite3.connect(data_dir_copy / "newsroom.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        status, headers, body = post_save(server)
        assert status == 503
        assert headers["Retry-After"] == "5"
        assert b"busy with another change" in body
        status, _, body = post_save(server, accept="application/json")
        assert status == 503
        assert json.loads(body) == {
            "error": "The archive is busy with another change; please try again in a moment."
        }
        # Readers are not blocked by a writer (WAL).
        assert server.get("/?q=cyber")[0] == 200
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    status, headers, _ = post_save(server)
    assert status == 302, "the same save goes through once the lock is released"
    assert "answered 503: database is locked" in server.stderr()
    assert "Traceback" not in server.stderr()


@pytest.fixture
def read_only_mount():
    """Runs the server in its own mount namespace where the data dir is bound read-only.

    Tests run as root, whom file modes do not stop; a read-only mount stops root too (EROFS).
    """
    if not shutil.which("unshare"):
        skip_or_fail("`unshare` (util-linux) is missing: it makes the read-only mount")
    probe = subprocess.run(
        ["unshare", "--mount", "--propagation", "private", "true"], capture_output=True
    )
    if probe.returncode:
        skip_or_fail(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")

    def wrapper(data_dir) -> list[str]:
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"'
        return ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, str(data_dir)]

    return wrapper


def test_a_read_only_data_dir_serves_reads_and_refuses_writes_with_503(
    serve, data_dir_copy, read_only_mount
):
    server = serve(data_dir_copy, wrapper=read_only_mount(data_dir_copy))
    assert "The data directory is read-only" in server.stdout()
    status, _, body = server.get("/healthz")
    assert (status, json.loads(body)["status"]) == (200, "ok")
    status, _, page = server.get("/?q=cyber")
    assert status == 200
    article = re.search(rb'href="(/articles/\d+/)[^"]*"', page).group(1).decode()
    for path in [article, "/saved/", "/api/search?q=cyber", "/api/articles/1"]:
        assert server.get(path)[0] == 200, path
    status, _, body = post_save(server)
    assert status == 503 and b"read-only right now" in body
    assert "Traceback" not in server.stderr()


@pytest.fixture
def own_postgres():
    """A PostgreSQL server of this test's own, which the test may stop and start again."""
    from tests.postgres import start_cluster

    cluster = start_cluster()
    yield cluster
    cluster.stop()


@pytest.mark.parametrize(
    "workers",
    [{}, {"GUNICORN_CMD_ARGS": "--worker-class sync"}],
    ids=["threads", "processes"],
)
def test_a_postgresql_server_that_goes_down_is_a_503_and_service_resumes_when_it_is_back(
    serve, tmp_path, own_postgres, workers
):
    server = serve(
        tmp_path / "node",
        DATABASE_URL=own_postgres.url("postgres"),
        SEARCH_ENGINE="postgres",
        NEWSROOM_PRIVATE="1",
        **workers,
    )
    bearer = {"Authorization": "Bearer nrt_revoked-or-never-made"}  # looked up
    assert server.get("/api/search?q=cyber", **bearer)[0] == 401
    pg_ctl = str(own_postgres.binaries / "pg_ctl")
    own_postgres.run(pg_ctl, "-D", str(own_postgres.data), "-m", "fast", "stop")

    # A token is looked up in a middleware, outside any view: still a 503, not a 500.
    status, headers, body = server.get("/api/search?q=cyber", **bearer)
    assert (status, headers["Retry-After"]) == (503, "5")
    assert json.loads(body) == {
        "error": "The archive's database cannot be reached right now; please try again shortly."
    }
    # A browser's session is read in a middleware too.
    status, _, page = server.get("/", Cookie="sessionid=a-session-of-a-signed-in-reader")
    assert status == 503 and b"cannot be reached right now" in page
    assert str(own_postgres.directory).encode() not in page  # no host or socket path shown
    # The health check answers in its own JSON, the index being in that database too.
    status, headers, body = server.get("/healthz")
    assert (status, headers["Content-Type"]) == (503, "application/json")
    assert json.loads(body) == {
        "status": "unavailable",
        "database": "The archive's database cannot be reached right now; please try again shortly.",
        "index": "not checked",
    }
    status, _, partial = server.get(
        "/?q=cyber", Cookie="sessionid=a-session-of-a-signed-in-reader", **{"HX-Request": "true"}
    )
    assert status == 503 and b"cannot be reached right now" in partial
    assert not partial.lstrip().startswith(b"<!doctype")

    own_postgres.start(initialise=False)
    assert server.get("/api/search?q=cyber", **bearer)[0] == 401
    assert server.get("/", Cookie="sessionid=a-session-of-a-signed-in-reader")[0] == 302
