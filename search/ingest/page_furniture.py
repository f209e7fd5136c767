"""A paged document's furniture, removed by evidence: running headers, footers, page numbers.

A PDF's raw text keeps its pages apart (``PAGE_BREAK``, a form feed on a line of its own), so
this runs again on every re-cleaning. A line at the top or bottom of most pages, the same once
its digits are folded ("Page 3 of 10", "Report 2024 | 7"), is the document's running header or
footer, not its text; a line that is only a page number ("3", "- 3 -", "Page 3 of 10") at
the top or bottom of a page goes too. A number inside a page (a table's figure) stays: only
the first and last lines of a page are judged. Then the text is cleaned as a text dump.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection

from search.ingest import cleaning

PAGE_BREAK = "\f"
# The lines of a page's top and bottom that may be furniture.
EDGE_LINES = 3
_PAGE_NUMBER = re.compile(
    r"(?:page|p\.|seite|pg\.?)?\s*[-–—(\[]?\s*(?:\d{1,4}|[ivx]{1,5})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/|von)\s*\d{1,4})?",
    re.IGNORECASE,
)


def split_pages(raw: str) -> list[list[str]]:
    """Each page's non-empty lines, stripped."""
    return [
        [line.strip() for line in page.splitlines() if line.strip()]
        for page in raw.split(PAGE_BREAK)
    ]


def fold_digits(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.casefold().split()))


def edge_indexes(lines: list[str]) -> list[int]:
    count = len(lines)
    top, bottom = range(min(EDGE_LINES, count)), range(max(count - EDGE_LINES, 0), count)
    return sorted({*top, *bottom})


def running_lines(pages: list[list[str]]) -> set[str]:
    """Folded lines at the edge of most pages (at least two): headers and footers."""
    seen = Counter()
    for lines in pages:
        seen.update({fold_digits(lines[index]) for index in edge_indexes(lines)})
    needed = max(2, len(pages) // 2 + 1)
    return {line for line, pages_with_it in seen.items() if pages_with_it >= needed}


def strip_furniture(
    raw: str, *, keep_lines: Collection[str] = ()
) -> tuple[str, list[cleaning.RemovedBlock]]:
    """The text without its running lines and page numbers, and what went with its reason."""
    pages = split_pages(raw)
    running = running_lines(pages)
    kept = cleaning.normalised(keep_lines)
    text, removed = [], []
    for lines in pages:
        edges = set(edge_indexes(lines))
        for index, line in enumerate(lines):
            reason = None
            if index in edges and cleaning.normalise_line(line) not in kept:
                if _PAGE_NUMBER.fullmatch(line):
                    reason = "page-number"
                elif fold_digits(line) in running:
                    reason = "running-header" if index < EDGE_LINES else "running-footer"
            if reason:
                removed.append(cleaning.RemovedBlock(text=" ".join(line.split()), reason=reason))
            else:
                text.append(line)
    return "\n".join(text), removed


def clean_pdf(
    raw: str,
    *,
    repeated_lines: Collection[str] = (),
    keep_lines: Collection[str] = (),
    drop_lines: Collection[str] = (),
    sitewide_lines: Collection[str] = (),
) -> cleaning.CleanedText:
    """A PDF's text: its page furniture removed, then cleaned as a text dump."""
    text, removed = strip_furniture(raw, keep_lines=keep_lines)
    cleaned = cleaning.clean_text(
        text,
        repeated_lines=repeated_lines,
        keep_lines=keep_lines,
        drop_lines=drop_lines,
        sitewide_lines=sitewide_lines,
    )
    return cleaning.CleanedText(body=cleaned.body, removed=(*removed, *cleaned.removed))
