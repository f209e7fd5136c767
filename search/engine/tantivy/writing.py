"""The write side: one writer at a time (the index worker's), and atomic rebuilds.

An article is replaced by deleting its id and adding it again in the same commit. tantivy
allows one writer per index (a lock file): a second waits up to its timeout, then IndexBusy.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import tantivy

from search.documents import IndexDocument
from search.engine.analysis import Vocabulary
from search.engine.errors import IndexBusy
from search.engine.tantivy import storage
from search.engine.tantivy.analysing import analysing
from search.engine.tantivy.schema import AnalysedTexts, analyse_texts, open_index, to_document

logger = logging.getLogger(__name__)

WRITER_HEAP = 64_000_000  # bytes buffered before tantivy writes a segment
RETRY_EVERY = 0.05  # seconds between attempts to take the writer lock


# The words this process's writers have analysed, kept from one batch of changes to the next
# (the index worker's). Shared by threads safely: writers take turns (one tantivy writer at a
# time), and it is two dicts whose lookups and stores are atomic. ~35 MB when full.
WRITERS_VOCABULARY = Vocabulary(max_pieces=100_000)


class Writer:
    def __init__(self, writer: tantivy.IndexWriter):
        self.writer = writer
        self.vocabulary = WRITERS_VOCABULARY
        self.changed = False

    def upsert(self, document: IndexDocument) -> None:
        self.changed = True
        self.writer.delete_documents_by_term("id", document.id)
        texts = analyse_texts((document.title, document.body), self.vocabulary, rebuilding=False)
        self.writer.add_document(to_document(document, texts))

    def delete(self, article_id: int) -> None:
        self.changed = True
        self.writer.delete_documents_by_term("id", article_id)


def take_writer(index: tantivy.Index, *, timeout: float) -> tantivy.IndexWriter:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return index.writer(WRITER_HEAP, 1)
        except ValueError:  # the lock is held by another writer
            if time.monotonic() >= deadline:
                raise IndexBusy("another writer held the search index") from None
            time.sleep(RETRY_EVERY)


@contextmanager
def open_writer(*, timeout: float) -> Iterator[Writer]:
    index = storage.open_live_index()
    writer = take_writer(index, timeout=timeout)
    changes = Writer(writer)
    try:
        yield changes
    except BaseException:
        writer.rollback()
        raise
    else:
        # A commit of nothing keeps the opstamp but rewrites meta.json (its segments in
        # another order), which the recorded checksums would then call damage.
        if changes.changed:
            writer.commit()
    finally:
        writer.wait_merging_threads()  # ends the writer: releases the lock
    storage.record_checksums()  # what the commit and its merges left


def rebuild(
    documents: Iterable[IndexDocument],
    *,
    procs: int = 1,
    on_document: Callable[[], None] | None = None,
) -> None:
    """A new generation from ``documents``, switched in when complete: readers see the old
    index until then, and a failed rebuild leaves it as it was."""
    building = storage.new_generation_dir()
    try:
        with analysing(procs=procs) as analysed:
            index = open_index(str(building), reuse=False)
            write_all(index, analysed(documents), procs=procs, on_document=on_document)
            del index
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    storage.publish(building)
    storage.reset()


def write_all(
    index: tantivy.Index,
    analysed: Iterable[tuple[IndexDocument, AnalysedTexts]],
    *,
    procs: int,
    on_document: Callable[[], None] | None,
) -> None:
    writer = index.writer(WRITER_HEAP * max(1, procs), max(1, procs))
    try:
        for document, texts in analysed:
            writer.add_document(to_document(document, texts))
            if on_document is not None:
                on_document()
    except BaseException:
        writer.rollback()
        raise
    else:
        writer.commit()
    finally:
        writer.wait_merging_threads()  # ends the writer: its threads and lock
