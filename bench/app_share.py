"""The app's own share of a search: each request's time split into engine, ORM, templates and
the rest, for the JSON API, the htmx results fragment and the full search page.

    NEWSROOM_DATA_DIR=/tmp/data-10000 .venv/bin/python bench/app_share.py --rounds 5
    ... bench/app_share.py --profile "common: people" --kind htmx   # cProfile one request

Runs the benchmark's query mix (bench/queries.py) in-process through Django's test client, as
an anonymous reader, against the data directory named by NEWSROOM_DATA_DIR (the engine by
SEARCH_ENGINE). Use a copy of a benchmark data dir: opening it may write SQLite's WAL files.

Each part's clock runs while it is the innermost one running:
- engine: inside ``search.engine.search`` (the facade), SQL the engine runs included;
- ORM: inside a queryset's evaluation (``QuerySet._fetch_all``: SQL built, run, rows made into
  objects, prefetches) or a compiler's ``execute_sql`` (counts, exists), wherever it runs, in a
  template's lazy query too; its SQL execution alone (``connection.execute_wrapper``) is also
  given as "sql";
- templates: inside ``render_to_string``, less the ORM;
- rest: the remainder (URL state, page builders, JSON, middleware, the test client).

Prints one JSON object: per kind, the medians over rounds of each query's per-part times,
summed over the mix and divided by its size (the mean request's split), with the engine name
and the load average. Warm-up: one pass over the mix first.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries import MIX, BenchQuery  # noqa: E402

PARTS = ("engine", "orm", "templates", "rest")
COLUMNS = (*PARTS, "total", "sql")
KINDS = {
    "api": ("/api/search?", {}),
    "htmx": ("/?", {"HTTP_HX_REQUEST": "true"}),
    "page": ("/?", {}),
}


clock = time.perf_counter  # or time.process_time: --clock cpu


class Split:
    """Where one request's time went: each instrumented layer's clock runs while it is the
    innermost one running (a query inside a template counts as ORM, not as template; anything
    the engine runs is the engine's)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PARTS, 0.0)
        self.sql_seconds = 0.0  # SQL execution alone (outside the engine), part of "orm"
        self.stack: list[str] = ["rest"]
        self.since = clock()

    def switch(self, part: str | None) -> None:
        """Charge the time since the last switch to the running part; push or pop one."""
        now = clock()
        self.seconds[self.stack[-1]] += now - self.since
        self.since = now
        if part is None:
            self.stack.pop()
        else:
            self.stack.append(part)

    @contextmanager
    def inside(self, part: str):
        if self.stack[-1] == "engine":  # the engine's own SQL is the engine's time
            yield
            return
        self.switch(part)
        try:
            yield
        finally:
            self.switch(None)

    def sql(self, execute, sql, params, many, context):
        started = clock()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.stack[-1] != "engine":
                self.sql_seconds += clock() - started

    def finish(self) -> dict:
        self.switch(None)
        ms = {part: seconds * 1000 for part, seconds in self.seconds.items()}
        ms["total"] = sum(ms.values())
        ms["sql"] = self.sql_seconds * 1000
        return ms


CLOCKS = {"wall": time.perf_counter, "cpu": time.process_time}
CURRENT: list[Split] = []  # the request being measured (one at a time, one thread)


def wrapped(function, part: str):
    def measured(*args, **kwargs):
        if not CURRENT:
            return function(*args, **kwargs)
        with CURRENT[-1].inside(part):
            return function(*args, **kwargs)

    return measured


def instrument() -> None:
    """Wrap the engine facade, the ORM's query runners and the template renderer so that
    each adds to the current Split."""
    import django.shortcuts
    import django.template.loader
    from django.db.models.query import QuerySet
    from django.db.models.sql.compiler import SQLCompiler

    from search import engine

    engine.search = wrapped(engine.search, "engine")
    # Every queryset evaluation (rows made into objects, prefetches) and every count or
    # exists() goes through one of these two.
    QuerySet._fetch_all = wrapped(QuerySet._fetch_all, "orm")
    SQLCompiler.execute_sql = wrapped(SQLCompiler.execute_sql, "orm")
    django.template.loader.render_to_string = wrapped(
        django.template.loader.render_to_string, "templates"
    )
    # django.shortcuts.render looks render_to_string up on the loader module at each call.
    assert django.shortcuts.loader is django.template.loader


def timed_request(client, kind: str, query: BenchQuery) -> dict:
    from django.db import connection

    prefix, headers = KINDS[kind]
    split = Split()
    CURRENT.append(split)
    try:
        with connection.execute_wrapper(split.sql):
            response = client.get(prefix + urlencode(query.params()), **headers)
    finally:
        CURRENT.pop()
    ms = split.finish()
    if response.status_code != 200:
        raise SystemExit(f"{kind} {query.name}: status {response.status_code}")
    return ms


def measure(client, kind: str, rounds: int) -> dict:
    for query in MIX:  # warm-up
        timed_request(client, kind, query)
    samples: dict[str, list[dict]] = {query.name: [] for query in MIX}
    for _ in range(rounds):
        for query in MIX:
            samples[query.name].append(timed_request(client, kind, query))
    medians = {
        name: {part: statistics.median(s[part] for s in runs) for part in COLUMNS}
        for name, runs in samples.items()
    }
    mean_request = {
        part: round(sum(m[part] for m in medians.values()) / len(medians), 2) for part in COLUMNS
    }
    totals = sorted(m["total"] for m in medians.values())
    return {
        "mean_request_ms": mean_request,
        "median_request_total_ms": round(statistics.median(totals), 2),
        "per_query_ms": {
            name: {part: round(v, 2) for part, v in m.items()} for name, m in medians.items()
        },
    }


def profile(client, kind: str, name: str, lines: int) -> None:
    query = next(query for query in MIX if query.name == name)
    for _ in range(3):
        timed_request(client, kind, query)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        timed_request(client, kind, query)
    profiler.disable()
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--kind", choices=sorted(KINDS), action="append")
    parser.add_argument("--profile", metavar="QUERY_NAME", help="cProfile 5 runs of one query")
    parser.add_argument("--lines", type=int, default=60)
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="cpu: this process's CPU time (steadier while neighbours load the machine; misses "
        "time spent waiting on a database server)",
    )
    args = parser.parse_args()
    if "NEWSROOM_DATA_DIR" not in os.environ:
        parser.error("set NEWSROOM_DATA_DIR to (a copy of) a benchmark data dir")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    global clock
    clock = CLOCKS[args.clock]
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    instrument()
    client = Client()
    kinds = args.kind or ["api", "htmx", "page"]
    if args.profile:
        profile(client, kinds[0], args.profile, args.lines)
        return
    result = {
        "engine": settings.SEARCH_ENGINE,
        "queries": len(MIX),
        "rounds": args.rounds,
        "clock": args.clock,
        "load_average_before": os.getloadavg(),
    }
    for kind in kinds:
        result[kind] = measure(client, kind, args.rounds)
    result["load_average_after"] = os.getloadavg()
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
