"""How much article text cleaning loses on wire copy, where every line of every story is article.

Reuters-21578 (../shared/corpora/reuters21578) holds 19,043 wire stories and no site furniture:
whatever the cleaner removes is lost text. All stories share one host, so they are one source,
and a line seen verbatim in three or more of them is "repeated" (as ingest counts it: normalised
lines of at most 120 characters). Each story is cleaned with its source's final evidence, as it
stands at the end of an import (ingest re-cleans earlier articles when new evidence arrives),
with the site-wide lines (in at least half of the source's stories) as ingest passes them;
``--without-sitewide`` measures cleaning as it was before ingest passed them. The stories are
cleaned as an import of the corpus's JSON lines cleans them (bodies given as text); with
``--as-text-dump``, as text dumps (.txt files) are.

    .venv/bin/python bench/repeated_lines_eval.py [--corpus PATH] [--examples 20] [--as-text-dump]

Words kept are counted in the drafted bodies, as an import stores them (the title given apart).
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

from search.ingest.cleaning import text_lines  # noqa: E402
from search.ingest.drafting import DraftInput, TagRules, draft_article  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "reuters21578" / "reuters21578.jsonl.gz"
EVIDENCE_MAX_LINE_LENGTH = 120  # as search.ingest.importing keeps evidence
REPEATED_LINE_MIN_ARTICLES = 3  # as the REPEATED_LINE_MIN_ARTICLES setting's default
SITEWIDE_SHARE = 0.5  # as search.ingest.evidence.SITEWIDE_SHARE


def word_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def load_stories(path: Path) -> list[tuple[str, str]]:
    """(title, body) of each story."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [(record["title"], record["body"]) for record in map(json.loads, lines)]


def line_counts(bodies: list[str], raw_format: str = "txt") -> Counter[str]:
    """In how many stories each short line stands (each story counted once)."""
    return Counter(
        line
        for body in bodies
        for line in text_lines(body, raw_format)
        if len(line) <= EVIDENCE_MAX_LINE_LENGTH
    )


def lines_in_at_least(seen: Counter[str], least: float) -> set[str]:
    return {line for line, articles in seen.items() if articles >= least}


def repeated_lines(bodies: list[str]) -> set[str]:
    """Lines in at least REPEATED_LINE_MIN_ARTICLES stories (each story counted once)."""
    return lines_in_at_least(line_counts(bodies), REPEATED_LINE_MIN_ARTICLES)


def sitewide_during_import(
    bodies: list[str], raw_format: str = "body", batch_size: int = 200
) -> Counter[str]:
    """Site-wide lines as an import in file order sees them after each batch (an article is not
    cleaned again when a line stops being site-wide): line -> stories it was removed from."""
    seen: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    for start in range(0, len(bodies), batch_size):
        batch = [
            {line for line in text_lines(body, raw_format) if len(line) <= EVIDENCE_MAX_LINE_LENGTH}
            for body in bodies[start : start + batch_size]
        ]
        for lines in batch:
            seen.update(lines)
        least = max(REPEATED_LINE_MIN_ARTICLES, SITEWIDE_SHARE * (start + len(batch)))
        for lines in batch:
            removed.update(line for line in lines if seen[line] >= least)
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--examples", type=int, default=15, help="removed lines to show")
    parser.add_argument(
        "--without-sitewide", action="store_true", help="as before ingest passed them"
    )
    parser.add_argument(
        "--as-text-dump", action="store_true", help="clean the stories as .txt files are"
    )
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"No corpus at {args.corpus}: pass --corpus (see ../shared/corpora/reuters21578).")
    raw_format = "txt" if args.as_text_dump else "body"
    stories = load_stories(args.corpus)
    bodies = [body for _, body in stories]
    seen = line_counts(bodies, raw_format)
    repeated = lines_in_at_least(seen, REPEATED_LINE_MIN_ARTICLES)
    sitewide = set()
    if not args.without_sitewide:
        sitewide = lines_in_at_least(
            seen, max(REPEATED_LINE_MIN_ARTICLES, SITEWIDE_SHARE * len(bodies))
        )
    total = repeated_words = 0
    lost: Counter[str] = Counter()
    lines_removed: Counter[str] = Counter()
    examples: Counter[tuple[str, str]] = Counter()
    kept = 0
    for title, body in stories:
        total += word_count(body)
        lines = text_lines(body, raw_format)
        repeated_words += sum(word_count(line) for line in lines if line in repeated)
        # drafted as an import drafts it: cleaned, then a headline split off unless given
        draft = draft_article(
            source=DraftInput(raw=body, raw_format=raw_format, given_title=title),
            repeated_lines=repeated.intersection(lines),
            sitewide_lines=sitewide.intersection(lines),
            rules=TagRules((), ()),
        )
        kept += word_count(draft.body)
        for block in draft.removed:
            lost[block.reason] += word_count(block.text)
            lines_removed[block.reason] += 1
            examples[block.reason, block.text] += 1
    print(
        f"stories: {len(bodies):,}; words: {total:,}; repeated lines: {len(repeated):,};"
        f" site-wide lines: {len(sitewide):,}"
    )
    print(
        f"words in repeated lines (all lost if repetition were the verdict): {repeated_words:,}"
        f" ({repeated_words / total:.2%})"
    )
    lost_words = sum(lost.values())
    print(f"drafted as: {raw_format}; words kept in the bodies: {kept:,} ({kept / total:.2%})")
    print(f"words removed by cleaning: {lost_words:,} ({lost_words / total:.2%})")
    split_off = total - kept - lost_words
    print(f"  taken out of the body as its title: {split_off:,} words ({split_off / total:.2%})")
    for reason, words in lost.most_common():
        print(f"  {reason}: {lines_removed[reason]:,} lines, {words:,} words ({words / total:.2%})")
    if not args.without_sitewide:
        during = sitewide_during_import(bodies, raw_format)
        words = sum(word_count(line) * stories for line, stories in during.items())
        print(
            f"site-wide during an import in batches of 200: {len(during):,} lines, "
            f"{words:,} words removed ({words / total:.2%})"
        )
    print("most frequent removed lines:")
    for (reason, text), count in examples.most_common(args.examples):
        print(f"  {count:5d}  {reason}: {text[:90]}")


if __name__ == "__main__":
    main()
