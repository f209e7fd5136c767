"""Articles' texts analysed for the index: in this process, or for a rebuild in worker
processes beside it, so that the app's analyser (Python) runs on every core while this process
reads the database and feeds tantivy's own indexing threads.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache, partial
from multiprocessing.pool import AsyncResult, Pool

from search.documents import IndexDocument
from search.engine.analysis import Vocabulary
from search.engine.tantivy.schema import AnalysedTexts, analyse_texts

CHUNK = 200  # articles a worker analyses per task: large enough that pickling stays small
WAITING_CHUNKS_PER_PROCESS = 2  # chunks in flight per worker: bounds memory, keeps them busy


Analysed = Iterator[tuple[IndexDocument, AnalysedTexts]]


@contextmanager
def analysing(*, procs: int) -> Iterator[Callable[[Iterable[IndexDocument]], Analysed]]:
    """A function giving each document with its texts analysed, in order: by ``procs`` worker
    processes when more than one, the documents read in the caller's process and thread.

    The workers are forked on entering, so enter before opening a tantivy writer: they run
    only the analyser (no database, no tantivy) and need nothing else set up."""
    if procs <= 1:
        yield in_this_process
        return
    # Each worker starts with a new vocabulary: the words it carries are this rebuild's.
    context = multiprocessing.get_context("fork")
    with context.Pool(procs, initializer=worker_vocabulary.cache_clear) as pool:
        yield partial(in_workers, pool=pool, procs=procs)


def in_this_process(documents: Iterable[IndexDocument]) -> Analysed:
    vocabulary = Vocabulary()  # this rebuild's: its spelling words are carried from scratch
    for document in documents:
        yield document, analyse_texts((document.title, document.body), vocabulary, rebuilding=True)


def in_workers(documents: Iterable[IndexDocument], *, pool: Pool, procs: int) -> Analysed:
    waiting: deque[tuple[list[IndexDocument], AsyncResult]] = deque()
    for chunk in chunks(documents):
        texts = [(document.title, document.body) for document in chunk]
        waiting.append((chunk, pool.apply_async(analyse_chunk, (texts,))))
        if len(waiting) >= procs * WAITING_CHUNKS_PER_PROCESS:
            chunk, result = waiting.popleft()
            yield from zip(chunk, result.get(), strict=True)
    while waiting:
        chunk, result = waiting.popleft()
        yield from zip(chunk, result.get(), strict=True)


def chunks(documents: Iterable[IndexDocument]) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while chunk := list(itertools.islice(iterator, CHUNK)):
        yield chunk


def analyse_chunk(texts: list[tuple[str, str]]) -> list[AnalysedTexts]:
    """In a worker process: each article's (title, body) analysed."""
    vocabulary = worker_vocabulary()
    return [analyse_texts(pair, vocabulary, rebuilding=True) for pair in texts]


@cache
def worker_vocabulary() -> Vocabulary:
    """A worker process's own (each has one thread): words seen in earlier chunks stay known."""
    return Vocabulary()
