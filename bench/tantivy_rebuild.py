"""The tantivy engine's rebuild rate on a generated corpus (issue 26), without the database:
the corpus's articles as IndexDocuments, through ``search.engine.rebuild``, timed; then the
benchmark's query mix (``bench/queries.py``) searched in-process, p50 and p95 over all runs.

    .venv/bin/python bench/tantivy_rebuild.py bench/out/corpus-10000 [--procs 1]

Needs a corpus from ``bench/corpus.py``; writes its index under a temporary directory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as index_dir:
        os.environ["NEWSROOM_INDEX_DIR"] = index_dir
        os.environ["SEARCH_ENGINE"] = "tantivy"
        import django

        django.setup()
        from search import engine

        loaded = list(documents(args.corpus))
        started = time.perf_counter()
        engine.rebuild(loaded, procs=args.procs)
        seconds = time.perf_counter() - started
        size = sum(path.stat().st_size for path in Path(index_dir).rglob("*") if path.is_file())
        print(
            f"{len(loaded)} articles rebuilt in {seconds:.1f} s: {len(loaded) / seconds:.0f}/s "
            f"(procs {args.procs}); index {size / 1e6:.1f} MB"
        )
        print(search_timings(engine, rounds=args.rounds))


if __name__ == "__main__":
    main()
