"""Before/after of the app's search latency on one index: two checkouts, runs alternated.

    python bench/compare_app.py --before /tmp/old-checkout --data bench/out/data-10000 --pairs 3

Runs ``bench/measure.py app`` of the checkout given as ``--before`` and of this one, in turns
(before, after, before, after, …) on the same data directory, so that a machine whose speed
drifts slows both alike; prints p50/p95 of each side (every timed request pooled) and their
ratios. The index must be one both versions read (same schema); ``bench/run.py`` builds one.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from run import percentile  # noqa: E402


def measure(checkout: Path, data_dir: Path, rounds: int) -> dict[str, list[float]]:
    env = {
        **os.environ,
        "NEWSROOM_DATA_DIR": str(data_dir.resolve()),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "ALLOWED_HOSTS": "testserver,localhost",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("NEWSROOM_INDEX_DIR", None)
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, str(checkout / "bench" / "measure.py"), "app", f"--rounds={rounds}"],
        env=env,
        cwd=checkout,
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(completed.stdout)
    return {
        kind: [ms for samples in result[kind]["samples_ms"].values() for ms in samples]
        for kind in ("api", "htmx")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the older checkout")
    parser.add_argument("--data", type=Path, required=True, help="a data dir bench/run.py made")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    pooled = {side: {"api": [], "htmx": []} for side in ("before", "after")}
    for pair in range(arguments.pairs):
        for side, checkout in (("before", arguments.before), ("after", ROOT)):
            for kind, samples in measure(checkout, arguments.data, arguments.rounds).items():
                pooled[side][kind] += samples
            print(f"pair {pair + 1}: {side} done", file=sys.stderr, flush=True)
    report = {}
    for kind in ("api", "htmx"):
        before, after = pooled["before"][kind], pooled["after"][kind]
        report[kind] = {
            "requests_each": len(before),
            "before_p50_ms": round(percentile(before, 0.5), 1),
            "after_p50_ms": round(percentile(after, 0.5), 1),
            "before_p95_ms": round(percentile(before, 0.95), 1),
            "after_p95_ms": round(percentile(after, 0.95), 1),
            "p50_ratio": round(percentile(after, 0.5) / percentile(before, 0.5), 3),
            "p95_ratio": round(percentile(after, 0.95) / percentile(before, 0.95), 3),
        }
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
