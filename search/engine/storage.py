"""Where the index lives on disk, and swapping a freshly built index in atomically.

Layout under the index directory::

    CURRENT           name of the live generation directory (replaced atomically)
    gen-<stamp>/      a complete Whoosh index
    gen-<stamp>.building/   a rebuild in progress (renamed when complete)

Readers and writers resolve CURRENT each time they open, so a search during a rebuild reads
the old generation and the next one reads the new: nobody sees a half-built index.
"""

from __future__ import annotations

import heapq
import os
import shutil
import time
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from search.conf import get_setting
from search.engine.schema import build_schema

POINTER = "CURRENT"


class IndexUnavailable(Exception):
    """The index is missing or unreadable; the message says how to repair it."""


class IndexOutdated(IndexUnavailable):
    """The index was written with an older schema: it still answers searches (correctly, if
    more slowly where a newer field would help), but it needs a rebuild."""


REPAIR_HINT = "run `python manage.py check_index --repair` to rebuild it"


def index_root() -> Path:
    return Path(get_setting("INDEX_DIR"))


def live_generation_dir() -> Path | None:
    try:
        name = (index_root() / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = index_root() / name
    return path if name and path.is_dir() else None


def open_live_index(*, attempts: int = 5, mmap: bool = False) -> index.Index:
    """Open the live generation; raises IndexUnavailable (missing or damaged) with the fix.

    Whoosh quirk: ``open_dir`` lists the TOC files and then opens the newest, and a writer
    committing in between deletes that TOC, so a reader can fail on a healthy index. Such a
    FileNotFoundError is retried; one that persists means the index really is damaged.

    No mmap by default: Whoosh memory-maps every segment file it reads, and a process that
    searched or merged a while had most of the index resident. At 100,000 articles a search
    process after the query mix held 745 MB anonymous + 685 MB mapped with mmap and 84 + 24 MB
    without, at the same latency (p50 48 vs 53 ms on one pass of the mix).
    """
    for attempt in range(attempts):
        path = live_generation_dir()
        if path is None:
            raise IndexUnavailable(f"The search index is missing: {REPAIR_HINT}.")
        try:
            return FileStorage(str(path), supports_mmap=mmap).open_index()
        except FileNotFoundError as error:
            if attempt + 1 == attempts:
                raise IndexUnavailable(
                    f"The search index is damaged ({error}): {REPAIR_HINT}."
                ) from error
            time.sleep(0.01 * (attempt + 1))
        except Exception as error:  # Whoosh raises assorted errors on truncated files
            raise IndexUnavailable(
                f"The search index is damaged ({error}): {REPAIR_HINT}."
            ) from error
    raise AssertionError("unreachable")


def require_current_schema() -> None:
    """Raise IndexOutdated when the live index's fields are not ``build_schema()``'s.

    Whoosh keeps the schema an index was created with (pickled in its TOC), so new fields
    (say the word pairs for phrases) reach an existing index only through a rebuild.
    """
    live_schema, current_schema = open_live_index().schema, build_schema()
    live, current = set(live_schema.names()), set(current_schema.names())
    changed = {
        name
        for name in live & current
        if field_signature(live_schema[name]) != field_signature(current_schema[name])
    }
    if live == current and not changed:
        return
    differences = []
    if current - live:
        differences.append(f"lacks {', '.join(sorted(current - live))}")
    if live - current:
        differences.append(f"has {', '.join(sorted(live - current))}, no longer used")
    if changed:
        differences.append(f"indexes {', '.join(sorted(changed))} differently")
    raise IndexOutdated(
        f"The search index predates the current schema (it {' and '.join(differences)}): "
        f"{REPAIR_HINT}."
    )


def field_signature(field) -> tuple[str, str]:
    """What a field is on disk: its type and posting format (say, positions or not)."""
    return type(field).__name__, type(field.format).__name__ if field.format else ""


def new_building_dir() -> Path:
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path = root / f"gen-{stamp}.building"
    path.mkdir()
    return path


def create_empty_index(path: Path, *, common_words: frozenset[str] | None = None) -> index.Index:
    return index.create_in(str(path), build_schema(common_words))


LEARN_COMMON_WORDS_FROM = 1000  # articles


def live_common_words(count: int) -> frozenset[str] | None:
    """The ``count`` stems in most documents of the live index's bodies (None: no index).

    A rebuild pairs these words (``schema.WordPairs``): a newsroom's frequent phrases
    ("prime minister", "supply chain") are made of words general English ranks lower.
    """
    try:
        reader = open_live_index().reader()
    except IndexUnavailable:
        return None
    with reader:
        if reader.doc_count() < LEARN_COMMON_WORDS_FROM:
            return None  # too few articles to tell common words from chance
        frequencies = ((info.doc_frequency(), text) for text, info in reader.iter_field("body"))
        common = frozenset(text.decode("utf-8") for _df, text in heapq.nlargest(count, frequencies))
    return common if len(common) == count else None


def publish_generation(building_dir: Path) -> Path:
    """Make a finished build the live index: rename it, then replace CURRENT atomically."""
    final = building_dir.with_name(building_dir.name.removesuffix(".building"))
    building_dir.rename(final)
    pointer_tmp = index_root() / f"{POINTER}.{os.getpid()}.tmp"
    pointer_tmp.write_text(final.name)
    os.replace(pointer_tmp, index_root() / POINTER)
    return final


def remove_old_generations(keep: Path) -> None:
    """Old generations go once swapped out; a reader still holding one keeps its open files."""
    for path in index_root().glob("gen-*"):
        if path != keep and path.is_dir() and not path.name.endswith(".building"):
            shutil.rmtree(path, ignore_errors=True)


def remove_stale_builds(max_age_seconds: float = 6 * 3600) -> None:
    """Leftovers of a rebuild that crashed (a live rebuild keeps touching its files)."""
    now = time.time()
    for path in index_root().glob("gen-*.building"):
        if now - path.stat().st_mtime > max_age_seconds:
            shutil.rmtree(path, ignore_errors=True)
