"""How often the publication date we find is the page's own, on the WCXB development pages.

For the pages whose ground truth has a date, three readings of the HTML (our rules over meta
tags, JSON-LD and <time>; htmldate; the two combined as search.ingest.extraction.html_published
does) and three of the text dump (its cleaned body, as ingest dated a text dump before; the whole
dump, header and footer included; and the ingest path itself, ``drafting.draft_article``,
which reads the raw dump with the drafted title). Tuned and held-aside parts apart, as in
bench/cleaning_eval.py.

    .venv/bin/python bench/dates_eval.py
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import htmldate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cleaning_eval import CORPUS, PARTS, is_held_aside, text_dump  # noqa: E402

from search.ingest import drafting, extraction  # noqa: E402
from search.ingest.cleaning import clean_text  # noqa: E402


def htmldate_date(html: str) -> datetime.date | None:
    found = htmldate.find_date(html, original_date=True, extensive_search=True)
    return datetime.date.fromisoformat(found) if found else None


def cleaned_dump_date(html: str) -> datetime.date | None:
    return extraction.find_published(clean_text(text_dump(html)).body)


def raw_dump_date(html: str) -> datetime.date | None:
    return extraction.find_published(text_dump(html))


NO_TAG_RULES = drafting.TagRules(ministers=(), topics=())


def ingest_date(html: str) -> datetime.date | None:
    source = drafting.DraftInput(raw=text_dump(html), raw_format="txt")
    return drafting.draft_article(source=source, repeated_lines=(), rules=NO_TAG_RULES).published


READINGS: dict[str, Callable[[str], datetime.date | None]] = {
    "our HTML rules": extraction.html_published_by_rules,
    "htmldate": htmldate_date,
    "html_published (ours, then htmldate)": extraction.html_published,
    "text dump, cleaned body": cleaned_dump_date,
    "text dump, whole input": raw_dump_date,
    "text dump, as ingest drafts it": ingest_date,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"No corpus at {args.corpus}: pass --corpus (see ../shared/corpora/wcxb-dev).")
    outcomes: Counter[tuple[str, str, str]] = Counter()
    pages: Counter[str] = Counter()
    with gzip.open(args.corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", record.get("published") or ""):
                continue  # no date, or only a year or a month: nothing to check a day against
            part = "held-aside" if is_held_aside(record["id"]) else "tuned"
            pages[part] += 1
            truth = datetime.date.fromisoformat(record["published"][:10])
            for name, reading in READINGS.items():
                found = reading(record["html"])
                outcome = "none" if found is None else ("right" if found == truth else "wrong")
                outcomes[name, part, outcome] += 1
    print("| reading | part | pages | right | wrong | none |")
    print("|---|---|---|---|---|---|")
    for name in READINGS:
        for part in PARTS:
            right, wrong, none = (outcomes[name, part, o] for o in ("right", "wrong", "none"))
            print(
                f"| {name} | {part} | {pages[part]} | {right} ({right / pages[part]:.0%}) "
                f"| {wrong} | {none} |"
            )


if __name__ == "__main__":
    main()
