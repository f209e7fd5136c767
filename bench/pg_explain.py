"""Where a PostgreSQL search spends its time: each query of the bench mix through the app's
selector, every SQL statement it runs timed, and EXPLAIN (ANALYZE, BUFFERS) of the slowest.

    DATABASE_URL=postgres://... SEARCH_ENGINE=postgres python bench/pg_explain.py [NAME...]

Point it at a benchmark's server (``bench/run.py --keep-postgres`` leaves it running). NAMEs
pick queries of the mix by the start of their name (default: all); one line per query (its
time, its three slowest statements), and ``--plans N`` prints the plans of the N slowest.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from queries import MIX  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--plans", type=int, default=0, help="plans of the N slowest")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.db import connection

    from search.query import SearchQuery
    from search.selectors import run_search

    statements: list[tuple[float, str, tuple]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(((time.perf_counter() - started) * 1000, sql, params))

    chosen = [q for q in MIX if not arguments.names or q.name.startswith(tuple(arguments.names))]
    for bench_query in chosen:
        search_query = SearchQuery.from_params(_multi(bench_query.params()))

        try:
            run_search(search_query)  # warm
        except Exception as error:  # a page past the end, say: report it and go on
            print(f"{bench_query.name:28} {type(error).__name__}: {error}")
            continue
        totals = []
        for _ in range(arguments.rounds):
            statements.clear()
            started = time.perf_counter()
            with connection.execute_wrapper(timed):
                run_search(search_query)
            totals.append((time.perf_counter() - started) * 1000)
        slowest = sorted(statements, key=lambda item: -item[0])[:3]
        print(
            f"{bench_query.name:28} {statistics.median(totals):7.1f} ms, {len(statements)} "
            "statements; slowest: " + ", ".join(f"{ms:.1f}" for ms, _, _ in slowest)
        )
        for _ms, sql, params in slowest[: arguments.plans]:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SET LOCAL work_mem = '64MB'")  # as the engine runs it
                if "document @@" in sql:
                    cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print("\n".join(row[0] for row in cursor.fetchall()))
                cursor.execute("ROLLBACK")
            print()


def _multi(pairs):
    from django.http import QueryDict

    query_dict = QueryDict(mutable=True)
    for key, value in pairs:
        query_dict.appendlist(key, value)
    return query_dict


if __name__ == "__main__":
    main()
