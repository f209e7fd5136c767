"""Where the index lives on disk, and swapping a freshly built index in atomically.

Layout under the index directory::

    CURRENT           name of the live generation directory (replaced atomically)
    gen-<stamp>/      a complete Whoosh index, with SCHEMA_VERSION (the schema it was written with)
    gen-<stamp>.building/   a rebuild in progress (renamed when complete)

Readers and writers resolve CURRENT each time they open, so a search during a rebuild reads
the old generation and the next one reads the new: nobody sees a half-built index.
"""

from __future__ import annotations

import heapq
import logging
import os
import shutil
import time
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage

from search.conf import get_setting
from search.engine.errors import REPAIR_HINT, IndexOutdated, IndexUnavailable
from search.engine.whoosh import checksums
from search.engine.whoosh.schema import SCHEMA_VERSION, build_schema

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
VERSION_FILE = "SCHEMA_VERSION"


def index_root() -> Path:
    return Path(get_setting("INDEX_DIR"))


def live_generation_dir() -> Path | None:
    try:
        name = (index_root() / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = index_root() / name
    return path if name and path.is_dir() else None


def open_live_index(*, attempts: int = 5) -> index.Index:
    """Open the live generation (reads its TOC); raises IndexUnavailable (missing, damaged or
    outdated). The TOC's checksum is verified with the rest of its generation (``cache.py``).

    Whoosh quirk: ``open_dir`` lists the TOC files and then opens the newest, and a writer
    committing in between deletes that TOC, so a reader can fail on a healthy index. Such a
    FileNotFoundError is retried; one that persists means the index really is damaged.

    No mmap: Whoosh maps every segment file it reads, so a search process's memory grows
    with the whole index, for no gain in latency.
    """
    for attempt in range(attempts):
        path = live_generation_dir()
        if path is None:
            raise IndexUnavailable(f"The search index is missing: {REPAIR_HINT}.")
        require_current_schema(path)
        try:
            return FileStorage(str(path), supports_mmap=False).open_index()
        except FileNotFoundError as error:
            if attempt + 1 == attempts:
                logger.exception("Opening the search index in %s failed", path)
                raise checksums.damaged("its table of contents is missing") from error
            time.sleep(0.01 * (attempt + 1))
        except Exception as error:  # Whoosh raises assorted errors reading a damaged TOC
            logger.exception("Reading the search index's TOC in %s failed", path)
            raise checksums.damaged("its table of contents cannot be read") from error
    raise AssertionError("unreachable")


def require_current_schema(path: Path | None = None) -> None:
    """Raise IndexOutdated when the live index was written with another schema version."""
    path = path or live_generation_dir()
    if path is None:
        raise IndexUnavailable(f"The search index is missing: {REPAIR_HINT}.")
    try:
        version = int((path / VERSION_FILE).read_text())
    except (OSError, ValueError):
        version = 0
    if version != SCHEMA_VERSION:
        raise IndexOutdated(
            f"The search index was written with schema version {version or 'unknown'}, "
            f"this version of Newsroom reads {SCHEMA_VERSION}: {REPAIR_HINT}."
        )


def new_building_dir() -> Path:
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    path = root / f"gen-{stamp}.building"
    path.mkdir()
    return path


def create_empty_index(path: Path, *, common_words: frozenset[str] | None = None) -> index.Index:
    created = index.create_in(str(path), build_schema(common_words))
    (path / VERSION_FILE).write_text(str(SCHEMA_VERSION))
    toc = f"_{created.indexname}_0.toc"  # Whoosh's name for generation 0's TOC
    checksums.write_manifest(path, 0, {toc: path / toc})
    return created


LEARN_COMMON_WORDS_FROM = 1000  # articles


def live_common_words(count: int) -> frozenset[str] | None:
    """The ``count`` stems in most documents of the live index's bodies (None: no index).

    A rebuild pairs these words (``schema.WordPairs``): a newsroom's frequent phrases
    ("prime minister", "supply chain") are made of words general English ranks lower.
    """
    try:
        whoosh_index = open_live_index()
        generation = whoosh_index.latest_generation()
        checksums.VERIFIER.verify(checksums.read_manifest(live_generation_dir(), generation))
        reader = whoosh_index.reader()
    except Exception:  # missing or damaged: a rebuild must not trust it
        return None
    try:
        if reader.doc_count() < LEARN_COMMON_WORDS_FROM:
            return None  # too few articles to tell common words from chance
        frequencies = ((info.doc_frequency(), text) for text, info in reader.iter_field("body"))
        common = frozenset(text.decode("utf-8") for _df, text in heapq.nlargest(count, frequencies))
    except Exception:  # damaged: learn nothing from it
        return None
    finally:
        reader.close()
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


def remove_stale_builds() -> None:
    """Leftovers of rebuilds whose process is gone (killed, crashed): its pid is in the name."""
    for path in index_root().glob("gen-*.building"):
        if not process_alive(builder_pid(path)):
            shutil.rmtree(path, ignore_errors=True)


def builder_pid(building_dir: Path) -> int:
    try:
        return int(building_dir.name.split("-")[2])
    except (IndexError, ValueError):
        return 0  # not a name this code writes: nobody owns it


def process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
