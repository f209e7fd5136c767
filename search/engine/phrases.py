"""Which documents match a phrase, from the word-pair fields instead of word positions.

Whoosh's phrase matcher steps through every document holding all the phrase's words and
decodes each word's position list in Python: "people know" visited 36,058 documents at
100,000 articles to find 274 (509 ms). The index holds every two adjacent kept words as one
term (``schema.WordPairs``), so a two-word phrase is a single term read a posting block at a
time, as ``matching`` reads words, and the text fields keep no positions at all (their
postings decode ~6x faster). A longer phrase is the AND of its consecutive pairs, which can
also hold documents with the pairs in different places ("prime minister" here, "minister
said" there for "prime minister said"), so those few candidates are checked against their
stored text: results are exactly Whoosh's phrase semantics (slop 1). A one-word phrase is
that word; a sloppy phrase ("a b"~3) is all its words, anywhere.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from whoosh import query as wq

from search.engine.postings import leaves, term_docnums
from search.engine.schema import cached_stem, index_words, pairs_field


def phrase_mask(searcher, node: wq.Phrase, size: int) -> np.ndarray | None:
    """Boolean mask over docnums of the documents ``node`` matches, or None for an index
    written before the word pairs (its text fields keep positions: ask Whoosh). Deleted
    documents may be set: AND it with the live mask."""
    pairs_name = pairs_field(node.fieldname)
    if pairs_name not in searcher.schema:
        return None
    if len(node.words) < 2:
        return words_mask(searcher, node.fieldname, node.words, size)
    if node.slop != 1:
        # "a b"~3 (words near each other): without positions, all the words anywhere.
        return words_mask(searcher, node.fieldname, node.words, size)
    pairs = [f"{first} {second}" for first, second in pairwise(node.words)]
    mask = np.ones(size, dtype=bool)
    # Rarest pair first, and stop as soon as nothing is left.
    for pair in sorted(set(pairs), key=lambda pair: searcher.doc_frequency(pairs_name, pair)):
        mask &= term_mask(searcher, pairs_name, pair, size)
        if not mask.any():
            return mask
    if len(pairs) == 1:
        return mask
    return verified(searcher, node, np.flatnonzero(mask), size)


def words_mask(searcher, fieldname: str, words, size: int) -> np.ndarray:
    mask = np.ones(size, dtype=bool)
    for word in words:
        mask &= term_mask(searcher, fieldname, word, size)
    return mask


def term_mask(searcher, fieldname: str, text: str, size: int) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    term = text.encode("utf-8")
    for subsearcher, offset in leaves(searcher):
        mask[term_docnums(subsearcher.reader(), fieldname, term) + offset] = True
    return mask


def verified(searcher, node: wq.Phrase, candidates: np.ndarray, size: int) -> np.ndarray:
    """The candidates (sorted docnums) whose text holds the phrase's words in a row.

    Holding every pair of a longer phrase does not make the phrase ("prime minister" in one
    sentence, "minister said" in another, for "prime minister said"). The text fields keep
    no positions, so the candidates' stored text is analysed again, as indexing did: about
    0.3 ms a candidate, and pairs leave few candidates besides the real matches.
    """
    mask = np.zeros(size, dtype=bool)
    wanted = list(node.words)
    for docnum in candidates.tolist():
        text = searcher.stored_fields(docnum).get(node.fieldname) or ""
        stems = [cached_stem(word) for word, _position in index_words(text)]
        first = wanted[0]
        mask[docnum] = any(
            stems[at : at + len(wanted)] == wanted for at, stem in enumerate(stems) if stem == first
        )
    return mask
