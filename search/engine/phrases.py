"""Which documents match a phrase, without word positions.

Whoosh's phrase matcher steps through every document holding all the phrase's words and
decodes each word's position list in Python: "people know" visited 36,058 documents at
100,000 articles to find 274 (509 ms). Here the text fields keep no positions (their
postings decode ~6x faster) and a phrase is answered in two steps:

1. Candidates: the documents holding all its words (numpy masks the scorer has already
   read), narrowed by the word-pair terms of its adjacent common words
   (``schema.WordPairs``: "peopl know" is one posting list).
2. Check: unless the phrase is exactly one indexed pair, each candidate's word sequence
   (``schema.WordSequence``, a column) must hold the phrase's words in a row. Common-word
   phrases are narrowed by their pairs; a phrase with a rarer word has few candidates.

Results are Whoosh's phrase semantics (slop 1; stop words leave no gaps). A one-word
phrase is that word; a sloppy phrase ("a b"~3) is all its words, anywhere.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from whoosh import query as wq

from search.engine.postings import leaves, term_docnums
from search.engine.schema import (
    analysed_stems,
    pairs_field,
    sequence_field,
    stem_codes,
)


def phrase_mask(searcher, node: wq.Phrase, word_masks: list[np.ndarray]) -> np.ndarray | None:
    """Boolean mask over docnums of the documents ``node`` matches, given each of its words'
    masks; None for an index written before the word pairs (its text fields keep positions:
    ask Whoosh). Deleted documents may be set: AND it with the live mask."""
    fieldname = node.fieldname
    if pairs_field(fieldname) not in searcher.schema:
        return None
    mask = np.logical_and.reduce(word_masks)
    if len(node.words) < 2 or node.slop != 1 or not mask.any():
        return mask
    common = searcher.schema[pairs_field(fieldname)].common_words()
    pairs = {f"{a} {b}" for a, b in pairwise(node.words) if a in common and b in common}
    # Rarest pair first, and stop as soon as nothing is left.
    for pair in sorted(
        pairs, key=lambda pair: searcher.doc_frequency(pairs_field(fieldname), pair)
    ):
        mask &= term_mask(searcher, pairs_field(fieldname), pair, len(mask))
        if not mask.any():
            return mask
    if len(node.words) == 2 and pairs:
        return mask
    return in_sequence(searcher, fieldname, list(node.words), mask)


def term_mask(searcher, fieldname: str, text: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    term = text.encode("utf-8")
    for subsearcher, offset in leaves(searcher):
        mask[term_docnums(subsearcher.reader(), fieldname, term) + offset] = True
    return mask


def in_sequence(searcher, fieldname: str, words: list[str], candidates: np.ndarray):
    """The candidates whose word sequence holds ``words`` in a row (codes compared at once)."""
    wanted = stem_codes(words)
    found = np.zeros_like(candidates)
    docnums = np.flatnonzero(candidates)
    for subsearcher, offset in leaves(searcher):
        count = subsearcher.doc_count_all()
        local = docnums[(docnums >= offset) & (docnums < offset + count)] - offset
        if not len(local):
            continue
        sequences = word_sequences(subsearcher, fieldname)
        for docnum in local.tolist():
            codes = sequences(docnum)
            if len(codes) < len(wanted):
                continue
            starts = np.flatnonzero(codes[: len(codes) - len(wanted) + 1] == wanted[0])
            for shift in range(1, len(wanted)):
                starts = starts[codes[starts + shift] == wanted[shift]]
            found[docnum + offset] = len(starts) > 0
    return found


def word_sequences(subsearcher, fieldname: str):
    """docnum -> that document's word codes in one segment: from the sequence column, or
    from its stored text analysed again where the segment has no column (an index written
    before the columns, while it waits for its rebuild)."""
    reader = subsearcher.reader()
    name = sequence_field(fieldname)
    if name in reader.schema and reader.has_column(name):
        column = reader.column_reader(name)
        return lambda docnum: np.frombuffer(column[docnum], dtype="<u4")
    return lambda docnum: stem_codes(
        analysed_stems(subsearcher.stored_fields(docnum).get(fieldname) or "")
    )
