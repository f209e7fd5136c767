"""The import's speed and memory, before and after a change, in one run.

    python bench/import_speed.py --articles 10000 --before ab63cb7 --processes 1 2
    SEARCH_ENGINE=tantivy python bench/import_speed.py --articles 10000 --no-reuters
    python bench/import_speed.py --big-articles 200000 --big-mb 1024   # streaming a 1 GB JSONL

Each import runs ``manage.py import_articles`` end to end (the index worker included) in a
fresh data directory that has the seeds, so the index is live as on a working archive. The
"before" tree is the given commit, exported with ``git archive`` and run with this venv.
Corpora: generated articles (bench/corpus.py) and Reuters-21578 from ../shared/corpora.
Peak memory is the largest resident size of the import's process tree (psutil, sampled every
0.2 s); a "flat" import keeps its main process's size from its first quarter to its last.
CPU is each part's (the importer, its cleaning workers, the index worker) in ms an article,
from the same samples. ``SEARCH_ENGINE`` is passed on to the imports.
Results go to bench/out/import-speed.json; the figures we keep are in docs/import.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REUTERS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
PYTHON = sys.executable


# The import's processes by a word of their command line, first match: the index worker, the
# cleaning workers (multiprocessing's "spawn" children and its resource tracker), the importer.
PARTS = (
    ("index_worker", "index worker"),
    ("multiprocessing", "cleaning workers"),
    ("import_articles", "importer"),
)


class Sampled:
    """A command run to its end while its process tree's memory is sampled."""

    def __init__(self, command: list[str], *, env: dict, cwd: Path) -> None:
        self.command, self.env, self.cwd = command, env, cwd
        self.peak_tree_mb = 0.0
        self.main_mb: list[float] = []  # the main process's size, every sample
        self.cpu_seconds: dict[int, tuple[str, float]] = {}  # pid -> (its part, CPU so far)

    def run(self) -> float:
        started = time.perf_counter()
        process = subprocess.Popen(
            self.command, env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL
        )
        done = threading.Event()
        sampler = threading.Thread(target=self.sample, args=(process.pid, done), daemon=True)
        sampler.start()
        code = process.wait()
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        if code:
            raise SystemExit(f"{' '.join(self.command)} failed with exit code {code}")
        return seconds

    def sample(self, pid: int, done: threading.Event) -> None:
        try:
            main = psutil.Process(pid)
            while not done.wait(0.2):
                tree = [main, *main.children(recursive=True)]
                sizes = [p.memory_info().rss for p in tree if p.is_running()]
                for process in tree:
                    self.note_cpu(process)
                self.main_mb.append(main.memory_info().rss / 2**20)
                self.peak_tree_mb = max(self.peak_tree_mb, sum(sizes) / 2**20)
        except psutil.Error:  # the process ended between two samples
            return

    def note_cpu(self, process: psutil.Process) -> None:
        try:
            command = " ".join(process.cmdline())
            times = process.cpu_times()
        except psutil.Error:
            return
        # A child sampled between its fork and its exec shows its parent's command line: the
        # last sample, long after, names it.
        part = next((name for key, name in PARTS if key in command), "other")
        self.cpu_seconds[process.pid] = (part, times.user + times.system)

    def cpu_ms_per_article(self, articles: int) -> dict[str, float]:
        """CPU of each part of the import (as last sampled), in ms an article."""
        parts: dict[str, float] = {}
        for part, seconds in self.cpu_seconds.values():
            parts[part] = parts.get(part, 0.0) + seconds
        return {part: round(1000 * total / max(articles, 1), 2) for part, total in parts.items()}

    def quarters_mb(self) -> list[float]:
        """The main process's largest size in each quarter of the run."""
        samples = self.main_mb or [0.0]
        size = max(1, len(samples) // 4)
        return [round(max(samples[i : i + size] or [0.0]), 1) for i in range(0, size * 4, size)]


def article_count(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "newsroom.sqlite3") as db:
        return db.execute("SELECT count(*) FROM search_article").fetchone()[0]


def environment(data_dir: Path) -> dict:
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "LOG_LEVEL": "WARNING",
        # Before the JSONL records were limited one by one, the limit (5 MiB) was the whole
        # file's, and Reuters as one file is over it: a limit that both trees pass.
        "NEWSROOM_MAX_IMPORT_BYTES": str(64 * 2**20),
    }
    for name in ("NEWSROOM_INDEX_DIR", "DATABASE_URL"):
        env.pop(name, None)
    return env


def timed_import(tree: Path, corpus: Path, *, processes: int | None) -> dict:
    """Import ``corpus`` with the code in ``tree`` into a fresh data dir (seeds loaded)."""
    data_dir = Path(tempfile.mkdtemp(prefix="import-speed-", dir=OUT))
    env = environment(data_dir)
    manage = [PYTHON, str(tree / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=tree, check=True)
        subprocess.run(
            [*manage, "load_seeds", "-v0"], env=env, cwd=tree, check=True, stdout=subprocess.DEVNULL
        )
        seeds = article_count(data_dir)
        option = [f"--processes={processes}"] if processes else []  # the "before" tree has none
        command = [*manage, "import_articles", str(corpus), "-v0", *option]
        sampled = Sampled(command, env=env, cwd=tree)
        seconds = sampled.run()
        articles = article_count(data_dir) - seeds
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "articles": articles,
        "seconds": round(seconds, 1),
        "articles_per_s": round(articles / seconds, 1),
        "peak_rss_tree_mb": round(sampled.peak_tree_mb, 1),
        "main_rss_by_quarter_mb": sampled.quarters_mb(),
        # sampled every 0.2 s: a process's last 0.2 s are not counted
        "cpu_ms_per_article": sampled.cpu_ms_per_article(articles),
        "load": [round(load, 1) for load in os.getloadavg()],
    }


def generated_corpus(count: int) -> Path:
    corpus = OUT / f"corpus-{count}"
    if not (corpus / "SUMMARY.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "corpus.py"), str(count), str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return corpus


def reuters_corpus(limit: int) -> Path | None:
    """The first ``limit`` stories of Reuters-21578 (0: all 19,043) as one JSONL."""
    if not REUTERS.exists():
        return None
    folder = OUT / f"reuters21578-{limit or 'all'}"
    target = folder / "reuters21578.jsonl"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        with gzip.open(REUTERS, "rt", encoding="utf-8") as source, target.open("w") as out:
            for number, line in enumerate(source):
                if limit and number == limit:
                    break
                out.write(line)
    return folder


def commit_of(ref: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()


def exported_tree(ref: str) -> Path:
    """The code of commit ``ref``, as files (run with this venv)."""
    tree = OUT / f"tree-{ref}"
    if not (tree / "manage.py").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", ref], cwd=ROOT, check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def big_jsonl(articles: int, megabytes: int) -> Path:
    """A JSONL of ``articles`` distinct records and about ``megabytes`` MB: the generated
    corpus's articles again and again, each with its own URL and a numbered last line."""
    path = OUT / f"big-{articles}-{megabytes}mb.jsonl"
    if path.exists():
        return path
    base = []
    for feed in sorted(generated_corpus(2000).glob("*.jsonl")):
        base += [json.loads(line) for line in feed.read_text().splitlines()]
    padding = max(0, megabytes * 2**20 // articles - 3000)
    filler = " ".join(
        ["The archive keeps every word of the story as it was sent."] * (padding // 58)
    )
    with path.open("w", encoding="utf-8") as out:
        for number in range(articles):
            record = dict(base[number % len(base)])
            record["url"] = f"https://big.example/{number}"
            record["body"] += f"\n{filler}\nThis is copy {number} of the story."
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def stream_records(path: Path, max_bytes: int) -> None:
    """Read every record of ``path`` as an import reads them, in the tree that is the current
    folder, and print what was read, the seconds and the peak memory (MB), as JSON."""
    import resource

    sys.path.insert(0, str(Path.cwd()))
    from search.ingest.sources import SourceDocument, read_documents

    started, documents, problems = time.perf_counter(), 0, 0
    for item in read_documents(path, display_path=path.name, max_bytes=max_bytes):
        documents += isinstance(item, SourceDocument)
        problems += not isinstance(item, SourceDocument)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps([documents, problems, time.perf_counter() - started, peak_mb]))


def stream_big_file(path: Path, *, tree: Path, whole_file_limit: bool = False) -> dict:
    """Read every record of the big file as an import does (no cleaning): time and peak.

    ``whole_file_limit``: for a tree whose limit is the file's, not each record's (it would
    refuse the file), a limit just over the file's size."""
    max_bytes = path.stat().st_size + 1 if whole_file_limit else 5 * 2**20
    output = subprocess.run(
        [PYTHON, __file__, "--stream-records", str(path), "--stream-max-bytes", str(max_bytes)],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    documents, problems, seconds, peak = json.loads(output)
    return {
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "documents": documents,
        "problems": problems,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak, 1),
    }


def medians(runs: list[dict]) -> dict:
    """The median of each figure over the rounds, and every round's figures."""
    keys = ("seconds", "articles_per_s", "peak_rss_tree_mb")
    summary = {f"median_{key}": round(statistics.median(r[key] for r in runs), 1) for key in keys}
    return {**summary, "articles": runs[0]["articles"], "rounds": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="generated articles")
    parser.add_argument("--no-reuters", action="store_true", help="skip Reuters-21578")
    parser.add_argument("--reuters-limit", type=int, default=0, help="first N stories (0: all)")
    parser.add_argument("--rounds", type=int, default=1, help="imports of each, interleaved")
    parser.add_argument("--before", help="a commit to measure first, e.g. main's before a merge")
    parser.add_argument("--after", default="HEAD", help="the commit to measure (default HEAD)")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[0],
        help="cleaning processes (0: the command's default, one a core)",
    )
    parser.add_argument("--big-articles", type=int, default=0, help="records of the big JSONL")
    parser.add_argument("--big-mb", type=int, default=1024, help="size of the big JSONL")
    parser.add_argument("--big-import", action="store_true", help="import the big file too")
    parser.add_argument("--big-only", action="store_true", help="only the big file")
    parser.add_argument("--stream-records", type=Path, help=argparse.SUPPRESS)  # the child's part
    parser.add_argument("--stream-max-bytes", type=int, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.stream_records:
        stream_records(arguments.stream_records, arguments.stream_max_bytes)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    corpora = {}
    if not arguments.big_only:
        corpora[f"generated-{arguments.articles}"] = generated_corpus(arguments.articles)
    if not (arguments.no_reuters or arguments.big_only) and (
        reuters := reuters_corpus(arguments.reuters_limit)
    ):
        corpora[reuters.name] = reuters
    # Committed trees, not this working tree: editing it during a long run changes nothing.
    after = exported_tree(commit_of(arguments.after))
    trees = {
        f"after, {n or 'default'} cleaning process(es)": (after, n) for n in arguments.processes
    }
    if arguments.before:
        before = exported_tree(commit_of(arguments.before))
        trees = {f"before ({arguments.before})": (before, None), **trees}
    results: dict = {
        "machine": {"cpus": os.cpu_count(), "load_at_start": os.getloadavg()[0]},
        "trees": {name: tree.name for name, (tree, _processes) in trees.items()},
    }
    runs: dict = {}
    # Rounds interleave the variants, so a busy spell on a shared machine hits them alike.
    for round_number in range(1, 0 if arguments.big_only else arguments.rounds + 1):
        for corpus_name, corpus in corpora.items():
            for tree_name, (tree, processes) in trees.items():
                print(f"round {round_number}, {corpus_name}: {tree_name} ...", flush=True)
                measured = timed_import(tree, corpus, processes=processes)
                runs.setdefault(corpus_name, {}).setdefault(tree_name, []).append(measured)
                print(f"  {json.dumps(measured)}", flush=True)
    for corpus_name, variants in runs.items():
        results[corpus_name] = {name: medians(measured) for name, measured in variants.items()}
    if arguments.big_articles:
        big = big_jsonl(arguments.big_articles, arguments.big_mb)
        results["big_jsonl_stream"] = stream_big_file(big, tree=after)
        print(f"big JSONL streamed: {json.dumps(results['big_jsonl_stream'])}", flush=True)
        if arguments.before:
            read = stream_big_file(big, tree=before, whole_file_limit=True)
            results["big_jsonl_read_before"] = read
            print(f"big JSONL read by {arguments.before}: {json.dumps(read)}", flush=True)
        if arguments.big_import:
            results["big_jsonl_import"] = timed_import(after, big, processes=arguments.processes[0])
            print(f"big JSONL imported: {json.dumps(results['big_jsonl_import'])}", flush=True)
    results["machine"]["load_at_end"] = os.getloadavg()[0]
    (OUT / "import-speed.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
