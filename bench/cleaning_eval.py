"""Word-level F1 of our cleaning on the WCXB development pages, beside trafilatura and justext.

Each page is cleaned twice: as HTML, and as the text dump a reader's select-all-and-copy gives
(one line per block, menus and footers included), which is what most of the archive is made of.
The extractors run on the same inputs (a text dump is given to them as one <p> per line). The
README of the corpus names a fixed 30% of the pages to keep aside; they are scored apart, and
nothing was tuned on them.

    .venv/bin/python bench/cleaning_eval.py                      # every system, both parts
    .venv/bin/python bench/cleaning_eval.py --systems ours-dump --part tuned --json /tmp/x.json

Scores are bag-of-words: lower-cased word tokens of the output against the ground truth's,
per page; the tables give the mean over pages of P, R and F1, and the median F1.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import justext
import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from search.ingest.cleaning import clean_html, clean_text, html_blocks  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "wcxb-dev" / "pages.jsonl.gz"
PARTS = ("tuned", "held-aside")


@dataclass(frozen=True)
class Page:
    id: str
    html: str
    main_text: str
    page_type: str

    @property
    def part(self) -> str:
        return "held-aside" if is_held_aside(self.id) else "tuned"


def is_held_aside(page_id: str) -> bool:
    """The corpus README's fixed 30%: never looked at while tuning."""
    return int(hashlib.sha1(page_id.encode()).hexdigest(), 16) % 10 < 3


def load_pages(path: Path) -> Iterator[Page]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            yield Page(record["id"], record["html"], record["main_text"], record["page_type"])


def text_dump(page_html: str) -> str:
    return "\n".join(html_blocks(page_html))


def dump_as_html(dump: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in dump.splitlines())
    return f"<html><body>{paragraphs}</body></html>"


def justext_text(page_html: str) -> str:
    paragraphs = justext.justext(page_html.encode(), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


SYSTEMS: dict[str, Callable[[str, str], str]] = {
    # name -> (page html, its text dump) -> extracted text
    "ours-html": lambda page_html, dump: clean_html(page_html).body,
    "trafilatura-html": lambda page_html, dump: trafilatura.extract(page_html) or "",
    "justext-html": lambda page_html, dump: justext_text(page_html),
    "ours-dump": lambda page_html, dump: clean_text(dump).body,
    "trafilatura-dump": lambda page_html, dump: trafilatura.extract(dump_as_html(dump)) or "",
    "justext-dump": lambda page_html, dump: justext_text(dump_as_html(dump)),
    "whole-dump": lambda page_html, dump: dump,
}


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def word_scores(got: str, expected: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of the output's words against the expected words."""
    got_words, expected_words = words(got), words(expected)
    overlap = sum((got_words & expected_words).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision = overlap / sum(got_words.values())
    recall = overlap / sum(expected_words.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def summary(scores: list[tuple[float, float, float]]) -> dict[str, float]:
    precision, recall, f1 = zip(*scores, strict=True)
    return {
        "pages": len(scores),
        "precision": statistics.fmean(precision),
        "recall": statistics.fmean(recall),
        "f1": statistics.fmean(f1),
        "median_f1": statistics.median(f1),
        "below_0_5": sum(value < 0.5 for value in f1),
    }


def evaluate(pages: list[Page], systems: list[str]) -> dict:
    per_page: dict[str, dict[str, tuple[float, float, float]]] = {name: {} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for page in pages:
        dump = text_dump(page.html)
        for name in systems:
            started = time.perf_counter()
            output = SYSTEMS[name](page.html, dump)
            seconds[name] += time.perf_counter() - started
            per_page[name][page.id] = word_scores(output, page.main_text)
    part_of = {page.id: page.part for page in pages}
    type_of = {page.id: page.page_type for page in pages}
    result = {}
    for name in systems:
        result[name] = {"seconds": seconds[name], "pages": per_page[name]}
        for part in PARTS:
            for subset, wanted in (("all", None), ("article", "article")):
                scores = [
                    score
                    for page_id, score in per_page[name].items()
                    if part_of[page_id] == part and wanted in (None, type_of[page_id])
                ]
                if scores:
                    result[name][f"{part}/{subset}"] = summary(scores)
    return result


def markdown(result: dict) -> str:
    lines = [
        "| system | part | page types | pages | F1 (mean) | P | R | F1 (median) | F1 < 0.5 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for subset in ("article", "all"):
        for name, data in result.items():
            for part in PARTS:
                if (s := data.get(f"{part}/{subset}")) is not None:
                    lines.append(
                        f"| {name} | {part} | {subset} | {s['pages']} | {s['f1']:.3f} "
                        f"| {s['precision']:.3f} | {s['recall']:.3f} | {s['median_f1']:.3f} "
                        f"| {s['below_0_5']} |"
                    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--part", choices=(*PARTS, "both"), default="both")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated")
    parser.add_argument("--json", type=Path, help="write every page's scores here")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"No corpus at {args.corpus}: pass --corpus (see ../shared/corpora/wcxb-dev).")
    systems = args.systems.split(",")
    if unknown := set(systems) - set(SYSTEMS):
        sys.exit(f"Unknown systems {sorted(unknown)}: choose from {', '.join(SYSTEMS)}.")
    pages = [p for p in load_pages(args.corpus) if args.part in ("both", p.part)]
    result = evaluate(pages, systems)
    print(markdown(result))
    for name, data in result.items():
        print(f"{name}: {data['seconds']:.1f} s for {len(pages)} pages", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
