"""What collapsing copies of a story costs a search on the tantivy engine, in-process.

    .venv/bin/python bench/tantivy_collapse.py bench/out/data-10000 [--share 0.1] [--rounds 5]

Copies the data dir's SQLite database into a temporary directory (the original and its index
are never touched), puts ``share`` of its articles in stories of two to four copies as the
near-duplicate detector would (``collapse_cost.cluster_share``), rebuilds a tantivy index of
it, then searches the benchmark's query mix (``bench/queries.py``) once collapsed (the
default) and once with every copy (``copies=all``: nothing collapsed or counted as stories),
interleaved query by query so a busy spell slows both alike: p50/p95 of each, and of a count
(``per_page=0``, the desk's batches: stories and first/last dates), by the wall clock and by
this process's CPU time (steadier on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def percentiles(took: list[float]) -> str:
    took = sorted(took)
    return f"p50 {took[len(took) // 2]:.1f} ms, p95 {took[int(len(took) * 0.95)]:.1f} ms"


def timed_mix(*, rounds: int) -> dict[str, list[float]]:
    from queries import MIX

    from search import engine
    from search.query import SearchQuery

    took: dict[str, list[float]] = {}
    for _ in range(rounds):
        for bench_query in MIX:
            filters = {
                "q": bench_query.q,
                "ministers": bench_query.ministers,
                "topics": bench_query.topics,
                "years": bench_query.years,
                "sort": bench_query.sort,
            }
            variants = {
                "collapsed": SearchQuery(page=bench_query.page, **filters),
                "every copy": SearchQuery(page=bench_query.page, every_copy=True, **filters),
                "count": SearchQuery(per_page=0, **filters),
            }
            for name, search_query in variants.items():
                started, cpu = time.perf_counter(), time.process_time()
                engine.search(search_query)
                took.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                took.setdefault(f"{name} (CPU)", []).append((time.process_time() - cpu) * 1000)
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--share", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-tantivy-collapse-") as copy:
        shutil.copy(args.data_dir / "newsroom.sqlite3", Path(copy) / "newsroom.sqlite3")
        os.environ.update(
            NEWSROOM_DATA_DIR=copy, NEWSROOM_INDEX_DIR=f"{copy}/index", SEARCH_ENGINE="tantivy"
        )
        os.environ.pop("DATABASE_URL", None)
        from collapse_cost import cluster_share

        placed = cluster_share(Path(copy), args.share)
        import django

        django.setup()
        from django.core.management import call_command

        from search.operations import index_sync

        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        index_sync.rebuild_index()
        print(
            f"{placed} articles placed in stories; rebuilt in {time.perf_counter() - started:.1f} s"
        )
        took = timed_mix(rounds=args.rounds)
        for name, times in took.items():
            print(f"{name}: {len(times)} searches, {percentiles(times)}")
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
