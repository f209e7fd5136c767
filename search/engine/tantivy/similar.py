"""The words that make an article like others, chosen here as tantivy's more-like-this chooses
them (each word's count in the article times its idf; the best ones, boosted by their share of
the best score). tantivy 0.27's own MoreLikeThisQuery panics once the index holds deleted
documents (every edit deletes a document): its idf divides by the live documents but counts the
deleted ones' words (quickwit-oss/tantivy#2964).
"""

from __future__ import annotations

import math
from collections import Counter

import tantivy
from tantivy import Occur, Query


def like_query(
    schema: tantivy.Schema, searcher: tantivy.Searcher, body_stems: list[str], *, words: int
) -> Query:
    """Any of the body's ``words`` best stems, each boosted by how telling it is."""
    documents = searcher.num_docs
    scored = []
    for stem, count in Counter(body_stems).items():
        frequency = searcher.doc_freq("body", stem)
        if frequency:
            # A deleted document's words count until a merge: never more than all documents.
            documents_counted = max(documents, frequency)
            idf = math.log(1 + (documents_counted - frequency + 0.5) / (frequency + 0.5))
            scored.append((count * idf, stem))
    best = sorted(scored, reverse=True)[:words]
    if not best:
        return Query.empty_query()
    top_score = best[0][0] or 1.0
    return Query.boolean_query(
        [
            (
                Occur.Should,
                Query.boost_query(
                    Query.term_query(schema, "body", stem, index_option="basic"),
                    score / top_score,
                ),
            )
            for score, stem in best
        ]
    )
