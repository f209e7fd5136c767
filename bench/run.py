"""The archive-scale benchmark: import, rebuild, search through the app, save-to-searchable
and memory, at each corpus size, on each engine (``--engines``, default all three): Whoosh
(beside raw Whoosh and SQLite FTS5 over the same articles), tantivy, and PostgreSQL as database
and engine (bench/on_postgres.py).

    python bench/run.py --sizes 10000 100000 [--engines whoosh tantivy postgres] [--rounds 5]

Each size and embedded engine gets a fresh data directory under bench/out/ (git-ignored):
data-<size> for Whoosh, data-<size>-tantivy for tantivy (``--reuse`` keeps it and skips the
import; ``--keep-index`` skips the rebuild as well). The corpus is generated there by
bench/corpus.py (seeded, so every run indexes the same articles). Every step runs as a child
process whose resident memory is sampled (the process and its children). The raw results go
to bench/out/performance.json and their tables to bench/out/performance.md (also printed);
the figures worth keeping are quoted by hand in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(1, str(ROOT))  # tests.postgres starts the PostgreSQL server


class Sampled:
    """A child process run to completion while its (and its children's) RSS is sampled."""

    def __init__(self, command: list[str], env: dict, interval: float = 0.1):
        self.command, self.env, self.interval = command, env, interval
        self.peak_process_mb = 0.0
        self.peak_tree_mb = 0.0

    def run(self) -> tuple[float, str]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        process = subprocess.Popen(
            self.command, env=self.env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        done = threading.Event()
        sampler = threading.Thread(target=self.sample, args=(process.pid, done), daemon=True)
        sampler.start()
        stdout, _ = process.communicate()
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        # CPU of the step and of its children it waited for (a loaded machine stretches the
        # wall time; the CPU time says what the step costs)
        self.cpu_seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        done.set()
        sampler.join()
        if process.returncode:
            raise RuntimeError(f"{' '.join(self.command)} failed ({process.returncode})")
        return elapsed, stdout

    def sample(self, pid: int, done: threading.Event) -> None:
        try:
            parent = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            try:
                own = parent.memory_info().rss
                tree = own
                for child in parent.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        tree += child.memory_info().rss
            except psutil.NoSuchProcess:
                return
            self.peak_process_mb = max(self.peak_process_mb, own / 2**20)
            self.peak_tree_mb = max(self.peak_tree_mb, tree / 2**20)
            done.wait(self.interval)


def step(command: list[str], env: dict) -> dict:
    sampled = Sampled(command, env)
    seconds, stdout = sampled.run()
    return {
        "seconds": seconds,
        "peak_rss_mb": round(sampled.peak_process_mb, 1),
        "peak_rss_tree_mb": round(sampled.peak_tree_mb, 1),
        "cpu_seconds": round(sampled.cpu_seconds, 1),
        "load_average_after": os.getloadavg(),
        "stdout": stdout,
    }


def manage(*args: str) -> list[str]:
    return [PYTHON, str(ROOT / "manage.py"), *args]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(samples: dict[str, list[float]]) -> dict:
    pooled = [value for values in samples.values() for value in values]
    per_query = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "p50_ms": round(percentile(pooled, 0.5), 2),
        "p95_ms": round(percentile(pooled, 0.95), 2),
        "max_ms": round(max(pooled), 2),
        "per_query_median_ms": {name: round(value, 2) for name, value in per_query.items()},
    }


def directory_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def article_count(data_dir: Path) -> int:
    db = sqlite3.connect(data_dir / "newsroom.sqlite3")
    try:
        return db.execute("SELECT count(*) FROM search_article").fetchone()[0]
    finally:
        db.close()


def measure(*args: str) -> list[str]:
    return [PYTHON, str(ROOT / "bench" / "measure.py"), *args]


ENGINES = ("whoosh", "tantivy", "postgres")


def run_size(
    size: int,
    *,
    rounds: int,
    procs: int,
    reuse: bool,
    keep_index: bool = False,
    engines: tuple[str, ...] = ENGINES,
    keep_postgres: bool = False,
    save=lambda result: None,
) -> dict:
    corpus = OUT / f"corpus-{size}"
    # A --reuse run imports nothing on the embedded engines: its data dir may hold articles
    # written by bench/bulk_articles.py, with no corpus behind them.
    importing = not reuse or "postgres" in engines
    if importing and not (corpus / "SUMMARY.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run(
            [PYTHON, str(ROOT / "bench" / "corpus.py"), str(size), str(corpus)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("NEWSROOM_INDEX_DIR", None)
    env.pop("DATABASE_URL", None)
    summary = corpus / "SUMMARY.json"
    result: dict = {
        "size": size,
        "corpus": json.loads(summary.read_text()) if summary.exists() else None,
    }
    log = lambda message: print(f"[{size}] {message}", flush=True)  # noqa: E731
    for engine in engines:  # in the order given: the first measured on the quietest machine
        if engine == "postgres":  # its own import from the corpus, on its own server
            measure_postgres_column(
                result,
                corpus=corpus,
                size=size,
                env=env,
                rounds=rounds,
                log=log,
                save=save,
                keep=keep_postgres,
            )
            continue
        # Whoosh's figures stay at the top of a result (older runs' JSON reads the same).
        into = result if engine == "whoosh" else result.setdefault(engine, {})
        measure_embedded(
            engine,
            corpus=corpus,
            data_dir=OUT / (f"data-{size}" if engine == "whoosh" else f"data-{size}-{engine}"),
            env=env,
            into=into,
            rounds=rounds,
            procs=procs,
            reuse=reuse,
            keep_index=keep_index,
            log=lambda message, engine=engine: log(f"{engine}: {message}"),
            save=lambda: save(result),
        )
    summarise(result)
    return result


def measure_postgres_column(
    result: dict, *, corpus: Path, size: int, env: dict, rounds: int, log, save, keep: bool
) -> None:
    from on_postgres import measure_postgres

    def save_postgres(measured: dict) -> None:
        result["postgres"] = measured
        save(result)

    result["postgres"] = measure_postgres(
        corpus=corpus,
        data_dir=OUT / f"data-{size}-postgres",
        env=env,
        rounds=rounds,
        step=step,
        manage=manage,
        measure=measure,
        log=log,
        save=save_postgres,
        keep=keep,
    )


def live_index_dir(data_dir: Path, engine: str) -> Path:
    """The live generation of an embedded engine's index (each keeps a CURRENT pointer)."""
    root = data_dir / "index" / ("tantivy" if engine == "tantivy" else "")
    return root / (root / "CURRENT").read_text().strip()


def measure_embedded(
    engine: str,
    *,
    corpus: Path,
    data_dir: Path,
    env: dict,
    into: dict,
    rounds: int,
    procs: int,
    reuse: bool,
    keep_index: bool = False,
    log,
    save,
) -> None:
    """Import (unless ``reuse``), rebuild (unless ``keep_index``), search through the app (and,
    on Whoosh, raw Whoosh and SQLite FTS5 over the same articles), save-to-searchable: one
    embedded engine's column, in its own data dir, written into ``into`` step by step (``save``
    after each)."""
    env = {**env, "NEWSROOM_DATA_DIR": str(data_dir), "SEARCH_ENGINE": engine}
    if not reuse:
        shutil.rmtree(data_dir, ignore_errors=True)
        data_dir.mkdir(parents=True)
        subprocess.run(manage("migrate", "-v0"), env=env, cwd=ROOT, check=True)
        subprocess.run(
            manage("load_seeds", "-v0"), env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL
        )
        seeds = article_count(data_dir)
        log("importing")
        imported = step(manage("import_articles", str(corpus), "-v0"), env)
        articles = article_count(data_dir) - seeds
        imported["articles"] = articles
        imported["articles_per_s"] = round(articles / imported["seconds"], 1)
        into["import"] = imported
        save()
        log(f"import: {imported['articles_per_s']}/s, peak {imported['peak_rss_tree_mb']} MB")
    if keep_index:
        into["index"] = {"index_mb": round(directory_mb(live_index_dir(data_dir, engine)), 1)}
    else:
        log("rebuilding")
        rebuilt = step(manage("rebuild_index", "-v0", f"--procs={procs}"), env)
        rebuilt["articles"] = article_count(data_dir)
        rebuilt["articles_per_s"] = round(rebuilt["articles"] / rebuilt["seconds"], 1)
        rebuilt["index_mb"] = round(directory_mb(live_index_dir(data_dir, engine)), 1)
        rebuilt["procs"] = procs
        into["rebuild"] = rebuilt
        save()
        log(f"rebuild: {rebuilt['articles_per_s']}/s, {rebuilt['index_mb']} MB on disk")
    for name in ("app", "whoosh", "fts5") if engine == "whoosh" else ("app",):
        log(f"searching: {name}")
        measured = step(measure(name, f"--rounds={rounds}"), env)
        measured.update(json.loads(measured.pop("stdout")))
        into[name] = measured
        save()
    log("save until searchable")
    fresh = step(measure("freshness", "--rounds=5"), env)
    fresh.update(json.loads(fresh.pop("stdout")))
    into["freshness"] = fresh
    save()


def summarise(result: dict) -> None:
    """Latency summaries and ratios of whatever steps the result holds (a run stopped midway,
    or runs merged by bench/report.py, may lack some)."""
    for name, key in (("app", "api"), ("app", "htmx"), ("whoosh", None), ("fts5", None)):
        block = result.get(name, {}).get(key) if key else result.get(name)
        if block and "samples_ms" in block:
            block["latency"] = latency_summary(block["samples_ms"])
    ratios = result.setdefault("ratios", {})
    api = result.get("app", {}).get("api", {}).get("latency")
    raw = result.get("whoosh", {}).get("latency")
    fts = result.get("fts5", {}).get("latency")
    if api and raw and fts:
        ratios.update(
            {
                "app_over_whoosh_p50": round(api["p50_ms"] / raw["p50_ms"], 2),
                "app_over_whoosh_p95": round(api["p95_ms"] / raw["p95_ms"], 2),
                "app_over_fts5_p50": round(api["p50_ms"] / fts["p50_ms"], 2),
                "app_over_fts5_p95": round(api["p95_ms"] / fts["p95_ms"], 2),
                "app_over_whoosh_per_query": {
                    name: round(median / raw["per_query_median_ms"][name], 2)
                    for name, median in api["per_query_median_ms"].items()
                },
            }
        )
    for engine in ("postgres", "tantivy"):
        for key in ("api", "htmx"):
            block = result.get(engine, {}).get("app", {}).get(key)
            if block and "samples_ms" in block:
                block["latency"] = latency_summary(block["samples_ms"])
    postgres = result.get("postgres", {})
    if api and fts and "latency" in postgres.get("app", {}).get("api", {}):
        pg = postgres["app"]["api"]["latency"]
        ratios.update(
            {
                "postgres_over_whoosh_engine_p50": round(pg["p50_ms"] / api["p50_ms"], 2),
                "postgres_over_whoosh_engine_p95": round(pg["p95_ms"] / api["p95_ms"], 2),
                "postgres_over_fts5_p50": round(pg["p50_ms"] / fts["p50_ms"], 2),
                "postgres_over_fts5_p95": round(pg["p95_ms"] / fts["p95_ms"], 2),
            }
        )


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "whoosh": version("Whoosh-Reloaded"),
        "tantivy": version("tantivy"),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--procs", type=int, default=2)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the imported data (skip the import; rebuild and search only)",
    )
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="with --reuse: keep the index as well (search and save-to-searchable only)",
    )
    parser.add_argument(
        "--json", type=Path, default=OUT / "performance.json", help="where the raw results go"
    )
    parser.add_argument(
        "--markdown", type=Path, default=OUT / "performance.md", help="where their tables go"
    )
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=ENGINES,
        default=list(ENGINES),
        help="the engines measured at each size, in this order (default: all three; "
        "PostgreSQL needs Debian's PostgreSQL server binaries)",
    )
    parser.add_argument(
        "--without-postgres",
        action="store_true",
        help="the same as leaving postgres out of --engines",
    )
    parser.add_argument(
        "--keep-postgres",
        action="store_true",
        help="leave the PostgreSQL servers running at the end (to look at query plans)",
    )
    arguments = parser.parse_args()
    for path in (arguments.json, arguments.markdown):
        path.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": " ".join(sys.argv),
        "sizes": {},
    }

    def save(result: dict) -> None:  # after each step: a run stopped midway keeps its figures
        report["sizes"][str(result["size"])] = result
        arguments.json.write_text(json.dumps(report, indent=1) + "\n")

    for size in arguments.sizes:
        result = run_size(
            size,
            rounds=arguments.rounds,
            procs=arguments.procs,
            reuse=arguments.reuse or arguments.keep_index,
            keep_index=arguments.keep_index,
            engines=tuple(
                engine
                for engine in arguments.engines
                if not (engine == "postgres" and arguments.without_postgres)
            ),
            keep_postgres=arguments.keep_postgres,
            save=save,
        )
        save(result)
    from report import write_markdown

    write_markdown(report, arguments.markdown)
    print(arguments.markdown.read_text())


if __name__ == "__main__":
    main()
