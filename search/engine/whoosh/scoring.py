"""How well a document matches a word: BM25 with Lucene's idf, each field weighted, summed.

One formula for every path: ``matching.Scoring`` applies it to whole posting lists in numpy,
and ``WEIGHTING`` is the model every searcher of ``cache.py`` is opened with, so Whoosh's own
matchers (more-like-this, the tests' reference) give the same scores.

- idf is Lucene's ``log(1 + (N - df + 0.5) / (df + 0.5))``: Whoosh's ``log(N / (df + 1)) + 1``
  adds 1 to every word, which gives a word in most documents nearly the weight of a rare one.
- A word's df is the larger of its title's and its body's (``document_frequency``), one idf
  for both fields: counted in titles alone, "new" or "what" is rare, and a headline holding
  it outscored the article about the query's subject.
- k1 1.2 and b 0.75 (Lucene's defaults) are the saturation of a word's count and how much a
  long field's count is discounted; figures with them in docs/relevance.md.
- A field's score is multiplied by its weight (``FIELD_WEIGHTS``, the title's chosen on judged
  collections: docs/relevance.md) and a document's fields add up.
"""

from __future__ import annotations

import math

import numpy as np
from whoosh.scoring import BM25F, BM25FScorer

from search.engine.whoosh.schema import TEXT_FIELDS

K1 = 1.2
B = 0.75
FIELD_WEIGHTS = {"title": 1.0, "body": 1.0}


def idf(document_count: int, document_frequency: int) -> float:
    return math.log(1 + (document_count - document_frequency + 0.5) / (document_frequency + 0.5))


def document_frequency(searcher, fieldname: str, term) -> int:
    """How many documents have the word, for its idf: in a text field, the larger of its title
    and body counts (nearly every headline's words are in the body too)."""
    if fieldname not in TEXT_FIELDS:
        return searcher.doc_frequency(fieldname, term)
    return max(searcher.doc_frequency(name, term) for name in TEXT_FIELDS)


def bm25(idf_value: float, counts, lengths, average_length: float):
    """A field's BM25 score for a word's ``counts`` in fields of ``lengths`` (scalars or arrays)."""
    normalised = K1 * ((1 - B) + B * lengths / average_length)
    return idf_value * (counts * (K1 + 1)) / (counts + normalised)


def word_counts(searcher, fieldname: str, weights):
    """A posting's weight is the word's count times the field's boost (Whoosh multiplies them
    when it indexes); BM25 wants the count, and the field's weight applies to the score."""
    return weights / searcher.schema[fieldname].format.field_boost


class NewsroomBM25(BM25F):
    """Whoosh's BM25F model with this module's idf, counts and field weights."""

    def __init__(self):
        super().__init__(B=B, K1=K1)

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), document_frequency(parent, fieldname, text))

    def scorer(self, searcher, fieldname, text, qf=1):
        if not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        return FieldScorer(searcher, fieldname, text, B, K1, qf=qf)


class FieldScorer(BM25FScorer):
    def __init__(self, searcher, fieldname, text, b, k1, qf=1):
        # Set first: the parent's set-up scores the field's best possible posting.
        self.field_boost = searcher.schema[fieldname].format.field_boost
        self.field_weight = FIELD_WEIGHTS.get(fieldname, 1.0)
        super().__init__(searcher, fieldname, text, b, k1, qf=qf)

    def _score(self, weight, length):
        count = np.float64(weight / self.field_boost)
        return self.field_weight * float(bm25(self.idf, count, length, self.avgfl))


WEIGHTING = NewsroomBM25()
