"""What collapsing near-duplicates costs a search: bench/run.py before and after, then the
app's query mix again, interleaved, with a share of the archive in clusters of copies.

    python bench/collapse_cost.py --before 6c84830 --size 10000 [--rounds 3] [--share 0.1]

Both trees are exported with ``git archive`` (committed code only), run with this venv, and
keep their data under their own bench/out/; their bench/run.py runs side by side, so a busy
spell on a shared machine slows both alike. The synthetic corpus (bench/corpus.py) has no
re-posted copies, so "after" alone shows the cost of collapsing when nothing collapses: a copy
of the after-archive then gets ``share`` of its articles in clusters of two to four (set in
the database as the detector would) and a rebuilt index. Last, the app's API is timed on the
three archives in turn (``alternations`` times): pooled p50/p95 each, and the ratio to before.
The figures we keep are in docs/near_duplicates.md ("Cost").
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
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


def environment(data_dir: Path) -> dict:
    env = {**os.environ, "NEWSROOM_DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    env["ALLOWED_HOSTS"] = "testserver,localhost"
    env.pop("DATABASE_URL", None)
    env.pop("NEWSROOM_INDEX_DIR", None)
    return env


def rebuild(tree: Path, data_dir: Path) -> None:
    subprocess.run(
        [PYTHON, str(tree / "manage.py"), "rebuild_index", "-v0", "--procs=2"],
        cwd=tree,
        env=environment(data_dir),
        check=True,
    )


def app_samples(tree: Path, data_dir: Path, rounds: int) -> dict[str, list[float]]:
    """The app's API latencies (ms) per query of the mix, ``rounds`` passes after a warm-up."""
    measured = subprocess.run(
        [PYTHON, str(tree / "bench" / "measure.py"), "app", f"--rounds={rounds}"],
        cwd=tree,
        env=environment(data_dir),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(measured.stdout)["api"]["samples_ms"]


def pooled_p95(samples: list[dict]) -> dict:
    merged: dict[str, list[float]] = {}
    for sample in samples:
        for name, values in sample.items():
            merged.setdefault(name, []).extend(values)
    summary = latency_summary(merged)
    return {key: summary[key] for key in ("p50_ms", "p95_ms")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", required=True, help="the commit before collapsing")
    parser.add_argument("--after", default="HEAD")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--alternations", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.1)
    arguments = parser.parse_args()
    results: dict = {"load_at_start": os.getloadavg()[0]}
    trees = {"before": exported(arguments.before), "after": exported(arguments.after)}
    # Side by side, so a busy spell on a shared machine slows both alike.
    print(f"bench/run.py --sizes {arguments.size} in both trees ...", flush=True)
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = dict(
            zip(
                trees,
                pool.map(
                    lambda tree: bench_run(tree, size=arguments.size, rounds=arguments.rounds),
                    trees.values(),
                ),
                strict=True,
            )
        )
    for name, run in runs.items():
        latency = run["app"]["api"]["latency"]
        results[f"run.py {name}"] = {key: latency[key] for key in ("p50_ms", "p95_ms")}
        results[f"run.py {name}"]["import_articles_per_s"] = run["import"]["articles_per_s"]
        print(f"  {name}: {json.dumps(results[f'run.py {name}'])}", flush=True)
    data = {name: tree / "bench" / "out" / f"data-{arguments.size}" for name, tree in trees.items()}
    clustered = data["after"].with_name(data["after"].name + "-clustered")
    shutil.rmtree(clustered, ignore_errors=True)
    shutil.copytree(data["after"], clustered)
    placed = cluster_share(clustered, arguments.share)
    rebuild(trees["after"], clustered)
    variants = {
        "before": (trees["before"], data["before"]),
        "after": (trees["after"], data["after"]),
        f"after, {placed} articles in clusters": (trees["after"], clustered),
    }
    samples: dict[str, list[dict]] = {name: [] for name in variants}
    for alternation in range(arguments.alternations):
        for name, (tree, data_dir) in variants.items():
            print(f"alternation {alternation + 1}: {name} ...", flush=True)
            samples[name].append(app_samples(tree, data_dir, arguments.rounds))
    for name in variants:
        results[f"interleaved {name}"] = pooled_p95(samples[name])
    base = results["interleaved before"]["p95_ms"]
    for name in list(variants)[1:]:
        results[f"interleaved {name}"]["p95_over_before"] = round(
            results[f"interleaved {name}"]["p95_ms"] / base, 3
        )
    results["load_at_end"] = os.getloadavg()[0]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
