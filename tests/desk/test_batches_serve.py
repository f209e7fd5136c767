"""Batches for real: `dev.py serve` starts the runner beside gunicorn and it answers a batch a
script posts; the runner stops with the server; a runner killed with SIGKILL mid-batch loses
no answered row, and the next one finishes the batch."""

from __future__ import annotations

import http.client
import json
import signal
import sqlite3
import subprocess
import time

import psutil

from tests.servers import PYTHON, ROOT, manage, server_environment

# The server fixtures (data_dir_copy, serve) live in tests/servers.py.
pytest_plugins = ["tests.servers"]

MAKE_TOKEN = """
from django.contrib.auth.models import User
from search.accounts.api_tokens import api_token_create
user = User.objects.create_user("scripter", password="a long enough password")
open({path!r}, "w").write(api_token_create(user=user, name="tests")[1])
"""


def api_token(data_dir) -> str:
    path = data_dir / "token.txt"
    manage(data_dir, "shell", "-c", MAKE_TOKEN.format(path=str(path)))
    return path.read_text()


def call(server, method: str, path: str, token: str, body: dict | None = None) -> tuple:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    connection.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def runners(process_id: int) -> list[psutil.Process]:
    children = psutil.Process(process_id).children()
    return [child for child in children if "run_batches" in child.cmdline()]


def finished(server, token: str, batch_id: int) -> dict | None:
    _status, batch = call(server, "GET", f"/api/batch/{batch_id}", token)
    return batch if batch["status"] == "done" else None


def until(condition, *, seconds: float = 60.0):
    """Wait (bounded) for what another process does; returns its last answer."""
    deadline = time.monotonic() + seconds
    while not (answer := condition()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return answer


def test_serve_runs_a_posted_batch_and_stops_its_runner_with_it(data_dir_copy, serve):
    token = api_token(data_dir_copy)
    server = serve(data_dir_copy)
    [runner] = runners(server.process.pid)
    assert "Running batch searches in the background" in server.stdout()
    status, created = call(
        server, "POST", "/api/batch", token, {"queries": ["india", "cyber", "zzzzunfindable"]}
    )
    assert status == 201, created
    batch = until(lambda: finished(server, token, created["id"]))
    assert [row["query"] for row in batch["rows"]] == ["india", "cyber", "zzzzunfindable"]
    assert batch["rows"][0]["matches"] > 0 and batch["rows"][2]["matches"] == 0
    server.stop()
    _gone, alive = psutil.wait_procs([runner], timeout=30)
    assert alive == [], "the runner ends with the server that started it"


def batch_state(data_dir) -> tuple[str, list]:
    database = sqlite3.connect(data_dir / "newsroom.sqlite3")
    try:
        status, rows = database.execute("SELECT status, rows FROM search_batchsearch").fetchone()
        return status, json.loads(rows)
    finally:
        database.close()


HOLD_THE_COSTLY_SLOT = """
import sys, time
from search.engine.costly import costly_search_slot
with costly_search_slot():
    print("held", flush=True)
    time.sleep(300)
"""


def test_a_runner_killed_mid_batch_loses_nothing(data_dir_copy):
    # The runner is caught mid-batch for sure, however fast the machine: another process holds
    # the one costly-search slot, so the runner answers the 30 ordinary queries, saves them
    # while it waits for the first prefix (answered "busy" after its attempts), then waits
    # again at the second prefix, where it is killed.
    words = ["india", "cyber", "space", "japan", "security", "rail"]
    ordinary = [f"{a} {b}" for a in words for b in words][:30]
    queries = [*ordinary, "ind*", "sec*", *ordinary[:10]]
    manage(
        data_dir_copy,
        "shell",
        "-c",
        "from django.contrib.auth.models import User\n"
        "from search.desk import batches\n"
        "from search.query import SearchQuery\n"
        "user = User.objects.create_user('killed', password='a long enough password')\n"
        f"batches.batch_create(user=user, queries=[{{'query': q, 'label': ''}} for q in {queries!r}], filters=SearchQuery())\n",  # noqa: E501
    )
    environment = {
        **server_environment(data_dir_copy),
        "NEWSROOM_COSTLY_SEARCH_SLOTS": "1",
        "NEWSROOM_COSTLY_SEARCH_WAIT": "0.5",
    }
    holder = subprocess.Popen(
        [str(PYTHON), "manage.py", "shell", "--no-imports", "-c", HOLD_THE_COSTLY_SLOT],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        runner = subprocess.Popen(
            [str(PYTHON), "manage.py", "run_batches", "--nice=0"], cwd=ROOT, env=environment
        )
        try:
            until(lambda: len(batch_state(data_dir_copy)[1]) >= 31)  # past the first prefix
            runner.send_signal(signal.SIGKILL)
            runner.wait(timeout=30)
        finally:
            runner.kill()
    finally:
        holder.kill()
        holder.wait(timeout=30)
    status, saved = batch_state(data_dir_copy)
    assert status == "running" and 31 <= len(saved) < len(queries)
    # The heartbeat stops with the runner; a minute later the next runner takes it over.
    database = sqlite3.connect(data_dir_copy / "newsroom.sqlite3")
    database.execute("UPDATE search_batchsearch SET heartbeat = '2020-01-01 00:00:00'")
    database.commit()
    database.close()
    subprocess.run(
        [str(PYTHON), "manage.py", "run_batches", "--once"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    status, rows = batch_state(data_dir_copy)
    assert status == "done" and [row["query"] for row in rows] == queries
    assert rows[: len(saved)] == saved


def test_an_idle_runner_holds_no_database_file_open(data_dir_copy):
    """An open SQLite connection keeps the database and its WAL files open: a data dir could
    not be remounted read-only, nor an operator take an exclusive lock, while it waited."""
    runner = subprocess.Popen(
        [str(PYTHON), "manage.py", "run_batches", "--nice=0", "--poll-seconds=0.5"],
        cwd=ROOT,
        env=server_environment(data_dir_copy),
    )
    try:
        process = psutil.Process(runner.pid)
        held = []
        for _ in range(30):  # about 9 s: the runner starts (1-2 s), then polls every 0.5 s
            time.sleep(0.3)
            files = [file.path for file in process.open_files()]
            held.append(any("newsroom.sqlite3" in path for path in files))
        assert sum(held) <= 3, f"held open in {sum(held)} of 30 looks"  # only while it looks
    finally:
        runner.kill()
        runner.wait(timeout=30)
