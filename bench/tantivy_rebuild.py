"""The tantivy engine's rebuild rate (issue 26: at least 3,000 articles/s on 2 cores), with
where its CPU goes; then the benchmark's query mix (``bench/queries.py``) searched in-process,
p50 and p95 over all runs.

From a generated corpus's files (no database: the articles as IndexDocuments, through
``search.engine.rebuild``)::

    .venv/bin/python bench/tantivy_rebuild.py bench/out/corpus-10000 --procs 2 --runs 3

Or from a data dir's database, through ``manage.py rebuild_index --procs N`` (the command run
in-process); it empties that database's index queue, so point it at a copy::

    .venv/bin/python bench/tantivy_rebuild.py --data-dir /tmp/copy-of-desk-100000 --procs 2

The index goes to ``--index-dir`` (a new temporary directory under it, removed after).
Reported per run: articles/s (wall), and CPU per article in this process's main thread (reading
the articles and handing them to tantivy), in tantivy's indexing threads, and in the
analysing worker processes; peak RSS; the load average before and after each.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/queries.py
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")


def documents(corpus: Path):
    from search.documents import IndexDocument

    number = 0
    for feed in sorted(corpus.glob("feed-*.jsonl")):
        for line in feed.read_text().splitlines():
            article = json.loads(line)
            number += 1
            published = article.get("published")
            yield IndexDocument(
                id=number,
                title=article["title"],
                body=article["body"],
                published=datetime.date.fromisoformat(published) if published else None,
                ministers=(),
                topics=(),
            )


def search_timings(engine, *, rounds: int) -> str:
    from queries import MIX

    from search.query import SearchQuery

    took = []
    for _ in range(rounds):
        for bench_query in MIX:
            started = time.perf_counter()
            engine.search(
                SearchQuery(
                    q=bench_query.q,
                    ministers=bench_query.ministers,
                    topics=bench_query.topics,
                    years=bench_query.years,
                    page=bench_query.page,
                    sort=bench_query.sort,
                )
            )
            took.append((time.perf_counter() - started) * 1000)
    took.sort()
    p50, p95 = took[len(took) // 2], took[int(len(took) * 0.95)]
    return f"{len(took)} searches in-process: p50 {p50:.1f} ms, p95 {p95:.1f} ms"


def timed(rebuild) -> dict[str, float]:
    """Run ``rebuild`` (returns the number of articles); wall seconds and CPU seconds by part."""
    load_before = os.getloadavg()[0]
    before, main_before = os.times(), time.thread_time()
    started = time.perf_counter()
    count = rebuild()
    seconds = time.perf_counter() - started
    after, main = os.times(), time.thread_time() - main_before
    process = (after.user + after.system) - (before.user + before.system)
    children = (after.children_user + after.children_system) - (
        before.children_user + before.children_system
    )
    return {
        "articles": count,
        "seconds": seconds,
        "main": main,
        "tantivy": process - main,  # the process's other threads: tantivy's
        "workers": children,
        "load_before": load_before,
        "load": os.getloadavg()[0],
        # peak resident sets so far (KB on Linux): this process, and its largest worker
        "rss_main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def described(run: dict[str, float]) -> str:
    per_article = {
        part: run[part] / run["articles"] * 1e6 for part in ("main", "tantivy", "workers")
    }
    return (
        f"{run['articles']} articles in {run['seconds']:.1f} s: "
        f"{run['articles'] / run['seconds']:.0f}/s; "
        f"CPU an article: main thread {per_article['main']:.0f} us, tantivy threads "
        f"{per_article['tantivy']:.0f} us, analysing processes {per_article['workers']:.0f} us; "
        f"peak RSS {run['rss_main']:.0f} MB (a worker {run['rss_worker']:.0f} MB); "
        f"load {run['load_before']:.1f} -> {run['load']:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path, nargs="?", help="a corpus from bench/corpus.py")
    parser.add_argument("--data-dir", type=Path, help="rebuild from this data dir's database")
    parser.add_argument("--index-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5, help="query mix rounds (0: none)")
    args = parser.parse_args()
    if (args.corpus is None) == (args.data_dir is None):
        parser.error("give a corpus or --data-dir")
    args.index_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.index_dir) as index_dir:
        os.environ["NEWSROOM_INDEX_DIR"] = index_dir
        os.environ["SEARCH_ENGINE"] = "tantivy"
        if args.data_dir:
            os.environ["NEWSROOM_DATA_DIR"] = str(args.data_dir.resolve())
        import django

        django.setup()
        from django.core.management import call_command

        from search import engine
        from search.operations import index_sync

        if args.data_dir:

            def rebuild() -> int:
                call_command("rebuild_index", procs=args.procs, verbosity=0)
                return index_sync.public_articles().count()
        else:
            loaded = list(documents(args.corpus))

            def rebuild() -> int:
                engine.rebuild(loaded, procs=args.procs)
                return len(loaded)

        runs = []
        for _ in range(args.runs):
            runs.append(timed(rebuild))
            print(described(runs[-1]), flush=True)
        rates = [run["articles"] / run["seconds"] for run in runs]
        size = sum(path.stat().st_size for path in Path(index_dir).rglob("*") if path.is_file())
        print(
            f"procs {args.procs}: median {statistics.median(rates):.0f} articles/s over "
            f"{len(runs)} runs; index {size / 1e6:.1f} MB"
        )
        if args.rounds:
            print(search_timings(engine, rounds=args.rounds))


if __name__ == "__main__":
    main()
