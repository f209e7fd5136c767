"""Every PDF of a folder read and drafted as an import would: its title, date and words, or the
reason it is skipped.

    python bench/pdf_samples.py                    # ../shared/corpora/pdf-samples
    python bench/pdf_samples.py PATH --no-ocr      # as on a machine without Tesseract

Drafting is the import's own pure step (no database): what it prints is what an import would
write. The samples are py-pdf/sample-files (CC-BY-SA-4.0), not news: they test robustness.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpora" / "pdf-samples"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--no-ocr", action="store_true", help="as if tesseract were missing")
    arguments = parser.parse_args()
    if arguments.no_ocr:
        os.environ["PATH"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from search.ingest.drafting import DraftInput, TagRules, draft_article
    from search.ingest.pdf import PdfLimits
    from search.ingest.sources import SourceProblem, read_documents

    rules = TagRules(ministers=(), topics=())
    imported = skipped = 0
    for path in sorted(arguments.folder.rglob("*.pdf")):
        name = path.relative_to(arguments.folder).as_posix()
        started = time.monotonic()
        [item] = read_documents(path, display_path=name, max_bytes=5 << 20, pdf_limits=PdfLimits())
        if isinstance(item, SourceProblem):
            skipped += 1
            print(f"SKIPPED  {name}: {item.reason}")
            continue
        draft = draft_article(
            source=DraftInput(
                raw=item.raw,
                raw_format=item.raw_format,
                given_title=item.title,
                given_published=item.published,
            ),
            repeated_lines=(),
            rules=rules,
        )
        imported += 1
        furniture = sum(block.reason.startswith(("running-", "page-")) for block in draft.removed)
        print(
            f"IMPORTED {name}: {draft.title[:60]!r}, {draft.published or 'undated'}, "
            f"{len(draft.body.split()):,} words, {furniture} furniture lines removed "
            f"({time.monotonic() - started:.1f} s)"
        )
    print(f"\n{imported} imported, {skipped} skipped")


if __name__ == "__main__":
    main()
