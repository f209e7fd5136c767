"""What the research desk's batch searches and comparisons cost, in one run on one archive.

    python bench/desk_cost.py [--data-dir bench/out/desk-100000] [--rounds 5]

The archive is an existing data directory (bench/run.py's, or one built from bench/corpus.py
with migrate, load_seeds, import_articles and rebuild_index). Three measurements:

1. a batch of 100 queries (the query mix's words, pairs of them and a few costly prefixes)
   run by ``manage.py run_batches`` as ``dev.py serve`` starts it (its own process, nice 10):
   the seconds from queued to done;
2. meanwhile, the site's ordinary searches (the mix without costly queries, through the app's
   API) one after the other: p50/p95 quiet (before and after the batch, pooled) and during;
3. a comparison of 5 queries (/api/compare, shares included) against one timeline (the
   search page of one of those queries, which draws it): median of ``rounds`` each.

Prints and writes bench/out/desk_cost.json; the figures we keep are in docs/desk.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries import MIX  # noqa: E402
from run import percentile  # noqa: E402

COMPARED = ["security", "people", "hospital", "satellite", "parliament"]


def batch_queries(count: int = 100) -> list[str]:
    """The mix's words, then pairs of them, with a few costly prefixes: ``count`` of them."""
    words = [query.q for query in MIX if query.q]
    queries = list(dict.fromkeys(words))
    single = [q for q in queries if " " not in q and not q.endswith("*") and ":" not in q]
    pairs = [f"{a} {b}" for a in single for b in single if a < b]
    queries += pairs[: count - len(queries) - 4]
    queries += ["secur*", "gov*", "hosp* satellite", "parl* people"]
    return queries[:count]


def ordinary_searches() -> list[str]:
    from search.engine.costly import is_costly
    from search.query_language import parse

    return [
        "/api/search?" + urlencode(query.params())
        for query in MIX
        if query.page == 1 and not is_costly(parse(query.q).tree)
    ]


def timed(client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{url}: {response.status_code} {response.content[:200]!r}")
    return elapsed


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.5), 1),
        "p95_ms": round(percentile(samples, 0.95), 1),
    }


def ensure_batch_table() -> None:
    """A data directory migrated while migration 0019 was still empty lacks the table."""
    from django.core.management import call_command
    from django.db import connection

    if "search_batchsearch" not in connection.introspection.table_names():
        call_command("migrate", "search", "0018", fake=True, verbosity=0)  # 0019 was empty
    call_command("migrate", verbosity=0)


def measure_batch(client, urls: list[str], env: dict, nice: int) -> dict:
    from django.contrib.auth.models import User

    from search.desk import batches
    from search.models import BatchSearch
    from search.query import SearchQuery

    user, _ = User.objects.get_or_create(username="bench-desk")
    queries = batch_queries()
    quiet_before = [timed(client, url) for _ in range(3) for url in urls]
    batch = batches.batch_create(
        user=user, queries=[{"query": q, "label": ""} for q in queries], filters=SearchQuery()
    )
    started = time.perf_counter()
    runner = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "run_batches", "--poll-seconds=0.2", f"--nice={nice}"],
        cwd=ROOT,
        env=env,
    )
    during = []
    try:
        while True:
            status = BatchSearch.objects.filter(pk=batch.pk).values_list("status", flat=True)[0]
            if status == "done":
                break
            for url in urls:
                during.append(timed(client, url))
        seconds = time.perf_counter() - started
    finally:
        runner.terminate()
        runner.wait()
    quiet_after = [timed(client, url) for _ in range(3) for url in urls]
    batch.refresh_from_db()
    quiet = summary(quiet_before + quiet_after)
    busy = summary(during)
    return {
        "runner_nice": nice,
        "load_average_1min_at_end": round(os.getloadavg()[0], 1),
        "queries": len(queries),
        "seconds": round(seconds, 1),
        "seconds_in_runner": round((batch.finished - batch.created).total_seconds(), 1),
        "rows_with_a_message": sum(1 for row in batch.rows if row["message"]),
        "ordinary_quiet": quiet,
        "ordinary_during": busy,
        "p50_ratio": round(busy["p50_ms"] / quiet["p50_ms"], 2),
        "p95_ratio": round(busy["p95_ms"] / quiet["p95_ms"], 2),
    }


def measure_comparison(client, rounds: int) -> dict:
    state = urlencode([("q", q) for q in COMPARED] + [("measure", "share")])
    compare_urls = {"api": f"/api/compare?{state}", "page": f"/compare/?{state}"}
    timelines = ["/?" + urlencode({"q": q}) for q in COMPARED]
    for url in [*compare_urls.values(), *timelines]:  # warm up
        timed(client, url)
    compare: dict[str, list[float]] = {name: [] for name in compare_urls}
    timeline = []
    for _ in range(rounds):
        for name, url in compare_urls.items():
            compare[name].append(timed(client, url))
        timeline += [timed(client, url) for url in timelines]
    one_timeline = statistics.median(timeline)
    return {
        "timeline_page_median_ms": round(one_timeline, 1),
        **{
            f"compare_5_{name}_median_ms": round(statistics.median(samples), 1)
            for name, samples in compare.items()
        },
        **{
            f"compare_5_{name}_ratio": round(statistics.median(samples) / one_timeline, 2)
            for name, samples in compare.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=OUT / "desk-100000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, default=OUT / "desk_cost.json")
    parser.add_argument("--nice", type=int, default=10, help="the runner's (as dev.py serve)")
    arguments = parser.parse_args()
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(arguments.data_dir.resolve()),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("NEWSROOM_INDEX_DIR", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.test import Client

    from search.models import Article

    ensure_batch_table()
    client = Client()
    urls = ordinary_searches()
    for url in urls:  # warm up: caches, the index's first open
        timed(client, url)
    result = {
        "articles": Article.objects.count(),
        "cores": os.cpu_count(),
        "machine": platform.platform(),
        "load_average_1min_at_start": round(os.getloadavg()[0], 1),
        "batch": measure_batch(client, urls, env, arguments.nice),
        "comparison": measure_comparison(client, arguments.rounds),
    }
    arguments.json.parent.mkdir(parents=True, exist_ok=True)
    arguments.json.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
