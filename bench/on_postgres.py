"""The benchmark's PostgreSQL column: the same corpus and query mix with SEARCH_ENGINE=postgres.

bench/run.py calls ``measure_postgres`` for each size before the embedded engine's steps. It
starts its own throwaway server the way the tests do (``tests/postgres.py``), but durable
(fsync and synchronous commit on, as a production server runs), with ``shared_buffers`` a
production server of this machine's size would have, then: migrate and load the seeds, import
the corpus end to end (the triggers index each article in its transaction), rebuild, run the
query mix through the app (``bench/measure.py app``), time save-to-searchable, and stop and
delete the server. The server's own memory is not in the RSS figures (it is not a child).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import psycopg

from tests.postgres import ClusterUnavailable, new_cluster

ROOT = Path(__file__).resolve().parent.parent

# A production-like server for this 2-core, 23 GB machine (the tests' throwaway one is not
# durable, which would flatter the import).
SERVER_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "maintenance_work_mem": "512MB",
    "max_wal_size": "4GB",
}


def database_counts(url: str) -> dict:
    with psycopg.connect(url) as connection:
        articles = connection.execute("SELECT count(*) FROM search_article").fetchone()[0]
        index_bytes = connection.execute(
            "SELECT pg_total_relation_size('search_engine_entry')"
            " + pg_total_relation_size('search_engine_word')"
        ).fetchone()[0]
        database_bytes = connection.execute(
            "SELECT pg_database_size(current_database())"
        ).fetchone()[0]
    return {
        "articles": articles,
        "index_mb": round(index_bytes / 2**20, 1),
        "database_mb": round(database_bytes / 2**20, 1),
    }


def measure_postgres(
    *,
    corpus: Path,
    data_dir: Path,
    env: dict,
    rounds: int,
    step: Callable[[list[str], dict], dict],
    manage: Callable[..., list[str]],
    measure: Callable[..., list[str]],
    log: Callable[[str], None],
    save: Callable[[dict], None],
    keep: bool = False,
) -> dict:
    """The PostgreSQL column for one size; ``save`` is called with what is measured so far."""
    try:
        cluster = new_cluster(SERVER_SETTINGS)
    except ClusterUnavailable as error:
        log(f"postgres: skipped ({error})")
        return {"skipped": str(error)}
    result: dict = {"server_settings": SERVER_SETTINGS}
    try:
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE newsroom")
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        url = cluster.url()
        pg_env = {
            **env,
            "NEWSROOM_DATA_DIR": str(data_dir),
            "DATABASE_URL": url,
            "SEARCH_ENGINE": "postgres",
        }
        run = lambda command: subprocess.run(  # noqa: E731
            command, env=pg_env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT
        )
        run(manage("migrate", "-v0"))
        run(manage("load_seeds", "-v0"))
        seeds = database_counts(url)["articles"]
        log("postgres: importing")
        imported = step(manage("import_articles", str(corpus), "-v0"), pg_env)
        imported["articles"] = database_counts(url)["articles"] - seeds
        imported["articles_per_s"] = round(imported["articles"] / imported["seconds"], 1)
        result["import"] = imported
        save(result)
        log(f"postgres import: {imported['articles_per_s']}/s")
        rebuilt = step(manage("rebuild_index", "-v0"), pg_env)
        counts = database_counts(url)
        rebuilt["articles"] = counts["articles"]
        rebuilt["articles_per_s"] = round(counts["articles"] / rebuilt["seconds"], 1)
        rebuilt["index_mb"], rebuilt["database_mb"] = counts["index_mb"], counts["database_mb"]
        result["rebuild"] = rebuilt
        save(result)
        log(f"postgres rebuild: {rebuilt['articles_per_s']}/s, {rebuilt['index_mb']} MB")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")  # as autovacuum would have by now
        log("postgres: searching")
        searched = step(measure("app", f"--rounds={rounds}"), pg_env)
        searched.update(json.loads(searched.pop("stdout")))
        result["app"] = searched
        save(result)
        fresh = step(measure("freshness", "--rounds=5"), pg_env)
        fresh.update(json.loads(fresh.pop("stdout")))
        result["freshness"] = fresh
        save(result)
    finally:
        if keep:  # for EXPLAIN ANALYZE on the benchmark's data; stop it with pg_ctl
            log(f"postgres: left running at {cluster.url()} (data in {cluster.data})")
        else:
            cluster.stop()
    return result
