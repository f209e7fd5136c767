"""Which documents match a phrase, without word positions in the postings.

Whoosh's phrase matcher steps through every document holding all the phrase's words (for
common words, most of the archive) and decodes each word's position list in Python.
Here the text fields keep no positions (their postings, which every search reads, decode
much faster without) and a phrase is answered in two steps:

1. Candidates: the documents holding all its words (masks the scorer has already read),
   narrowed by the word-pair terms of its neighbouring common words (``schema.WordPairs``).
2. Check: unless the phrase is exactly one indexed pair, each candidate's word positions
   (``schema.WordSequence``, a column) must hold the phrase's words at the phrase's offsets.

A phrase means its words in that order, next to each other, in one field; a stop word is a
gap of one word, in the text as in the phrase.
"""

from __future__ import annotations

import numpy as np

from search.engine.whoosh.compiling import Phrase
from search.engine.whoosh.internals.postings import term_docnums
from search.engine.whoosh.schema import pairs_field, sequence_field, stem_code


def leaves(searcher):
    """(segment searcher, docnum offset) of each segment."""
    return searcher.subsearchers or [(searcher, 0)]


def phrase_mask(searcher, node: Phrase, word_masks: list[np.ndarray]) -> np.ndarray:
    """Boolean mask over docnums of the documents ``node`` matches, given each of its words'
    masks. Deleted documents may be set: AND it with the live mask."""
    mask = np.logical_and.reduce(word_masks)
    if not mask.any():
        return mask
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
            return mask
    if node.offsets == (0, 1) and pairs:
        return mask
    return in_sequence(searcher, node, mask)


def term_mask(searcher, fieldname: str, text: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    term = text.encode("utf-8")
    for subsearcher, offset in leaves(searcher):
        mask[term_docnums(subsearcher.reader(), fieldname, term) + offset] = True
    return mask


def in_sequence(searcher, node: Phrase, candidates: np.ndarray) -> np.ndarray:
    """The candidates whose word positions hold the phrase's words at its offsets."""
    wanted = [
        (offset, stem_code(word)) for word, offset in zip(node.words, node.offsets, strict=True)
    ]
    span = node.offsets[-1]
    found = np.zeros_like(candidates)
    docnums = np.flatnonzero(candidates)
    name = sequence_field(node.fieldname)
    for subsearcher, offset in leaves(searcher):
        count = subsearcher.doc_count_all()
        local = docnums[(docnums >= offset) & (docnums < offset + count)] - offset
        if not len(local):
            continue
        column = subsearcher.reader().column_reader(name)
        for docnum in local.tolist():
            codes = np.frombuffer(column[docnum], dtype="<u4")
            if len(codes) <= span:
                continue
            starts = np.flatnonzero(codes[: len(codes) - span] == wanted[0][1])
            for shift, code in wanted[1:]:
                starts = starts[codes[starts + shift] == code]
            found[docnum + offset] = len(starts) > 0
    return found
