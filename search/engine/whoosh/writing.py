"""Writing to the index: incremental changes under a lock, and full rebuilds beside the live one.

Whoosh allows one writer per index. We take its lock synchronously with a timeout (never
AsyncWriter: it swallows errors and loses buffered documents when a worker dies); a caller
that times out keeps its pending changes and a later writer applies them.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.writing import LockError

from search.documents import IndexDocument
from search.engine.errors import IndexBusy, IndexDamaged, IndexUnavailable
from search.engine.whoosh import checksums, storage
from search.engine.whoosh.internals.bulk_writer import GroupingMpWriter, GroupingSegmentWriter
from search.engine.whoosh.internals.codec import NewsroomCodec
from search.engine.whoosh.schema import COMMON_WORD_COUNT, to_fields

logger = logging.getLogger(__name__)

# The posting pool's budget (limitmb). Whoosh's own pool counted about half of what its
# Python objects took, so a writer held about twice its budget; ``GroupedPostingPool``
# counts within ~15% of them. Past it, sorted runs go to disk.
WRITER_POOL_MB = 96


class IndexWriter:
    """The engine-neutral write handle: replace or remove articles by id."""

    def __init__(self, whoosh_writer):
        self._writer = whoosh_writer

    def upsert(self, document: IndexDocument) -> None:
        fields = to_fields(document)
        schema = self._writer.schema
        # An index of an older schema (before labels) takes what it has fields for.
        self._writer.update_document(**{name: v for name, v in fields.items() if name in schema})

    def delete(self, article_id: int) -> None:
        self._writer.delete_by_term("id", str(article_id))


@contextmanager
def open_writer(*, timeout: float) -> Iterator[IndexWriter]:
    """A locked writer on the live index, committed on success and cancelled on error.

    Read what you write *after* entering: the lock orders writers, so state read inside is
    never older than what an earlier writer committed.

    The generation written on is verified first (raises IndexDamaged): a commit merges old
    segments into new ones and records their checksums, which must never bless damage.
    """
    for _attempt in range(3):
        generation = storage.live_generation_dir()
        whoosh_index = storage.open_live_index()
        try:
            writer = GroupingSegmentWriter(
                whoosh_index,
                timeout=timeout,
                delay=0.05,
                codec=NewsroomCodec(),
                limitmb=WRITER_POOL_MB,
            )
        except LockError as error:
            raise IndexBusy(f"the search index stayed locked for {timeout:g}s") from error
        if storage.live_generation_dir() != generation:
            # A rebuild swapped a new index in while we waited for the old one's lock.
            writer.cancel()
            continue
        try:
            checksums.VERIFIER.verify(checksums.read_manifest(generation, writer.generation - 1))
        except IndexDamaged as error:
            logger.error("Not writing to the damaged search index: %s", error.detail)
            writer.cancel()
            raise
        try:
            yield IndexWriter(writer)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return
    raise IndexBusy("the search index kept being replaced by rebuilds; try again")


def rebuild(
    documents: Iterable[IndexDocument],
    *,
    procs: int = 1,
    memory_mb: int = 192,
    on_document: Callable[[], None] | None = None,
    lock_timeout: float = 60.0,
) -> Path:
    """Build a complete index beside the live one and swap it in; returns its directory."""
    storage.remove_stale_builds()
    building = storage.new_building_dir()
    try:
        common = storage.live_common_words(COMMON_WORD_COUNT)
        new_index = storage.create_empty_index(building, common_words=common)
        # Never BufferedWriter: it cannot write sortable columns (year, published).
        # limitmb is per writing process: split the budget so a rebuild's memory stays
        # bounded however many processes it uses (Whoosh spills sorted runs to disk).
        options = {"limitmb": max(32, memory_mb // procs), "codec": NewsroomCodec()}
        if procs > 1:
            writer = GroupingMpWriter(new_index, procs=procs, **options)
        else:
            writer = GroupingSegmentWriter(new_index, **options)
        try:
            for document in documents:
                writer.add_document(**to_fields(document))
                if on_document:
                    on_document()
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return swap_in(building, lock_timeout=lock_timeout)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def swap_in(building: Path, *, lock_timeout: float) -> Path:
    """Publish a built index while holding the old one's write lock.

    Holding the lock means no incremental writer commits into the old index after the swap;
    writers waiting for it notice the swap and reopen the new one.
    """
    old_lock = None
    if storage.live_generation_dir() is not None:
        try:
            old_lock = storage.open_live_index().writer(timeout=lock_timeout, delay=0.05)
        except IndexUnavailable:
            old_lock = None  # a damaged index has no writers to keep out
        except LockError as error:
            raise IndexBusy(f"the live index stayed locked for {lock_timeout:g}s") from error
    try:
        live = storage.publish_generation(building)
    finally:
        if old_lock is not None:
            old_lock.cancel()
    storage.remove_old_generations(keep=live)
    return live
