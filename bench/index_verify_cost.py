"""What verifying the Whoosh index's checksums costs: hashing speed, and a cold open.

    python bench/index_verify_cost.py --articles 100000 [--procs 2]

Builds (once; kept in bench/out/verify-<N>/, git-ignored) an index of N generated articles
(bench/corpus.py's generator, straight into the engine's rebuild: no database, no import), then
measures, each in a fresh process so nothing is verified yet:

* how fast each candidate hash reads the index's files (MB/s, files in the page cache);
* verifying the live generation (what a worker pays when it first opens one), and the first
  search after it, against the first search with the checksums trusted;
* the stat check a warm process makes at most once a second;
* a one-article commit (a writer's first, which verifies the generation it writes on, and a
  second), with the part spent recording checksums. It adds that article to the index.

The page cache is warm (the files were just read): a disk that must be read adds its own
reading time, which the first search pays anyway. Results are printed as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(1, str(ROOT))


def setup_django(data_dir: Path) -> None:
    os.environ["NEWSROOM_DATA_DIR"] = str(data_dir)
    os.environ.pop("NEWSROOM_INDEX_DIR", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


def generated_documents(count: int):
    import numpy as np
    from corpus import ArticleMaker, Vocabulary

    from search.documents import IndexDocument

    maker = ArticleMaker(Vocabulary(), np.random.default_rng(6))
    for number in range(count):
        article = maker.article(number)
        published = article["published"]
        yield IndexDocument(
            id=number + 1,
            title=article["title"],
            body="\n".join(article["paragraphs"]),
            published=datetime.date.fromisoformat(published) if published else None,
            ministers=(),
            topics=(),
        )


def build(count: int, procs: int) -> None:
    from search.engine.whoosh import storage, writing

    if storage.live_generation_dir() is not None:
        return
    started = time.perf_counter()
    writing.rebuild(generated_documents(count), procs=procs)
    print(f"built {count} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def hash_speeds(files: list[Path]) -> dict[str, float]:
    """MB/s of each candidate over the index's files, read in 1 MiB chunks."""
    total = sum(path.stat().st_size for path in files)
    candidates = {
        "sha256": lambda: hashlib.sha256(),
        "blake2b": lambda: hashlib.blake2b(digest_size=16),
        "sha1": lambda: hashlib.sha1(),
    }
    speeds = {}
    for name, make in candidates.items():
        started = time.perf_counter()
        for path in files:
            digest = make()
            with path.open("rb") as file:
                while chunk := file.read(1 << 20):
                    digest.update(chunk)
        speeds[name] = round(total / 2**20 / (time.perf_counter() - started), 1)
    started = time.perf_counter()
    for path in files:
        crc = 0
        with path.open("rb") as file:
            while chunk := file.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
    speeds["crc32"] = round(total / 2**20 / (time.perf_counter() - started), 1)
    return speeds


def first_search(verify: bool) -> dict:
    """In this (fresh) process: verifying the live generation, then the first searches."""
    from search.engine.whoosh import checksums, searching, storage
    from search.query import SearchQuery

    generation = storage.live_generation_dir()
    files = checksums.read_manifest(generation, storage.open_live_index().latest_generation())
    started = time.perf_counter()
    if verify:
        checksums.VERIFIER.verify(files)  # what the first search would do
    else:
        checksums.VERIFIER.verify = lambda files: None  # opening as before checksums
    verifying = time.perf_counter() - started
    started = time.perf_counter()
    searching.search(SearchQuery(q="minister"))
    first = time.perf_counter() - started
    started = time.perf_counter()
    searching.search(SearchQuery(q="railway"))
    second = time.perf_counter() - started
    rounds = 100
    started = time.perf_counter()
    for _ in range(rounds):
        checksums.VERIFIER.changed(files)
    stat_check = (time.perf_counter() - started) / rounds
    return {
        "verify_s": round(verifying, 3),
        "first_search_s": round(first, 3),
        "second_search_s": round(second, 3),
        "stat_check_ms": round(stat_check * 1000, 3),
        "files": len(files.entries),
    }


def one_article_commit() -> dict:
    """In this (fresh) process: a writer's first commit (it verifies the generation it writes
    on), then a second; and the part of each spent recording the checksums."""
    from search.documents import IndexDocument
    from search.engine.whoosh import checksums, writing

    recording = []
    write_manifest = checksums.write_manifest

    def timed_write_manifest(*args, **kwargs):
        started = time.perf_counter()
        write_manifest(*args, **kwargs)
        recording.append(time.perf_counter() - started)

    checksums.write_manifest = timed_write_manifest
    document = IndexDocument(
        id=10**9, title="Bench", body="one article", published=None, ministers=(), topics=()
    )
    commits = []
    for _ in range(2):
        started = time.perf_counter()
        with writing.open_writer(timeout=60) as writer:
            writer.upsert(document)
        commits.append(time.perf_counter() - started)
    return {
        "commit_s": [round(seconds, 3) for seconds in commits],
        "recording_checksums_s": [round(seconds, 4) for seconds in recording],
    }


def in_fresh_process(data_dir: Path, *flags: str) -> dict:
    command = [sys.executable, __file__, "--data-dir", str(data_dir), *flags]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trust", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--commit", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-only", action="store_true")
    arguments = parser.parse_args()
    data_dir = arguments.data_dir or OUT / f"verify-{arguments.articles}"
    data_dir.mkdir(parents=True, exist_ok=True)
    setup_django(data_dir)
    if arguments.commit:
        print(json.dumps(one_article_commit()))
        return
    if arguments.child:
        print(json.dumps(first_search(verify=not arguments.trust)))
        return
    build(arguments.articles, arguments.procs)
    if arguments.build_only:
        return
    from search.engine.whoosh import storage

    generation = storage.live_generation_dir()
    files = sorted(path for path in generation.iterdir() if path.is_file())
    size_mb = sum(path.stat().st_size for path in files) / 2**20
    result = {
        "articles": arguments.articles,
        "index_mb": round(size_mb, 1),
        "hash_mb_per_s": hash_speeds(files),
        "verified": [in_fresh_process(data_dir, "--child") for _ in range(arguments.rounds)],
        "trusted": [
            in_fresh_process(data_dir, "--child", "--trust") for _ in range(arguments.rounds)
        ],
        "commits": in_fresh_process(data_dir, "--commit"),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
