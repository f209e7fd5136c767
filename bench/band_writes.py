"""What an import's near-duplicate keys cost SQLite, by articles a transaction and table shape.

Each imported article adds some eighty keys (``search.stories.near_duplicates.index_keys``) at
random places of one index, looked up first for its candidates. This copies the database of an
imported archive, then writes batches of 200 articles' worth of random keys the way the
importer does (lookup, executemany, commit every ``--per-commit`` batches), and reports the CPU
an article of each part. ``--without-rowid`` first moves the keys into a table keyed by
(key, article) WITHOUT ROWID, the shape a migration could give them.

    .venv/bin/python bench/band_writes.py bench/out/data-100000-tantivy --per-commit 1 5
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np

TABLE = "search_nearduplicateband"
KEYS_AN_ARTICLE = 82  # 32 bands and up to 50 anchors
BATCH = 200
CHUNK = 900  # keys a lookup statement


def copied_database(data_dir: Path, into: Path) -> sqlite3.Connection:
    target = into / "newsroom.sqlite3"
    shutil.copy(data_dir / "newsroom.sqlite3", target)
    db = sqlite3.connect(target, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA cache_size=-65536")  # search.ingest.importing.IMPORT_CACHE_KIB
    return db


def keyed_table(db: sqlite3.Connection) -> str:
    """The keys moved into a table WITHOUT ROWID keyed by (key, article), with an index of
    the articles (for deletes): the table's name."""
    db.execute(
        "CREATE TABLE bands_by_key (key integer NOT NULL, article_id integer NOT NULL,"
        " PRIMARY KEY (key, article_id)) WITHOUT ROWID"
    )
    db.execute(
        f"INSERT OR IGNORE INTO bands_by_key SELECT key, article_id FROM {TABLE}"
        " ORDER BY key, article_id"
    )
    db.execute("CREATE INDEX bands_by_key_article ON bands_by_key (article_id)")
    db.execute(f"DROP TABLE {TABLE}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return "bands_by_key"


def write_batches(db: sqlite3.Connection, table: str, *, batches: int, per_commit: int) -> dict:
    rng = np.random.default_rng(20261207)
    (next_id,) = db.execute("SELECT max(id) + 1 FROM search_article").fetchone()
    spent = {"lookup": 0.0, "insert": 0.0, "commit": 0.0}
    for number in range(batches):
        if number % per_commit == 0:
            db.execute("BEGIN")
        keys = rng.integers(-(2**63), 2**63 - 1, size=BATCH * KEYS_AN_ARTICLE).tolist()
        rows = [(next_id + i // KEYS_AN_ARTICLE, key) for i, key in enumerate(keys)]
        next_id += BATCH
        started = time.process_time()
        wanted = sorted(set(keys))
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            marks = ", ".join("?" * len(chunk))
            db.execute(f"SELECT key, article_id FROM {table} WHERE key IN ({marks})", chunk)
        spent["lookup"] += time.process_time() - started
        started = time.process_time()
        db.executemany(f"INSERT INTO {table} (article_id, key) VALUES (?, ?)", rows)
        spent["insert"] += time.process_time() - started
        started = time.process_time()
        if number % per_commit == per_commit - 1 or number == batches - 1:
            db.execute("COMMIT")
        spent["commit"] += time.process_time() - started
    articles = batches * BATCH
    result = {part: round(1000 * seconds / articles, 3) for part, seconds in spent.items()}
    result["total"] = round(sum(result.values()), 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="a data dir with an imported archive")
    parser.add_argument("--batches", type=int, default=40, help="of 200 articles")
    parser.add_argument("--per-commit", type=int, nargs="+", default=[1, 5])
    parser.add_argument("--without-rowid", action="store_true")
    arguments = parser.parse_args()
    for per_commit in arguments.per_commit:
        with tempfile.TemporaryDirectory(dir=arguments.data_dir.parent) as scratch:
            db = copied_database(arguments.data_dir, Path(scratch))
            table = keyed_table(db) if arguments.without_rowid else TABLE
            (rows,) = db.execute(f"SELECT count(*) FROM {table}").fetchone()
            measured = write_batches(db, table, batches=arguments.batches, per_commit=per_commit)
            db.close()
        shape = "WITHOUT ROWID" if arguments.without_rowid else "rowid table + key index"
        print(
            f"{rows:,} keys, {shape}, {per_commit * BATCH} articles a commit:"
            f" ms of CPU an article {measured}",
            flush=True,
        )


if __name__ == "__main__":
    main()
