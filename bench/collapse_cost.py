"""What collapsing near-duplicates costs a search: bench/run.py before and after, then again
with a share of the archive in clusters of copies.

    python bench/collapse_cost.py --before 6c84830 --size 10000 [--rounds 5] [--share 0.1]

The synthetic corpus (bench/corpus.py) has no re-posted copies, so "after" alone only shows
the cost of collapsing when nothing collapses. The third measurement puts ``share`` of the
after-archive's articles into clusters of two to four (consecutive ids, set in the database
as the detector would), rebuilds the index and times the app's query mix again: the work the
engine does for stories with copies. Both trees are exported with ``git archive`` (committed
code only) and run with this venv; each keeps its data under its own bench/out/. Prints the
app's API p50/p95 for each; the figures we keep are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT / "bench"))

from run import latency_summary  # noqa: E402


def exported(ref: str) -> Path:
    tree = Path(tempfile.mkdtemp(prefix=f"newsroom-{ref[:8]}-"))
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def bench_run(tree: Path, *, size: int, rounds: int) -> dict:
    """bench/run.py of that tree at one size; its report (not written into docs/)."""
    report = tree / "bench" / "out" / "report.json"
    subprocess.run(
        [
            PYTHON,
            str(tree / "bench" / "run.py"),
            "--sizes",
            str(size),
            f"--rounds={rounds}",
            "--json",
            str(report),
            "--markdown",
            str(tree / "bench" / "out" / "report.md"),
        ],
        cwd=tree,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return json.loads(report.read_text())["sizes"][str(size)]


def cluster_share(data_dir: Path, share: float) -> int:
    """Put ``share`` of the articles into clusters of 2-4 consecutive ids; returns how many."""
    db = sqlite3.connect(data_dir / "newsroom.sqlite3")
    try:
        ids = [row[0] for row in db.execute("SELECT id FROM search_article ORDER BY id")]
        wanted, placed, sizes, start = int(len(ids) * share), 0, [2, 3, 4], 0
        every = max(1, int(len(ids) / max(1, wanted / 3)))
        updates = []
        while placed < wanted and start < len(ids):
            group = ids[start : start + sizes[placed % 3]]
            updates += [(group[0], pk) for pk in group]
            placed += len(group)
            start += every
        db.executemany("UPDATE search_article SET story_cluster = ? WHERE id = ?", updates)
        db.commit()
        return placed
    finally:
        db.close()


def app_latency(tree: Path, data_dir: Path, rounds: int) -> dict:
    env = {**os.environ, "NEWSROOM_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    env["ALLOWED_HOSTS"] = "testserver,localhost"
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [PYTHON, str(tree / "manage.py"), "rebuild_index", "-v0", "--procs=2"],
        cwd=tree,
        env=env,
        check=True,
    )
    measured = subprocess.run(
        [PYTHON, str(tree / "bench" / "measure.py"), "app", f"--rounds={rounds}"],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return latency_summary(json.loads(measured.stdout)["api"]["samples_ms"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the commit before collapsing")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.1)
    arguments = parser.parse_args()
    results = {"load_at_start": os.getloadavg()[0]}
    trees = {"before": exported(arguments.before), "after": exported(arguments.after)}
    for name, tree in trees.items():
        print(f"{name}: bench/run.py --sizes {arguments.size} ...", flush=True)
        latency = bench_run(tree, size=arguments.size, rounds=arguments.rounds)["app"]["api"]
        results[name] = {key: latency["latency"][key] for key in ("p50_ms", "p95_ms")}
        print(f"  {json.dumps(results[name])}", flush=True)
    data_dir = trees["after"] / "bench" / "out" / f"data-{arguments.size}"
    placed = cluster_share(data_dir, arguments.share)
    print(f"after, {placed} articles in clusters: rebuild and search ...", flush=True)
    latency = app_latency(trees["after"], data_dir, arguments.rounds)
    results["after_with_clusters"] = {
        "articles_in_clusters": placed,
        **{key: latency[key] for key in ("p50_ms", "p95_ms")},
    }
    results["load_at_end"] = os.getloadavg()[0]
    for name in ("after", "after_with_clusters"):
        results[f"{name}_over_before_p95"] = round(
            results[name]["p95_ms"] / results["before"]["p95_ms"], 3
        )
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
