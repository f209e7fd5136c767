"""The tantivy engine's rebuild rate on a generated corpus (issue 26), without the database:
the corpus's articles as IndexDocuments, through ``search.engine.rebuild``, timed.

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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--procs", type=int, default=1)
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


if __name__ == "__main__":
    main()
