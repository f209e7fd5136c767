"""What "did you mean" costs right after a save: the first misspelt query of a new index
state, on an archive the benchmark built (it is copied, never changed).

    python bench/spelling_after_save.py bench/out/data-10000 [--saves 5]

Each round saves one article (the index gets a new small segment, as an editor's save does),
then times a misspelt search (its spelling words must cover the new state) and the same search
again (warm).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MISSPELT = "goverment secruity"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--saves", type=int, default=5)
    arguments = parser.parse_args()
    copy = Path(tempfile.mkdtemp(prefix="newsroom-spelling-")) / "data"
    shutil.copytree(arguments.data_dir, copy)
    os.environ["NEWSROOM_DATA_DIR"] = str(copy)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from search import engine
    from search.documents import IndexDocument
    from search.query import SearchQuery

    def timed() -> float:
        started = time.perf_counter()
        engine.search(SearchQuery(q=MISSPELT))
        return (time.perf_counter() - started) * 1000

    try:
        first_ever = timed()
        after_save, warm = [], []
        for number in range(arguments.saves):
            with engine.open_writer(timeout=30) as writer:
                writer.upsert(
                    IndexDocument(
                        id=10_000_000 + number,
                        title=f"Saved {number}",
                        body=f"An editor saved this, with the word spellbench{number}x.",
                        published=None,
                        ministers=(),
                        topics=(),
                    )
                )
            after_save.append(timed())
            warm.append(timed())
        report = {
            "query": MISSPELT,
            "first misspelt search of the process, ms": round(first_ever, 1),
            "first after a save, median ms": round(statistics.median(after_save), 1),
            "warm, median ms": round(statistics.median(warm), 1),
        }
        print(json.dumps(report, indent=1))
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
