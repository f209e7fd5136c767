"""Which documents match a query and how well, as numpy vectors over docnums.

Whoosh hands out matching documents one at a time through Python matchers, so a common word
costs Python calls for each document it matches, and an AND of two more again. Here a term's
postings are read whole into numpy, scored with ``scoring.py``'s formula (the model Whoosh's
own matchers use here too) in one vectorised step, and combined as masks and score sums: AND/OR
sum their children's scores, exactly as Whoosh's matchers do
(tests/engine/test_engine_whoosh.py compares them).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from search.engine.whoosh import phrases, scoring
from search.engine.whoosh.compiling import AtLeast, Phrase
from search.engine.whoosh.internals.postings import term_postings
from search.engine.whoosh.phrases import leaves


@dataclass
class Matches:
    """A query's matches: ``mask[d]`` if document d matches, with its score ``scores[d]``.

    Deleted documents may be set: callers AND the mask with the live mask.
    """

    mask: np.ndarray
    scores: np.ndarray


class Scoring:
    """What scoring needs besides postings: the index's field lengths, read once a generation."""

    def __init__(self, searcher, field_lengths: dict[str, np.ndarray], *, deadline=math.inf):
        self.searcher = searcher
        if not isinstance(searcher.weighting, scoring.NewsroomBM25):
            raise TypeError("open searchers with weighting=scoring.WEIGHTING (cache.py)")
        self.size = searcher.reader().doc_count_all()
        self.field_lengths = field_lengths
        # Past the deadline (time.monotonic()) no more postings are read: the words not yet
        # read match nothing, and ``cut_short`` tells the caller to say so.
        self.deadline = deadline
        self.cut_short = False

    def evaluate(self, node) -> Matches:
        if node is None:
            return self.nothing()
        if isinstance(node, wq.Term):
            return self.term(node.fieldname, node.text, node.boost)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, wq.Not):
            # Whoosh's InverseMatcher scores each document it matches 1.0: in an AND that is
            # the same constant for every hit.
            return Matches(~self.evaluate(node.query).mask, np.ones(self.size))
        if isinstance(node, AtLeast):
            children = [self.evaluate(child) for child in node.children()]
            matched = np.add.reduce([child.mask.astype(np.int32) for child in children])
            return self.combined(matched >= node.minimum, children, node.boost)
        if isinstance(node, wq.And | wq.Or):
            children = [self.evaluate(child) for child in node.children()]
            combine = np.logical_and if isinstance(node, wq.And) else np.logical_or
            mask = combine.reduce([child.mask for child in children])
            return self.combined(mask, children, node.boost)
        raise TypeError(f"no evaluation for {type(node).__name__}")

    def nothing(self) -> Matches:
        return Matches(np.zeros(self.size, dtype=bool), np.zeros(self.size))

    def combined(self, mask: np.ndarray, children: list[Matches], boost: float) -> Matches:
        """Whoosh's intersection and union matchers score a document by summing its children's
        scores (the children that match it); masked so only matching documents score."""
        scores = np.add.reduce([child.scores for child in children]) if children else 0.0
        scores = np.where(mask, scores, 0.0)
        return Matches(mask, scores * boost if boost != 1.0 else scores)

    def term(self, fieldname: str, text, boost: float = 1.0) -> Matches:
        matches = self.nothing()
        searcher = self.searcher
        if fieldname not in searcher.schema:
            return matches
        if time.monotonic() > self.deadline:
            self.cut_short = True
            return matches
        field = searcher.schema[fieldname]
        term = text if isinstance(text, bytes) else field.to_bytes(text)
        for subsearcher, offset in leaves(searcher):
            docnums, weights = term_postings(subsearcher.reader(), fieldname, term)
            if not len(docnums):
                continue
            docnums += offset
            matches.mask[docnums] = True
            matches.scores[docnums] = self.bm25(fieldname, term, docnums, weights)
        if boost != 1.0:
            matches.scores *= boost
        return matches

    def bm25(self, fieldname: str, term: bytes, docnums: np.ndarray, weights: np.ndarray):
        """``scoring.FieldScorer`` for many documents at once: the same collection statistics
        (document frequency, average length over all documents) and the same one-byte
        quantised lengths, 1 for a document without one."""
        searcher = self.searcher
        if not searcher.schema[fieldname].scorable:
            return weights
        idf = searcher.idf(fieldname, term)  # scoring.WEIGHTING's, kept by the searcher
        average = searcher.avg_field_length(fieldname) or 1
        counts = scoring.word_counts(searcher, fieldname, weights)
        lengths = self.field_lengths[fieldname][docnums]
        weight = scoring.FIELD_WEIGHTS.get(fieldname, 1.0)
        return weight * scoring.bm25(idf, counts, lengths, average)

    def phrase(self, node: Phrase) -> Matches:
        """Phrase matches scored like Whoosh's phrase matcher: the sum of its words' scores."""
        words = [self.term(node.fieldname, word) for word in node.words]
        masks = [word.mask for word in words]
        mask, ran_out = phrases.phrase_mask(self.searcher, node, masks, deadline=self.deadline)
        self.cut_short |= ran_out
        return self.combined(mask, words, node.boost)


def best_scored(scores: np.ndarray, matched: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) among the matched documents, best first; ties go to
    the lower docnum, as in Whoosh's collector."""
    docnums = np.flatnonzero(matched)
    if limit < len(docnums):
        # argpartition on -score picks a top set; a tie at the boundary must keep the lower
        # docnums, so take everything scoring at least the limit-th best, then order exactly.
        threshold = -np.partition(-scores[docnums], limit - 1)[limit - 1]
        docnums = docnums[scores[docnums] >= threshold]
    order = np.lexsort((docnums, -scores[docnums]))[:limit]
    return [(int(d), float(scores[d])) for d in docnums[order]]
