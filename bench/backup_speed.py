"""How long an online backup and a restore take, and what a backup costs readers meanwhile.

    python bench/backup_speed.py --articles 5000

Builds a fresh data directory (migrate, then generated articles from bench/corpus.py through
``manage.py import_articles``), serves it with ``manage.py runserver``, and has one reader ask
the search API in a loop: first alone, then while ``manage.py backup`` runs. Then restores the
backup into a new data directory (which rebuilds the index). Results go to
bench/out/backup-speed.json; the figures we keep are in docs/backups.md.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import generate  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
QUERIES = ["minister", "trade agreement", "security OR defence", "port*"]


def environment(data_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    return {**clean, "NEWSROOM_DATA_DIR": str(data_dir), "SECRET_KEY": "b" * 60}


def manage(data_dir: Path, *args: str) -> float:
    """Runs manage.py; returns the seconds it took."""
    started = time.perf_counter()
    subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=environment(data_dir),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def read_while(base_url: str, until: threading.Event) -> list[float]:
    """Milliseconds of each search the reader made until ``until`` was set."""
    latencies = []
    number = 0
    while not until.is_set():
        query = QUERIES[number % len(QUERIES)].replace(" ", "+")
        started = time.perf_counter()
        with urllib.request.urlopen(f"{base_url}/api/search?q={query}", timeout=30) as response:
            response.read()
        latencies.append((time.perf_counter() - started) * 1000)
        number += 1
    return latencies


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {
        "searches": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
        "max_ms": round(ordered[-1], 1),
    }


def reader_during(base_url: str, action) -> tuple[dict, object]:
    stop = threading.Event()
    result: dict = {}
    reader = threading.Thread(target=lambda: result.update(l=read_while(base_url, stop)))
    reader.start()
    try:
        outcome = action()
    finally:
        stop.set()
        reader.join()
    return summary(result["l"]), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="newsroom-backup-bench-"))
    data_dir, corpus = work / "data", work / "corpus"
    manage(data_dir, "migrate", "--noinput")
    generate(options.articles, corpus)
    import_seconds = manage(data_dir, "import_articles", str(corpus))
    port = free_port()
    server = subprocess.Popen(
        [str(PYTHON), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"{base_url}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        alone, _ = reader_during(base_url, lambda: time.sleep(10))
        during, backup_seconds = reader_during(
            base_url, lambda: manage(data_dir, "backup", str(work / "backup"))
        )
    finally:
        server.terminate()
        server.wait(10)
    restore_seconds = manage(work / "restored", "restore", str(work / "backup"))
    manifest = json.loads((work / "backup" / "manifest.json").read_text())
    results = {
        "articles": manifest["counts"]["search.article"],
        "import_seconds": round(import_seconds, 1),
        "database_mb": round(manifest["files"]["database.sqlite3"]["bytes"] / 2**20, 1),
        "backup_seconds": round(backup_seconds, 2),
        "restore_seconds_with_index_rebuild": round(restore_seconds, 1),
        "reader_alone": alone,
        "reader_during_backup": during,
        "cpus": os.cpu_count(),
    }
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "backup-speed.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
