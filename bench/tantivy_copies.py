"""What finding a search's repeated stories costs on a large tantivy index, before and after the
``copies`` field, in-process on a synthetic archive (no database).

    .venv/bin/python bench/tantivy_copies.py [--size 1000000] [--rounds 5] [--procs 2]

Rebuilds a tantivy index of ``size`` generated articles in a temporary directory (a few words
each, so the index is quick to build; ministers and dates for the facets) with 2% of them in
stories of two copies, then times, by this process's CPU, for browsing everything and for a
word in half, in 5% and in 0.5% of the archive: the repeated stories as one aggregation over
every match's story (before) and over the matches with ``copies:1`` (now), checking both find
the same stories; and the whole search collapsed, with every copy, and as a count.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

STORY_EVERY = 100  # articles 0 and 1 of every hundred are one story: 2% in stories
WORDS = {"half": 2, "twentieth": 20, "rare": 200}  # word -> in about one article of every n
MINISTERS = [f"minister-{n}" for n in range(20)]
FIRST_DAY = datetime.date(2006, 1, 1).toordinal()


def documents(size: int):
    from search.documents import IndexDocument

    for number in range(size):
        pk = number + 1
        in_story = number % STORY_EVERY < 2
        first = number - number % STORY_EVERY if in_story else number  # copies share words
        draw = random.Random(first).random()
        words = ["report", *(word for word, every in WORDS.items() if draw * every < 1)]
        yield IndexDocument(
            id=pk,
            title=f"Report {pk}",
            body=" ".join(words),
            published=datetime.date.fromordinal(FIRST_DAY + number % 7300),
            ministers=(MINISTERS[number % len(MINISTERS)],),
            topics=(),
            cluster=pk - number % STORY_EVERY if in_story else 0,
        )


def cpu_ms(work, rounds: int) -> tuple[float, object]:
    took, answer = [], None
    for _ in range(rounds):
        started = time.process_time()
        answer = work()
        took.append((time.process_time() - started) * 1000)
    return sorted(took)[len(took) // 2], answer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--procs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsroom-tantivy-copies-") as folder:
        os.environ.update(
            NEWSROOM_DATA_DIR=folder, NEWSROOM_INDEX_DIR=f"{folder}/index", SEARCH_ENGINE="tantivy"
        )
        import django

        django.setup()
        from tantivy import Query

        from search import engine
        from search.engine.tantivy import collapsing, searching
        from search.query import SearchQuery

        started = time.perf_counter()
        engine.rebuild(documents(args.size), procs=args.procs)
        print(f"{args.size:,} articles rebuilt in {time.perf_counter() - started:.0f} s")
        index, searcher = searching.current_searcher()
        schema = index.schema

        def every_story(query):
            request = {"stories": collapsing.every_value("story", min_doc_count=2)}
            return collapsing.stories_of(searcher.aggregate(query, request)["stories"])

        for word in [None, *WORDS]:
            query = Query.all_query() if word is None else Query.term_query(schema, "body", word)
            matches = searcher.search(query, limit=1, count=True).count
            before, old = cpu_ms(lambda query=query: every_story(query), args.rounds)
            now, new = cpu_ms(
                lambda query=query: collapsing.repeated_stories(searcher, schema, query),
                args.rounds,
            )
            assert old == new, f"{word}: the copies field finds other stories"
            searches = {
                name: cpu_ms(lambda q=search_query: engine.search(q), args.rounds)[0]
                for name, search_query in {
                    "collapsed": SearchQuery(q=word or ""),
                    "every copy": SearchQuery(q=word or "", every_copy=True),
                    "count": SearchQuery(q=word or "", per_page=0),
                }.items()
            }
            print(
                f"{word or 'browse all'}: {matches:,} matches, {len(new):,} repeated stories: "
                f"every match's story {before:.1f} ms, copies:1 {now:.1f} ms; search "
                + ", ".join(f"{name} {took:.1f} ms" for name, took in searches.items())
                + " (CPU p50)"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
