"""How cleaning and tagging time grows with the input: the seeds repeated 10, 20, 40 and 80
times, CPU seconds (median of 3). Linear rules double with the input; a quadratic one would
quadruple. (Measured here, not asserted in tests: a shared machine's load makes time flaky.)

    python bench/text_scaling.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.ingest.cleaning import clean_text  # noqa: E402
from search.ingest.extraction import MinisterSpec, TopicSpec, find_ministers, find_topics  # noqa: E402


def cpu_seconds(function, argument) -> float:
    samples = []
    for _ in range(3):
        started = time.process_time()
        function(argument)
        samples.append(time.process_time() - started)
    return statistics.median(samples)


def tag(text: str, ministers, topics) -> None:
    find_ministers(text, ministers)
    find_topics(text, topics)


def main() -> None:
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.txt"))]
    curation = json.loads((ROOT / "seeds" / "curation.json").read_text(encoding="utf-8"))
    ministers = [
        MinisterSpec(m["slug"], (m["name"], *m.get("aliases", [])))
        for m in curation.get("ministers", [])
    ]
    topics = [
        TopicSpec(t["slug"], tuple(t.get("keywords", []))) for t in curation.get("topics", [])
    ]
    rows = []
    for times in (10, 20, 40, 80):
        raw = "\n".join(seeds * times)
        rows.append(
            {
                "seeds x": times,
                "lines": raw.count("\n") + 1,
                "clean_text s": round(cpu_seconds(clean_text, raw), 4),
                "tagging s": round(
                    cpu_seconds(
                        lambda t: (find_ministers(t, ministers), find_topics(t, topics)), raw
                    ),
                    4,
                ),
            }
        )
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
