"""Phrase searches timed one query at a time through the engine facade (no Django client).

    .venv/bin/python bench/phrase_time.py bench/out/desk-100000 [--rounds 5] [--root CHECKOUT]
        [--budget 100] [--engine whoosh] ['"Indo-Pacific"' ...]

The data dir is only read. Per query: one warm-up search, then the medians of ``rounds`` of
this process's CPU time and of the wall clock, with what it found (total, first hits, cut
short or not) to compare two versions of the code (``--root`` another checkout, e.g. from
``git archive``). ``--budget`` is SEARCH_TIME_BUDGET in seconds (large by default: the whole
cost, not the budget's cut). Note the load average (printed) beside any figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

QUERIES = ['"Indo-Pacific"', '"prime minister"', '"supply chain"', '"people know"']


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("queries", nargs="*", default=QUERIES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=float, default=100.0)
    parser.add_argument("--engine", default="whoosh")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    arguments = parser.parse_intermixed_args()
    os.environ.update(
        NEWSROOM_DATA_DIR=str(arguments.data_dir.resolve()),
        SEARCH_ENGINE=arguments.engine,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        ALLOWED_HOSTS="testserver,localhost",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(arguments.root.resolve()))
    import django

    django.setup()
    from django.conf import settings

    from search import engine
    from search.engine.contract import CUT_SHORT_NOTICE
    from search.query import SearchQuery

    settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": arguments.budget}
    for q in arguments.queries:
        search_query = SearchQuery(q=q)
        results = engine.search(search_query)  # warm-up
        cpu, wall = [], []
        for _ in range(arguments.rounds):
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            results = engine.search(search_query)
            cpu.append((time.process_time() - cpu_started) * 1000)
            wall.append((time.perf_counter() - wall_started) * 1000)
        found = {
            "cpu_ms": round(statistics.median(cpu), 1),
            "wall_ms": round(statistics.median(wall), 1),
            "total": results.total,
            "first": [hit.id for hit in results.hits[:5]],
            "cut_short": CUT_SHORT_NOTICE in results.notices,
        }
        print(q, json.dumps(found), flush=True)
    print("load average", " ".join(f"{load:.2f}" for load in os.getloadavg()))


if __name__ == "__main__":
    main()
