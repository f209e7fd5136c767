"""The PostgreSQL import on its own, with or without the RUM index of positions: the server of
``bench/on_postgres.py`` (durable, production settings), migrate, the seeds, then
``import_articles`` of a corpus, timed end to end, with the entry table's row writes.

    .venv/bin/python bench/pg_import.py bench/out/corpus-10000 [--rum] [--checkout DIR]

``--checkout`` runs another checkout's ``manage.py`` (e.g. a ``git worktree`` of older code)
with this one's virtualenv, to measure before and after a change on the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.on_postgres import SERVER_SETTINGS  # noqa: E402
from tests.postgres import new_cluster  # noqa: E402

ENTRY_WRITES = (
    "SELECT n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
    " WHERE relname = 'search_engine_entry'"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--rum", action="store_true")
    parser.add_argument("--checkout", type=Path, default=ROOT)
    args = parser.parse_args()
    cluster = new_cluster(SERVER_SETTINGS)
    try:
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE newsroom")
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            if args.rum:  # before migrate: migration 0014 then makes the RUM index
                connection.execute("CREATE EXTENSION rum")
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url(),
            "SEARCH_ENGINE": "postgres",
            "NEWSROOM_DATA_DIR": tempfile.mkdtemp(prefix="pg-import-"),
        }

        def manage(*command: str) -> None:
            subprocess.run(
                [sys.executable, str(args.checkout / "manage.py"), *command],
                env=env,
                check=True,
                cwd=args.checkout,
            )

        manage("migrate", "-v0")
        manage("load_seeds", "-v0")
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            seeds = connection.execute("SELECT count(*) FROM search_article").fetchone()[0]
            before = connection.execute(ENTRY_WRITES).fetchone()
        started = time.perf_counter()
        manage("import_articles", str(args.corpus.resolve()), "-v0")
        seconds = time.perf_counter() - started
        time.sleep(1)  # the statistics collector reports within 0.5 s
        with psycopg.connect(cluster.url(), autocommit=True) as connection:
            articles = connection.execute("SELECT count(*) FROM search_article").fetchone()[0]
            after = connection.execute(ENTRY_WRITES).fetchone()
            rum = connection.execute(
                "SELECT count(*) FROM pg_indexes WHERE indexdef LIKE '%USING rum%'"
            ).fetchone()[0]
        imported = articles - seeds
        print(
            json.dumps(
                {
                    "checkout": str(args.checkout),
                    "rum_indexes": rum,
                    "articles": imported,
                    "seconds": round(seconds, 1),
                    "articles_per_s": round(imported / seconds, 1),
                    "entry_inserts": after[0] - before[0],
                    "entry_updates": after[1] - before[1],
                    "entry_hot_updates": after[2] - before[2],
                }
            )
        )
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
