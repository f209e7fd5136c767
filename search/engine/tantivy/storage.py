"""Where the tantivy index lives, and swapping a freshly built one in atomically.

Layout under ``INDEX_DIR/tantivy`` (beside the Whoosh engine's files, never mixed)::

    CURRENT                 name of the live generation directory (replaced atomically)
    gen-<stamp>/            a complete tantivy index, with SCHEMA_VERSION
    gen-<stamp>.building/   a rebuild in progress (renamed when complete)

Every process keeps one ``tantivy.Index`` open per generation and reloads its searcher before
each search, so a commit by the index worker (or a new generation) is seen by the next search.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from pathlib import Path

import tantivy

from search.conf import get_setting
from search.engine.errors import REPAIR_HINT, IndexOutdated, IndexUnavailable
from search.engine.tantivy.schema import SCHEMA_VERSION, open_index

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
VERSION_FILE = "SCHEMA_VERSION"
MISSING = f"The search index is missing: {REPAIR_HINT}."
UNREADABLE = f"The search index cannot be read: {REPAIR_HINT}."
OUTDATED = f"The search index was built by another version: {REPAIR_HINT}."

_lock = threading.Lock()
_open: dict[Path, tantivy.Index] = {}


def index_root() -> Path:
    return Path(get_setting("INDEX_DIR")) / "tantivy"


def live_generation_dir() -> Path | None:
    try:
        name = (index_root() / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = index_root() / name
    return path if name and path.is_dir() else None


def require_current_schema() -> None:
    path = live_generation_dir()
    if path is None:
        raise IndexUnavailable(MISSING)
    try:
        version = (path / VERSION_FILE).read_text().strip()
    except OSError:
        raise IndexUnavailable(UNREADABLE) from None
    if version != SCHEMA_VERSION:
        raise IndexOutdated(OUTDATED)


def open_live_index() -> tantivy.Index:
    """The live generation, opened once per process; IndexUnavailable when missing, outdated
    or unreadable (the cause goes to the server log, never to the caller)."""
    require_current_schema()
    path = live_generation_dir()
    with _lock:
        index = _open.get(path)
        if index is None:
            try:
                index = open_index(str(path), reuse=True)
            except (ValueError, OSError) as error:
                logger.error("tantivy index %s cannot be opened: %s", path, error)
                raise IndexUnavailable(UNREADABLE) from None
            _open.clear()  # an older generation's
            _open[path] = index
    return index


def new_generation_dir() -> Path:
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    building = root / f"gen-{time.time_ns()}.building"
    building.mkdir()
    (building / VERSION_FILE).write_text(SCHEMA_VERSION)
    return building


def publish(building: Path) -> Path:
    """Rename the finished generation, point CURRENT at it atomically, drop older ones."""
    final = building.with_name(building.name.removesuffix(".building"))
    building.rename(final)
    pointer_tmp = index_root() / f"{POINTER}.tmp"
    pointer_tmp.write_text(final.name)
    os.replace(pointer_tmp, index_root() / POINTER)
    for other in index_root().glob("gen-*"):
        if other != final and not other.name.endswith(".building"):
            shutil.rmtree(other, ignore_errors=True)
    return final


def reset() -> None:
    with _lock:
        _open.clear()
