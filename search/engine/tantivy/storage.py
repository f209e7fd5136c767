"""Where the tantivy index lives, swapping a freshly built one in atomically, and opening the
live one only once its files are verified (``checksums.py``).

Layout under ``INDEX_DIR/tantivy`` (beside the Whoosh engine's files, never mixed)::

    CURRENT                 name of the live generation directory (replaced atomically)
    gen-<stamp>/            a complete tantivy index, with SCHEMA_VERSION and CHECKSUMS.json
    gen-<stamp>.building/   a rebuild in progress (renamed when complete)

Every process keeps one ``tantivy.Index`` open (``LIVE``) and reloads it before each search, so
a commit by the index worker (or a new generation) is seen by the next search in every process
and thread.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import threading
import time
from pathlib import Path

import tantivy

from search.conf import get_setting
from search.engine.errors import REPAIR_HINT, IndexDamaged, IndexOutdated, IndexUnavailable
from search.engine.tantivy import checksums
from search.engine.tantivy.schema import SCHEMA_VERSION, open_index
from search.query import InvalidParameter

logger = logging.getLogger(__name__)

POINTER = "CURRENT"
VERSION_FILE = "SCHEMA_VERSION"
MISSING = f"The search index is missing: {REPAIR_HINT}."
UNREADABLE = f"The search index cannot be read: {REPAIR_HINT}."
OUTDATED = f"The search index was built by another version: {REPAIR_HINT}."
CHANGING = "The search index kept changing while it was opened; try again."
STAT_INTERVAL = 1.0  # seconds between a warm process's stat checks of its generation's files
OPEN_ATTEMPTS = 3  # commits or rebuilds replacing what is being verified: verify the new one


def index_root() -> Path:
    return Path(get_setting("INDEX_DIR")) / "tantivy"


def live_generation_dir() -> Path | None:
    try:
        name = (index_root() / POINTER).read_text().strip()
    except FileNotFoundError:
        return None
    path = index_root() / name
    return path if name and path.is_dir() else None


def require_current_schema(path: Path | None = None) -> None:
    path = path or live_generation_dir()
    if path is None:
        raise IndexUnavailable(MISSING)
    try:
        version = (path / VERSION_FILE).read_text().strip()
    except OSError:
        raise IndexUnavailable(UNREADABLE) from None
    if version != SCHEMA_VERSION:
        raise IndexOutdated(OUTDATED)


def meta_signature(path: Path) -> tuple[int, int, int] | None:
    """``meta.json`` as a stat sees it: a commit replaces it (a new file), so this changes."""
    try:
        stat = (path / checksums.META).stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


class LiveIndex:
    """The live generation's ``tantivy.Index``, shared by this process's threads, and what this
    process verified of its files.

    Shared on purpose: tantivy's index and its reader are thread-safe (``reload`` swaps the
    reader's segments atomically), and every search takes a ``Searcher`` of its own from it,
    never shared between threads. The lock guards only this object's state: opening,
    verifying, dropping. No search reads a generation before its files are verified; after
    that, each search stats ``meta.json`` (a commit replaces it: the new files are verified)
    and, at most once every ``STAT_INTERVAL``, every recorded file (a changed one is hashed
    again). Damage drops the index, so nothing more is read from it, and raises IndexDamaged.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._index: tantivy.Index | None = None
        self._verified: checksums.Verified | None = None
        self._meta: tuple[int, int, int] | None = None
        self._checked_at = 0.0
        self._rehashed: tuple[Path, tuple[int, int, int] | None] | None = None

    def index(self) -> tantivy.Index:
        """The live index, verified; IndexUnavailable when missing, outdated, damaged or
        unreadable (the cause goes to the server log, never to the caller)."""
        with self._lock:
            for _attempt in range(OPEN_ATTEMPTS):
                path = live_generation_dir()
                require_current_schema(path)
                meta = meta_signature(path)
                try:
                    self._check(path, meta)
                except IndexDamaged as problem:
                    if self._replaced(path, meta):
                        continue  # a commit or rebuild replaced the files meanwhile
                    self._found_damaged(problem)
                    raise
                return self._index
        raise IndexUnavailable(CHANGING)

    def _check(self, path: Path, meta: tuple[int, int, int] | None) -> None:
        now = time.monotonic()
        if self._index is None or path != self._path:
            self._drop()
            verified = checksums.verify(path)
            try:
                index = open_index(str(path), reuse=True)
                # Reloaded by each search (after its checks), never by tantivy's own thread
                # watching meta.json, which would read the files whenever it liked.
                index.config_reader(reload_policy="manual")
            except (ValueError, OSError) as error:
                logger.error("tantivy index %s cannot be opened: %s", path, error)
                raise IndexUnavailable(UNREADABLE) from None
            self._path, self._index = path, index
        elif meta != self._meta or self._verified.behind:
            verified = checksums.verify(path)  # a commit: hashes only its new files
        elif now - self._checked_at >= STAT_INTERVAL:
            entries = self._verified.manifest.entries
            checksums.VERIFIER.verify(path, checksums.VERIFIER.changed(path, entries))
            self._checked_at = now
            return
        else:
            return
        if not verified.behind:
            checksums.VERIFIER.forget_all_but(path, verified.manifest.entries)
        self._verified, self._meta, self._checked_at = verified, meta, now

    def _replaced(self, path: Path, meta: tuple[int, int, int] | None) -> bool:
        """Whether a rebuild or a commit has replaced what was being verified (files it
        deleted are no damage)."""
        return live_generation_dir() != path or meta_signature(path) != meta

    def _found_damaged(self, problem: IndexDamaged) -> None:
        logger.error("The search index is damaged: %s", problem.detail or problem)
        self._drop()

    def _drop(self) -> None:
        self._path = self._index = self._verified = self._meta = None

    def damage(self) -> IndexDamaged | None:
        """After a read failed: whether the live generation's files are damaged, checked now
        (then nothing more is read from them). None: intact, so the failure was no damage.

        The first failure after each commit hashes every file again (damage that kept a
        file's size and time); later ones trust what was hashed, so a bug that fails every
        search costs a stat a file, not hashing the whole index each time."""
        with self._lock:
            path = live_generation_dir()
            if path is None:
                return None
            meta = meta_signature(path)
            rehash = self._rehashed != (path, meta)
            self._rehashed = (path, meta)
            try:
                checksums.verify(path, rehash=rehash)
            except IndexDamaged as problem:
                if self._replaced(path, meta):
                    return None
                self._found_damaged(problem)
                return problem
            return None

    def verify_every_file(self) -> None:
        """Hash every file of the live generation again (check_index), whatever was verified."""
        with self._lock:
            for _attempt in range(OPEN_ATTEMPTS):
                path = live_generation_dir()
                require_current_schema(path)
                meta = meta_signature(path)
                try:
                    checksums.verify(path, rehash=True)
                    return
                except IndexDamaged as problem:
                    if self._replaced(path, meta):
                        continue
                    self._found_damaged(problem)
                    raise
            raise IndexUnavailable(CHANGING)

    def reset(self) -> None:
        with self._lock:
            self._drop()
        checksums.VERIFIER.forget()


LIVE = LiveIndex()


def open_live_index() -> tantivy.Index:
    """The live generation, opened once per process and verified (``LiveIndex``)."""
    return LIVE.index()


def reporting_damage(read):
    """``read`` (a search on the live index) with its failures checked: one on damaged files
    raises IndexDamaged (a 503 naming the repair); any other propagates (a bug: a 500)."""

    @functools.wraps(read)
    def reading(*args, **kwargs):
        try:
            return read(*args, **kwargs)
        except (IndexUnavailable, InvalidParameter):  # a page past the last is no failure
            raise
        except BaseException as error:  # tantivy's panics are BaseExceptions
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            problem = LIVE.damage()
            if problem is None:
                raise
            logger.warning("A search failed on damaged index files", exc_info=error)
            raise problem from error

    return reading


def record_checksums(path: Path | None = None) -> None:
    """After a commit (and its merges): its files' checksums (the live generation's unless
    ``path``)."""
    path = path or live_generation_dir()
    if path is not None:
        checksums.record(path)


def new_generation_dir() -> Path:
    root = index_root()
    root.mkdir(parents=True, exist_ok=True)
    building = root / f"gen-{time.time_ns()}.building"
    building.mkdir()
    (building / VERSION_FILE).write_text(SCHEMA_VERSION)
    return building


def publish(building: Path) -> Path:
    """Record its checksums, rename the finished generation, point CURRENT at it atomically,
    drop older ones."""
    try:
        checksums.record(building)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
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
    LIVE.reset()
