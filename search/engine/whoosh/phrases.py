"""Which documents match a phrase, without word positions in the postings.

Whoosh's phrase matcher steps through every document holding all the phrase's words (for
common words, most of the archive) and decodes each word's position list in Python.
Here the text fields keep no positions (their postings, which every search reads, decode
much faster without) and a phrase is answered in two steps:

1. Candidates: the documents holding all its words (masks the scorer has already read),
   narrowed by the word-pair terms of its neighbouring common words (``schema.WordPairs``).
2. Check: unless the phrase is exactly one indexed pair, each candidate's word positions
   (``schema.WordSequence``, a column) must hold the phrase's words at the phrase's offsets.
   The column is read in long runs of neighbouring candidates (one read each, not one a
   document) and each run checked at once in numpy. Past the search's deadline no more runs
   are read: the candidates not yet checked match nothing, and the caller says so.

A phrase means its words in that order, next to each other, in one field; a stop word is a
gap of one word, in the text as in the phrase.
"""

from __future__ import annotations

import itertools
import math
import time

import numpy as np

from search.engine.whoosh.compiling import Phrase
from search.engine.whoosh.internals.postings import term_docnums
from search.engine.whoosh.schema import pairs_field, sequence_field, stem_code


def leaves(searcher):
    """(segment searcher, docnum offset) of each segment."""
    return searcher.subsearchers or [(searcher, 0)]


# A read of the word-position column takes in the non-candidates between two candidates when
# they hold fewer bytes than GAP_BYTES (reading them costs less than another read), and stops
# at about READ_BYTES, so that the deadline is looked at between reads. Both measured on the
# 100,000-article benchmark index (2026-12-06): a read a document took 5x as long as these,
# and reads of 1-4 MiB half as long again as 512 KiB.
GAP_BYTES = 64 * 1024
READ_BYTES = 512 * 1024


def phrase_mask(
    searcher, node: Phrase, word_masks: list[np.ndarray], *, deadline: float = math.inf
) -> tuple[np.ndarray, bool]:
    """Boolean mask over docnums of the documents ``node`` matches, given each of its words'
    masks, and whether checking them ran past ``deadline`` (``time.monotonic()``): then the
    mask holds only what was checked by then. Deleted documents may be set: AND it with the
    live mask."""
    mask = np.logical_and.reduce(word_masks)
    if not mask.any():
        return mask, False
    fieldname = node.fieldname
    common = searcher.schema[pairs_field(fieldname)].common
    neighbours = list(zip(node.words, node.offsets, node.words[1:], node.offsets[1:], strict=False))
    pairs = {
        f"{first} {second}"
        for first, at, second, next_at in neighbours
        if next_at == at + 1 and first in common and second in common
    }
    # Rarest pair first, and stop as soon as nothing is left.
    for pair in sorted(
        pairs, key=lambda pair: searcher.doc_frequency(pairs_field(fieldname), pair)
    ):
        mask &= term_mask(searcher, pairs_field(fieldname), pair, len(mask))
        if not mask.any():
            return mask, False
    if node.offsets == (0, 1) and pairs:
        return mask, False
    return in_sequence(searcher, node, mask, deadline=deadline)


def term_mask(searcher, fieldname: str, text: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    term = text.encode("utf-8")
    for subsearcher, offset in leaves(searcher):
        mask[term_docnums(subsearcher.reader(), fieldname, term) + offset] = True
    return mask


def in_sequence(
    searcher, node: Phrase, candidates: np.ndarray, *, deadline: float = math.inf
) -> tuple[np.ndarray, bool]:
    """The candidates whose word positions hold the phrase's words at its offsets, and whether
    the check ran past ``deadline`` (then only the candidates checked by then are set)."""
    wanted = [
        (offset, stem_code(word)) for word, offset in zip(node.words, node.offsets, strict=True)
    ]
    found = np.zeros_like(candidates)
    docnums = np.flatnonzero(candidates)
    name = sequence_field(node.fieldname)
    for subsearcher, offset in leaves(searcher):
        count = subsearcher.doc_count_all()
        local = docnums[(docnums >= offset) & (docnums < offset + count)] - offset
        reader = subsearcher.reader()
        if not len(local) or not reader.has_column(name):
            continue  # a segment without the column: every text in it is empty
        column = reader.column_reader(name, translate=False)
        for run, starts, ends in runs(column, local, node.offsets[-1]):
            if time.monotonic() > deadline:
                return found, True
            codes = read_codes(column, starts[0], ends[-1])
            held = holding(codes, (starts - starts[0]) // 4, (ends - starts[0]) // 4, wanted)
            found[run[held] + offset] = True
    return found, False


def runs(column, docnums: np.ndarray, span: int):
    """(docnums, starts, ends) of each run of ``docnums`` whose texts are longer than ``span``
    words: their values' first and past-the-end bytes in ``column`` (Whoosh's
    ``VarBytesColumn.Reader``, whose offsets and lengths are read here underneath)."""
    lengths = np.frombuffer(column._lengths, dtype=column._lengths.typecode)[docnums]
    long_enough = lengths > span * 4  # 4 bytes a word position
    docnums = docnums[long_enough]
    offsets = np.frombuffer(column._offsets, dtype=column._offsets.typecode)[docnums]
    starts = offsets.astype(np.int64)
    ends = starts + lengths[long_enough]
    if not len(docnums):
        return
    breaks = (starts[1:] - ends[:-1] > GAP_BYTES) | (
        starts[1:] // READ_BYTES != starts[:-1] // READ_BYTES
    )
    bounds = [0, *(np.flatnonzero(breaks) + 1).tolist(), len(docnums)]
    for first, last in itertools.pairwise(bounds):
        yield docnums[first:last], starts[first:last], ends[first:last]


def read_codes(column, start: int, end: int) -> np.ndarray:
    """The word codes in ``column``'s bytes from ``start`` to ``end``: one read."""
    return np.frombuffer(column._dbfile.get(column._basepos + int(start), int(end - start)), "<u4")


def holding(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray, wanted) -> np.ndarray:
    """Which of the documents ``codes[starts[i]:ends[i]]`` hold each wanted (offset, code) at
    its offset from one same position: a boolean per document."""
    span = wanted[-1][0]
    at = np.flatnonzero(codes[: max(len(codes) - span, 0)] == wanted[0][1])
    for shift, code in wanted[1:]:
        at = at[codes[at + shift] == code]
    # The document each position is in; a position in a document between two candidates
    # (read along, not checked) falls after the end of the candidate before it.
    document = np.searchsorted(starts, at, side="right") - 1
    inside = at + span < ends[document]
    held = np.zeros(len(starts), dtype=bool)
    held[document[inside]] = True
    return held
