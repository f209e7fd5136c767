"""Test data for near-duplicates: a story, its re-posted copy (other boilerplate, another
headline, a few edits) and another week's report from the same template, as import records."""

from __future__ import annotations

import json
from pathlib import Path

from search.ingest import importing

FIXTURES = Path(__file__).parent / "fixtures" / "near_duplicates"
STORY, COPY, OTHER = "https://a.example/story", "https://b.example/copy", "https://a.example/w"
FILES = {STORY: "story.txt", COPY: "story_reposted.txt", OTHER: "other_week.txt"}
DATES = {STORY: "2026-03-23", COPY: "2026-03-24", OTHER: "2026-02-10"}


def record(url: str, *, suffix: str = "") -> dict:
    """The import record of one of them; ``suffix`` added to its body (an update)."""
    title, body = (FIXTURES / FILES[url]).read_text(encoding="utf-8").split("\n\n", 1)
    return {"title": title, "body": body + suffix, "url": url, "published": DATES[url]}


def import_records(folder: Path, records: list[dict]) -> None:
    feed = folder / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    importing.import_paths([feed])
