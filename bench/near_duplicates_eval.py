"""Pair precision and recall of the near-duplicate detector on hand-labelled Reuters pairs.

The labels (``bench/near_duplicates/reuters_pairs.csv``) are NEWID pairs only; the texts are
read from ``../shared/corpora/reuters21578``. A pair is called "versions of one story" when
the detector would call it so at import: the two share an LSH band or an anchor (are found as
candidates among the whole corpus's signatures), or one is a tagged correction the other may
be the original of (``corrected_pairs``), and ``are_versions`` holds. Also shown: the seeds' pairs
(three reports of one meeting among them), and how many pairs the whole corpus clusters.

    .venv/bin/python bench/near_duplicates_eval.py
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import itertools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.stories import near_duplicates  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
LABELLED = ROOT / "bench" / "near_duplicates"
# Each file's pairs, labelled by reading both texts: what the detector should call versions.
LABELS = {
    "drawn from candidates and headlines": LABELLED / "reuters_pairs.csv",
    "corrections and their originals": LABELLED / "reuters_corrections.csv",
    "short texts inside longer ones": LABELLED / "reuters_short_inside_long.csv",
}


def read_labels(path: Path) -> list[tuple[int, int, bool]]:
    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    return [
        (int(r["newid_a"]), int(r["newid_b"]), r["same_story"] == "1")
        for r in csv.DictReader(lines)
    ]


def candidate_pairs(signatures: dict[int, near_duplicates.Signature]) -> set[tuple[int, int]]:
    """Pairs sharing at least one key (a band or an anchor): what the index hands the
    detector."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for key, signature in signatures.items():
        for band_key in near_duplicates.index_keys(signature):
            buckets[band_key].append(key)
    return {
        (first, second)
        for keys in buckets.values()
        for first, second in itertools.combinations(sorted(keys), 2)
    }


def corrected_pairs(sent: dict[int, near_duplicates.Sent]) -> set[tuple[int, int]]:
    """Pairs of a tagged correction and an article it may correct: compared at import
    whether or not they share a key (``clusters.corrected_originals``)."""
    tagged = [key for key, one in sent.items() if one.marked_correction]
    return {
        (min(key, other), max(key, other))
        for key in tagged
        for other, one in sent.items()
        if other != key and near_duplicates.may_be_corrected_by(one, sent[key])
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        records = {record["newid"]: record for record in map(json.loads, lines)}
    started = time.perf_counter()
    signatures = {key: near_duplicates.signature(r["body"]) for key, r in records.items()}
    seconds = time.perf_counter() - started

    def sent(newid: int) -> near_duplicates.Sent:
        record = records[newid]
        published = datetime.date.fromisoformat(record["published"])
        return near_duplicates.Sent(record["title"], published, "reuters")

    candidates = candidate_pairs(signatures) | corrected_pairs({key: sent(key) for key in records})

    def called_same(first: int, second: int) -> bool:
        pair = (min(first, second), max(first, second))
        return pair in candidates and near_duplicates.are_versions(
            signatures[first], signatures[second], sent=(sent(first), sent(second))
        )

    counts = {(truth, called): 0 for truth in (True, False) for called in (True, False)}
    for name, path in LABELS.items():
        labels = read_labels(path)
        joined_here = 0
        for first, second, truth in labels:
            called = called_same(first, second)
            counts[truth, called] += 1
            joined_here += truth and called
            if truth != called:
                containment = near_duplicates.containment(signatures[first], signatures[second])
                print(
                    f"  {'missed' if truth else 'wrongly joined'}: {first} {second} "
                    f"(containment {containment:.2f})"
                )
        same = sum(truth for *_, truth in labels)
        print(
            f"{name}: {len(labels)} pairs, {same} same story, joined "
            f"{joined_here / max(1, same):.3f} ({joined_here}/{same})"
        )
    true_positive, false_positive = counts[True, True], counts[False, True]
    false_negative = counts[True, False]
    print(
        f"all labelled pairs: pair precision "
        f"{true_positive / max(1, true_positive + false_positive):.3f} "
        f"({true_positive}/{true_positive + false_positive}), pair recall "
        f"{true_positive / max(1, true_positive + false_negative):.3f} "
        f"({true_positive}/{true_positive + false_negative})"
    )
    joined = sum(1 for pair in candidates if called_same(*pair))
    print(
        f"corpus: {len(records)} articles, signatures in {seconds:.1f} s "
        f"({len(records) / seconds:.0f}/s), {len(candidates)} candidate pairs, "
        f"{joined} called versions"
    )
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    seed_signatures = {path.name: near_duplicates.signature(path.read_text()) for path in seeds}
    for first, second in itertools.combinations(seed_signatures, 2):
        a, b = seed_signatures[first], seed_signatures[second]
        print(
            f"seeds {first} / {second}: containment {near_duplicates.containment(a, b):.2f}, "
            f"versions: {near_duplicates.are_versions(a, b)}"
        )


if __name__ == "__main__":
    main()
