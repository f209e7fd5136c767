"""Queries built to be expensive, against an archive the benchmark built: how long each one
takes alone, and how much four of them running at once slow an ordinary search.

    python bench/hostile.py bench/out/data-10000 [--seconds 20]
    python bench/hostile.py bench/out/data-10000 --served [--runs 3]

Each hostile query runs through the app's engine (``search.engine.search``, what every page
and the API call); the four at once run in four processes, as four server workers would.
With ``--served``, measured as a user meets it instead: ``dev.py serve`` (its defaults) on
127.0.0.1 answers four clients that send the hostile queries to ``/api/search`` back to back
while the ordinary search's page (``/?q=...``) is timed from outside, quiet then loaded, in
each of ``--runs`` runs.
Costly searches take turns (``search/engine/costly.py``): one that finds no free slot in time
is answered "busy", which the report counts.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import multiprocessing
import os
import queue
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
NORMAL = "maritime security"
HOSTILE = [
    "[a TO z]",
    "*?*?*",
    " ".join(f"{letters}*" for letters in ("co", "pr", "st", "re", "de", "in", "ma", "pa")),
    " OR ".join(f"{letters}*" for letters in ("co", "pr", "st", "re", "de", "in", "ma", "pa")),
    " OR ".join(["people", "time", "world", "government", "year", "minister"] * 5),
    '"' + " ".join(["people", "time", "world", "government", "year"] * 6) + '"',
    "(" * 60 + "people" + ")" * 60,
    "x" * 5000,
]


def setup(data_dir: str) -> None:
    os.environ["NEWSROOM_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed(q: str) -> float:
    from search import engine
    from search.query import SearchQuery

    started = time.perf_counter()
    engine.search(SearchQuery(q=q))
    return (time.perf_counter() - started) * 1000


def hammer(data_dir: str, seconds: float, outcomes) -> None:
    from search import engine

    setup(data_dir)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for q in HOSTILE:
            try:
                timed(q)
                outcomes.put("answered")
            except engine.SearchBusy:
                outcomes.put("busy")


def served(data_dir: Path, seconds: float, runs: int) -> dict:
    from serve_probe import Server

    normal = "/?" + urlencode({"q": NORMAL})
    server = Server(data_dir, [])
    try:
        for _ in range(5):  # warm both workers: the index opened, the templates compiled
            server.get(normal)
        measured = []
        for _ in range(runs):
            quiet = [request_ms(server, normal) for _ in range(30)]
            stop = threading.Event()
            counted = collections.Counter()
            clients = [
                threading.Thread(target=hostile_client, args=(server, stop, counted))
                for _ in range(4)
            ]
            for client in clients:
                client.start()
            time.sleep(2)  # the four are sending
            loaded = []
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                loaded.append(request_ms(server, normal))
                time.sleep(0.05)
            stop.set()
            for client in clients:
                client.join()
            measured.append(
                {
                    "quiet median ms": round(statistics.median(quiet), 1),
                    "with 4 hostile clients, median ms": round(statistics.median(loaded), 1),
                    "slowdown": round(statistics.median(loaded) / statistics.median(quiet), 2),
                    "hostile answers by status": dict(counted),
                }
            )
    finally:
        server.stop()
    return {"normal query": normal, "server": "dev.py serve (defaults)", "runs": measured}


def request_ms(server, path: str) -> float:
    started = time.perf_counter()
    status, _, _ = server.get(path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    return (time.perf_counter() - started) * 1000


def hostile_client(server, stop: threading.Event, counted: collections.Counter) -> None:
    while not stop.is_set():
        for q in HOSTILE:
            status, _, _ = server.get("/api/search?" + urlencode({"q": q}))
            counted[status] += 1
            if stop.is_set():
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--served", action="store_true", help="measure on dev.py serve")
    parser.add_argument("--runs", type=int, default=3, help="with --served")
    arguments = parser.parse_args()
    if arguments.served:
        sys.path.insert(0, str(ROOT / "bench"))
        report = served(Path(arguments.data_dir).resolve(), arguments.seconds, arguments.runs)
        print(json.dumps(report, indent=1))
        return
    data_dir = str(Path(arguments.data_dir).resolve())
    setup(data_dir)
    timed(NORMAL)  # open the index
    quiet = [timed(NORMAL) for _ in range(20)]
    alone = {q[:60]: max(timed(q) for _ in range(3)) for q in HOSTILE}
    context = multiprocessing.get_context("spawn")
    outcomes = context.Queue()
    workers = [
        context.Process(target=hammer, args=(data_dir, arguments.seconds, outcomes))
        for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    time.sleep(3)  # let them open the index and get going
    loaded = []
    while any(worker.is_alive() for worker in workers) and len(loaded) < 200:
        loaded.append(timed(NORMAL))
        time.sleep(0.05)
    counted = {"answered": 0, "busy": 0}
    while any(worker.is_alive() for worker in workers) or not outcomes.empty():
        with contextlib.suppress(queue.Empty):
            counted[outcomes.get(timeout=1)] += 1
    for worker in workers:
        worker.join()
    report = {
        "normal query": NORMAL,
        "quiet median ms": round(statistics.median(quiet), 1),
        "with 4 hostile processes, median ms": round(statistics.median(loaded), 1),
        "slowdown": round(statistics.median(loaded) / statistics.median(quiet), 2),
        "hostile queries during the run": counted,
        "hostile alone, worst of 3, ms": {q: round(ms, 1) for q, ms in alone.items()},
        "cores": os.cpu_count(),
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
