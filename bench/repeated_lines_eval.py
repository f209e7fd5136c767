"""How much article text cleaning loses on wire copy, where every line of every story is article.

Reuters-21578 (../shared/corpora/reuters21578) holds 19,043 wire stories and no site furniture:
whatever the cleaner removes is lost text. All stories share one host, so they are one source,
and a line seen verbatim in three or more of them is "repeated" (as ingest counts it: normalised
lines of at most 120 characters). Each story is cleaned with its source's final evidence, as it
stands at the end of an import (ingest re-cleans earlier articles when new evidence arrives).

    .venv/bin/python bench/repeated_lines_eval.py [--corpus PATH] [--examples 20]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.cleaning import clean_text, text_lines  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
EVIDENCE_MAX_LINE_LENGTH = 120  # as search.ingest keeps evidence
REPEATED_LINE_MIN_ARTICLES = 3  # as the REPEATED_LINE_MIN_ARTICLES setting's default


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def load_bodies(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["body"] for line in lines]


def repeated_lines(bodies: list[str]) -> set[str]:
    """Lines in at least REPEATED_LINE_MIN_ARTICLES stories (each story counted once)."""
    seen = Counter(
        line
        for body in bodies
        for line in text_lines(body, "txt")
        if len(line) <= EVIDENCE_MAX_LINE_LENGTH
    )
    return {line for line, articles in seen.items() if articles >= REPEATED_LINE_MIN_ARTICLES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--examples", type=int, default=15, help="removed lines to show")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"No corpus at {args.corpus}: pass --corpus (see ../shared/corpora/reuters21578).")
    bodies = load_bodies(args.corpus)
    repeated = repeated_lines(bodies)
    total = repeated_words = 0
    lost: Counter[str] = Counter()
    examples: Counter[tuple[str, str]] = Counter()
    for body in bodies:
        total += word_count(body)
        lines = text_lines(body, "txt")
        repeated_words += sum(word_count(line) for line in lines if line in repeated)
        for block in clean_text(body, repeated_lines=repeated.intersection(lines)).removed:
            lost[block.reason] += word_count(block.text)
            examples[block.reason, block.text] += 1
    print(f"stories: {len(bodies):,}; words: {total:,}; repeated lines: {len(repeated):,}")
    print(
        f"words in repeated lines (all lost if repetition were the verdict): {repeated_words:,}"
        f" ({repeated_words / total:.2%})"
    )
    print(f"words lost by cleaning: {sum(lost.values()):,} ({sum(lost.values()) / total:.2%})")
    for reason, words in lost.most_common():
        print(f"  {reason}: {words:,} ({words / total:.2%})")
    print("most frequent removed lines:")
    for (reason, text), count in examples.most_common(args.examples):
        print(f"  {count:5d}  {reason}: {text[:90]}")


if __name__ == "__main__":
    main()
