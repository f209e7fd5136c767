"""An import killed with SIGKILL halfway: its cleaning processes end by themselves, each batch
is in the archive whole or not at all, and the same import run again finishes it, with the
index in step with the database."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import psutil

from search.ingest.importing import BATCH_SIZE
from tests.tooling import ROOT

# The data directory fixtures (seeded_data_dir, data_dir_copy) live in tests/servers.py.
pytest_plugins = ["tests.servers"]

BATCH = BATCH_SIZE  # one transaction each
ARTICLES = 2 * BATCH + BATCH // 2  # killed after the first batch, before the last


def article_count(data_dir: Path) -> int:
    uri = f"{(data_dir / 'newsroom.sqlite3').as_uri()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as connection:
        return connection.execute("SELECT count(*) FROM search_article").fetchone()[0]


def write_reports(path: Path) -> None:
    with path.open("w") as stream:
        for number in range(ARTICLES):
            body = " ".join(
                f"Report {number} from the river port, part {part}: barges, grain prices and "
                f"the lock keepers' strike on day {number % 17} of the dispute."
                for part in range(5)
            )
            record = {
                "title": f"River port report {number}",
                "body": body,
                "url": f"https://river.example.org/report-{number}",
                "published": "2024-05-06",
            }
            stream.write(json.dumps(record) + "\n")


def manage(data_dir: Path, *args: str, **options) -> subprocess.Popen:
    from tests.servers import PYTHON, server_environment  # a plugin: imported late

    return subprocess.Popen(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=server_environment(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def test_an_import_killed_halfway_keeps_whole_batches_and_finishes_when_run_again(
    data_dir_copy, tmp_path
):
    corpus = tmp_path / "river.jsonl"
    write_reports(corpus)
    seeds = article_count(data_dir_copy)
    importing = manage(data_dir_copy, "import_articles", str(corpus), "--procs", "2", "-v0")
    try:
        deadline = time.monotonic() + 240
        while article_count(data_dir_copy) == seeds:
            assert importing.poll() is None, importing.communicate()
            assert time.monotonic() < deadline, "the import committed nothing in 4 minutes"
            time.sleep(0.05)
        children = psutil.Process(importing.pid).children(recursive=True)
        os.kill(importing.pid, signal.SIGKILL)
        importing.wait()
    finally:
        if importing.poll() is None:
            importing.kill()
            importing.wait()
    assert children, "the import cleaned in no worker process"
    _gone, alive = psutil.wait_procs(children, timeout=60)
    assert not alive, "worker processes outlived the killed import"

    committed = article_count(data_dir_copy) - seeds
    assert 0 < committed < ARTICLES
    assert committed % BATCH == 0  # no batch half-written

    code, output = finished(manage(data_dir_copy, "import_articles", str(corpus)))
    assert code == 0, output
    assert f"{ARTICLES - committed} imported, 0 updated, {committed} unchanged" in output
    assert article_count(data_dir_copy) == seeds + ARTICLES
    code, output = finished(manage(data_dir_copy, "check_index"))
    assert (code, "The search index matches the database.") == (0, output.strip().splitlines()[-1])
