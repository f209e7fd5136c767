"""How many documents the index worker writes again in merges during an import, by policy.

The worker commits one segment a batch of queued changes; at each commit Whoosh's merge
policy picks existing segments to merge into the new one (their documents are written
again). This counts those rewrites, and the segments a search must read, for an import of
N articles into an archive of ``--archive`` articles, without running Whoosh: the policies
are plain functions of the segments' sizes.

    .venv/bin/python bench/merge_policy.py --articles 10000 100000 --batches 1000 5000
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from whoosh.util import fib

Policy = Callable[[list[int], bool], tuple[list[int], list[int]]]  # -> (merged, kept)


def merge_small(segments: list[int], last: bool) -> tuple[list[int], list[int]]:
    """Whoosh's MERGE_SMALL (whoosh.writing), on sizes: the smallest segments, up to the
    first point past the fourth where their total is under a Fibonacci bound."""
    ordered = sorted(segments)
    total = 0
    for i, count in enumerate(ordered):
        total += count
        if i > 3 and total < fib(i + 5):
            return (ordered[: i + 1], ordered[i + 1 :]) if i >= 1 else ([], ordered)
    return [], ordered


def tiered(segments: list[int], last: bool, per_tier: int = 10) -> tuple[list[int], list[int]]:
    """Merge ``per_tier`` segments of one size tier (powers of ten) when that many exist."""
    tiers: dict[int, list[int]] = {}
    for count in segments:
        tiers.setdefault(len(str(count)), []).append(count)
    for tier in sorted(tiers):
        if len(tiers[tier]) >= per_tier:
            merged = tiers[tier]
            rest = [c for t, counts in tiers.items() if t != tier for c in counts]
            return merged, rest
    return [], segments


def deferred(segments: list[int], last: bool) -> tuple[list[int], list[int]]:
    """No merge while the import runs; everything merged into the import's last commit."""
    return (segments, []) if last else ([], segments)


POLICIES: dict[str, Policy] = {
    "MERGE_SMALL (now)": merge_small,
    "tiered (10 a tier)": tiered,
    "deferred to the end": deferred,
}


def simulate(policy: Policy, *, archive: int, articles: int, batch: int) -> dict:
    segments = [archive] if archive else []
    rewritten = most = 0
    done = 0
    while done < articles:
        size = min(batch, articles - done)
        done += size
        merged, kept = policy(segments, done >= articles)
        rewritten += sum(merged)
        segments = [*kept, size + sum(merged)]
        most = max(most, len(segments))
    return {"rewritten": rewritten, "most_segments": most, "final_segments": len(segments)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batches", type=int, nargs="+", default=[1_000, 5_000])
    parser.add_argument("--archive", type=int, default=5, help="articles indexed before")
    args = parser.parse_args()
    print("| import | batch | policy | documents written again | most segments | at the end |")
    print("|---:|---:|---|---:|---:|---:|")
    for articles in args.articles:
        for batch in args.batches:
            for name, policy in POLICIES.items():
                found = simulate(policy, archive=args.archive, articles=articles, batch=batch)
                print(
                    f"| {articles:,} | {batch:,} | {name} | {found['rewritten']:,} "
                    f"| {found['most_segments']} | {found['final_segments']} |"
                )


if __name__ == "__main__":
    main()
