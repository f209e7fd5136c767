"""The open index, shared by a process's threads: one owner, one lock.

A Whoosh searcher reads its files with seek-then-read on file objects of its own, so two
threads must never use one searcher at once. The cache keeps, for the index as last committed
(a ``Snapshot``), the facet and length arrays every thread shares read-only, and a pool of
searchers that threads check out one each. When a commit or a rebuild makes a new snapshot
current, the old one's idle searchers are closed at once and the busy ones when their thread
gives them back. Per-segment arrays are kept while their segment lives, so a save re-reads
only the new segment.

No searcher opens a generation before its files' checksums are verified (``checksums.py``),
and a snapshot in use has its files stat'ed at most once every ``STAT_INTERVAL``: a file
changed since it was verified is hashed again, and damage drops the snapshot and raises
IndexDamaged (a 503 naming the repair), so it answers nothing more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from search.engine.errors import IndexDamaged, IndexUnavailable
from search.engine.whoosh import checksums, scoring, storage
from search.engine.whoosh.collapsing import repeated_stories
from search.engine.whoosh.internals.postings import column_array, length_array, term_docnums
from search.engine.whoosh.phrases import leaves
from search.engine.whoosh.schema import FACET_FIELDS, TEXT_FIELDS
from search.engine.whoosh.spelling import SegmentSpellings, SpellingWords

logger = logging.getLogger(__name__)

STAT_INTERVAL = 1.0  # seconds between a warm process's stat checks of its generation's files
OPEN_ATTEMPTS = 3  # commits replacing the generation while it is opened: open the next one


@dataclass(frozen=True)
class SegmentArrays:
    docs_with: dict[str, dict[str, np.ndarray]]  # segment-local docnums
    year: np.ndarray
    published: np.ndarray
    story: np.ndarray
    lengths: dict[str, np.ndarray]  # text field -> each document's length, as BM25 reads it


@dataclass
class Snapshot:
    """One committed state of the index, with what every search of it shares (read-only)."""

    key: tuple[str, int]  # generation directory, Whoosh's TOC generation
    live: np.ndarray  # bool per docnum: not deleted
    docs_with: dict[str, dict[str, np.ndarray]]  # facet field -> value -> docnums
    year: np.ndarray
    published: np.ndarray
    lengths: dict[str, np.ndarray]
    story: np.ndarray  # each document's near-duplicate cluster
    repeated: np.ndarray  # bool: another live document shares its story
    spellings: SegmentSpellings  # the cache's, shared by every snapshot
    files: checksums.GenerationFiles  # as its commit recorded them, verified
    checked_at: float  # time.monotonic() of the last stat check
    idle: list = field(default_factory=list)  # searchers nobody is using
    busy: int = 0
    _spelling: SpellingWords | None = None
    _spelling_lock: threading.Lock = field(default_factory=threading.Lock)

    def spelling(self, reader) -> SpellingWords:
        """Made on the first misspelt query of this snapshot (most never need it), from each
        segment's words (read once while the segment lives)."""
        with self._spelling_lock:
            if self._spelling is None:
                self._spelling = self.spellings.words_for(reader)
            return self._spelling


class IndexCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: tuple[str, object] | None = None  # (generation directory, Whoosh index)
        self._current: Snapshot | None = None
        self._segments: dict[str, SegmentArrays] = {}
        self._spellings = SegmentSpellings()

    @contextmanager
    def searching(self) -> Iterator[tuple[Snapshot, object]]:
        """The current snapshot and a searcher of it for this thread alone."""
        snapshot, searcher = self._check_out()
        try:
            yield snapshot, searcher
        finally:
            self._give_back(snapshot, searcher)

    def _check_out(self):
        with self._lock:
            for _attempt in range(OPEN_ATTEMPTS):
                whoosh_index = self._live_index()
                key = (self._index[0], whoosh_index.latest_generation())
                snapshot = self._current
                if snapshot is not None and snapshot.key == key:
                    if not self._still_intact(snapshot):
                        continue  # replaced by a commit meanwhile
                    if snapshot.idle:
                        searcher = snapshot.idle.pop()
                    else:
                        searcher = self._open_searcher(whoosh_index, key)
                else:
                    snapshot = searcher = None
                    files = self._verified_files(key)
                    if files is not None:
                        searcher = self._open_searcher(whoosh_index, key)
                    if searcher is not None:
                        snapshot = self._replace_current(key, files, searcher)
                if snapshot is not None and searcher is not None:
                    snapshot.busy += 1
                    return snapshot, searcher
        raise IndexUnavailable("The search index kept changing while it was opened; try again.")

    def _give_back(self, snapshot: Snapshot, searcher) -> None:
        with self._lock:
            snapshot.busy -= 1
            if snapshot is self._current:
                snapshot.idle.append(searcher)
            else:
                searcher.close()

    def _live_index(self):
        """The live generation's Whoosh index object (opening one unpickles its schema)."""
        generation = storage.live_generation_dir()
        if self._index is None or self._index[0] != str(generation):
            self._index = (str(generation), storage.open_live_index())
        return self._index[1]

    def _replaced(self, key: tuple[str, int]) -> bool:
        """Whether a commit or a rebuild has published another generation than ``key``'s
        (which deletes files of ``key``'s: missing files are then no damage)."""
        if str(storage.live_generation_dir()) != key[0]:
            return True
        return self._index is not None and self._index[1].latest_generation() != key[1]

    def _verified_files(self, key: tuple[str, int]) -> checksums.GenerationFiles | None:
        """The generation's recorded files, all verified; None when it was replaced meanwhile."""
        try:
            files = checksums.read_manifest(Path(key[0]), key[1])
            checksums.VERIFIER.verify(files)
        except IndexDamaged as error:
            if self._replaced(key):
                return None
            self._found_damaged(error)
            raise
        return files

    def _still_intact(self, snapshot: Snapshot) -> bool:
        """Stat the snapshot's files (at most once every STAT_INTERVAL) and hash any that
        changed. False: the snapshot was replaced (and dropped); raises IndexDamaged."""
        now = time.monotonic()
        if now - snapshot.checked_at < STAT_INTERVAL:
            return True
        snapshot.checked_at = now
        problem = self._damage(snapshot)
        if problem is None:
            return True
        self._drop_current()
        if self._replaced(snapshot.key):
            return False
        self._found_damaged(problem)
        raise problem

    def _damage(self, snapshot: Snapshot) -> IndexDamaged | None:
        changed = checksums.VERIFIER.changed(snapshot.files)
        if changed is None:
            return None
        try:
            checksums.VERIFIER.verify(changed)
        except IndexDamaged as error:
            return error
        return None  # the same bytes with a new time (copied): intact

    def damage(self, snapshot: Snapshot) -> IndexDamaged | None:
        """After a read failed: whether ``snapshot``'s files are damaged, checked now (then it
        answers nothing more). None: they are intact, so the failure was not damage."""
        with self._lock:
            problem = self._damage(snapshot)
            if problem is None or self._replaced(snapshot.key):
                return None  # files a newer commit deleted are no damage
            if snapshot is self._current:
                self._drop_current()
            self._found_damaged(problem)
            return problem

    def _found_damaged(self, problem: IndexDamaged) -> None:
        logger.error("The search index is damaged: %s", problem.detail or problem)
        self._index = None

    def _drop_current(self) -> None:
        if self._current is not None:
            for idle in self._current.idle:
                idle.close()
            self._current.idle.clear()
        self._current = None

    def _open_searcher(self, whoosh_index, key: tuple[str, int]):
        """A searcher of generation ``key``, or None when a commit replaced it meanwhile."""
        try:
            searcher = whoosh_index.searcher(weighting=scoring.WEIGHTING)
        except FileNotFoundError:
            # Whoosh quirk (see storage.open_live_index): a commit between listing the TOCs
            # and reading the newest deletes it; the next listing finds the new one.
            if self._replaced(key):
                return None
            raise
        # Whoosh quirk: an index with no segment (a new, empty archive) reads through an
        # EmptyReader, whose generation() is None: it is the generation just opened.
        if searcher.reader().generation() not in (key[1], None):
            searcher.close()
            return None
        return searcher

    def _replace_current(self, key, files, searcher) -> Snapshot | None:
        """A snapshot of what ``searcher`` sees becomes current (the searcher stays checked
        out); None when a commit replaced its generation while it was read."""
        try:
            snapshot = self._open_snapshot(key, files, searcher)
        except Exception:
            searcher.close()
            if self._replaced(key):
                return None
            raise  # its files were just verified: a bug of ours, not damage
        self._drop_current()
        self._current = snapshot
        checksums.VERIFIER.forget_deleted()
        return snapshot

    def _open_snapshot(self, key: tuple[str, int], files, searcher) -> Snapshot:
        size = searcher.reader().doc_count_all()
        live = np.ones(size, dtype=bool)
        year = np.zeros(size, dtype=np.int64)
        published = np.zeros(size, dtype=np.int64)
        story = np.zeros(size, dtype=np.int64)
        lengths = {name: np.ones(size) for name in TEXT_FIELDS}
        pieces: dict[str, dict[str, list[np.ndarray]]] = {name: {} for name in FACET_FIELDS}
        segment_ids = set()
        for subsearcher, offset in leaves(searcher):
            reader = subsearcher.reader()
            segment = reader.segment()
            if segment is None:  # an index with no segment yet: nothing to read
                continue
            arrays = self._segment_arrays(reader, segment.segid)
            segment_ids.add(segment.segid)
            end = offset + reader.doc_count_all()
            year[offset:end], published[offset:end] = arrays.year, arrays.published
            story[offset:end] = arrays.story
            for name, segment_lengths in arrays.lengths.items():
                lengths[name][offset:end] = segment_lengths
            live[np.fromiter(segment.deleted_docs(), dtype=np.int64) + offset] = False
            for name, by_value in arrays.docs_with.items():
                for value, docnums in by_value.items():
                    pieces[name].setdefault(value, []).append(docnums + offset)
        for segment_id in set(self._segments) - segment_ids:
            del self._segments[segment_id]  # merged away, or of another generation
        docs_with = {
            name: {value: np.concatenate(parts) for value, parts in by_value.items()}
            for name, by_value in pieces.items()
        }
        return Snapshot(
            key,
            live,
            docs_with,
            year,
            published,
            lengths,
            story,
            repeated_stories(story, live),
            self._spellings,
            files,
            time.monotonic(),
        )

    def _segment_arrays(self, reader, segment_id: str) -> SegmentArrays:
        if segment_id not in self._segments:
            count = reader.doc_count_all()
            self._segments[segment_id] = SegmentArrays(
                docs_with={
                    name: {
                        term.decode("utf-8"): term_docnums(reader, name, term)
                        for term in reader.lexicon(name)
                    }
                    for name in FACET_FIELDS
                    # An index of an older schema (no labels) still answers until rebuilt.
                    if name in reader.schema
                },
                year=column_array(reader, "year", count),
                published=column_array(reader, "published", count),
                story=column_array(reader, "story", count),
                lengths={name: length_array(reader, name, count) for name in TEXT_FIELDS},
            )
        return self._segments[segment_id]

    def is_stale(self, snapshot: Snapshot) -> bool:
        """Whether a commit or a rebuild has replaced what ``snapshot`` reads."""
        try:
            generation = storage.live_generation_dir()
            if generation is None or str(generation) != snapshot.key[0]:
                return True
            with self._lock:
                return self._live_index().latest_generation() != snapshot.key[1]
        except Exception:  # whatever it is, the caller's retry will meet it again
            return True

    def reset(self) -> None:
        """Close everything (tests; a process that changed its index directory)."""
        with self._lock:
            self._drop_current()
            self._index, self._segments = None, {}
        checksums.VERIFIER.forget()
