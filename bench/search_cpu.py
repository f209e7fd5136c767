"""The CPU each search of the benchmark's query mix costs the app, through its JSON API in-process.

    .venv/bin/python bench/search_cpu.py bench/out/data-1000000 [--engine tantivy] [--rounds 5]

Django's test client on the data dir (read only: no save), a warm-up pass, then ``rounds``
interleaved passes; per query the median of this process's CPU time (steadier than the wall
clock on a shared machine: tantivy searches in the calling thread) and of the wall clock, and
what it found (total, first hits), to compare two versions of the code query by query
(``--root`` another checkout). On tantivy the story table is read at once (``SETTLED`` 0), as
it is once a commit has settled.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--engine", default="tantivy")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--root", type=Path, default=BENCH.parent, help="the checkout to run")
    arguments = parser.parse_args()
    os.environ.update(
        NEWSROOM_DATA_DIR=str(arguments.data_dir.resolve()),
        SEARCH_ENGINE=arguments.engine,
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        ALLOWED_HOSTS="testserver,localhost",
        LOG_LEVEL="WARNING",
    )
    sys.path[:0] = [str(arguments.root.resolve()), str(BENCH)]
    import django

    django.setup()
    if arguments.engine == "tantivy":
        try:
            from search.engine.tantivy import story_table
        except ImportError:  # a checkout from before the story table
            pass
        else:
            story_table.SETTLED = 0.0
    from django.test import Client
    from queries import MIX

    client = Client()
    urls = {query.name: "/api/search?" + urlencode(query.params()) for query in MIX}
    for url in urls.values():
        client.get(url)
    cpu: dict[str, list[float]] = {name: [] for name in urls}
    wall: dict[str, list[float]] = {name: [] for name in urls}
    found = {}
    for _ in range(arguments.rounds):
        for name, url in urls.items():
            started, used = time.perf_counter(), time.process_time()
            answer = client.get(url).json()
            wall[name].append((time.perf_counter() - started) * 1000)
            cpu[name].append((time.process_time() - used) * 1000)
            found[name] = (answer.get("total"), [hit["id"] for hit in answer.get("hits", [])[:3]])
    print(f"load average {os.getloadavg()[0]:.2f}; medians of {arguments.rounds} rounds (ms)")
    for name in urls:
        total, first = found[name]
        print(
            f"{name:32} CPU {statistics.median(cpu[name]):7.1f}"
            f"  wall {statistics.median(wall[name]):7.1f}  total {total}  first {first}"
        )


if __name__ == "__main__":
    main()
