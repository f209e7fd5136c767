"""The vectorised matcher (search/engine/matching.py) against Whoosh's own matchers.

Every query is run both ways on the same on-disk index (several segments, some deletions):
the same documents must match, with the same BM25F scores, and the page of hits must be
ranked as Whoosh's collector ranks it.
"""

from __future__ import annotations

import numpy as np
import pytest
from whoosh import query as wq

from search import engine
from search.documents import IndexDocument
from search.engine.matching import best_scored, top_of_subset
from search.engine.parsing import parse_user_query
from search.engine.postings import leaves
from search.engine.searching import current_state, matches

# Zipf-distributed words, so some are in most documents and some in a handful.
VOCABULARY = [
    "people", "time", "world", "government", "security", "japan", "india", "minister",
    "prime", "supply", "chain", "year", "last", "know", "maritime", "naval", "navy",
    "semiconductor", "satellite", "hospital", "estuary", "sonnet", "hygienist", "dialogue",
    "cooperation", "cooperate", "defence", "cyber", "space", "rail", "café", "tokyo", "delhi",
]  # fmt: skip


def corpus(count: int, *, seed: int, first_id: int = 1) -> list[IndexDocument]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(VOCABULARY) + 1) ** 0.9
    weights /= weights.sum()

    def text(length: int) -> str:
        words = rng.choice(VOCABULARY, size=length, p=weights)
        stop_words = rng.choice(["the", "of", "and", "to"], size=length)
        keep_stop = rng.random(length) < 0.2
        return " ".join(
            f"{s} {w}" if k else w for w, s, k in zip(words, stop_words, keep_stop, strict=True)
        )

    return [
        IndexDocument(
            id=first_id + number,
            title=text(int(rng.integers(2, 9))),
            body=text(int(rng.integers(5, 400))),
            published=None,
            ministers=(),
            topics=(),
        )
        for number in range(count)
    ]


@pytest.fixture
def segmented_index():
    """Three segments, with updated and deleted documents."""
    engine.rebuild(corpus(300, seed=1))
    with engine.open_writer(timeout=10) as writer:
        for document in corpus(40, seed=2, first_id=281):  # 20 updated, 20 new
            writer.upsert(document)
        for article_id in range(1, 300, 17):
            writer.delete(article_id)
    with engine.open_writer(timeout=10) as writer:
        for document in corpus(15, seed=3, first_id=400):
            writer.upsert(document)
    state = current_state()
    assert len(leaves(state.searcher)) > 1
    return state


QUERIES = [
    "people",
    "hygienist",
    "people world",
    "maritime security",
    "navy OR naval",
    "security -japan",
    "security NOT (japan OR india)",
    "(space OR rail) cooperation",
    '"prime minister"',
    '"supply chain" security',
    '"last year"',
    '"people know" OR hospital',
    "title:security",
    "title:people body:world",
    "secur*",
    "cafe",
    "nosuchword",
    "people nosuchword",
]


def test_same_matches_and_scores_as_whoosh(segmented_index):
    # One index for all the queries: building it is most of this test's time.
    for text in QUERIES:
        check_query(segmented_index, text)


def words_for_phrases(node):
    """The query with each phrase read as all its words: what Whoosh can run on text fields
    without positions, and what a phrase scores (Whoosh's phrase matcher sums its words)."""
    if isinstance(node, wq.Phrase):
        return wq.And([wq.Term(node.fieldname, word) for word in node.words], boost=node.boost)
    if node.is_leaf():
        return node
    return node.apply(words_for_phrases)


def check_query(state, text: str) -> None:
    searcher = state.searcher
    parsed = parse_user_query(text, schema=searcher.schema, reader=searcher.reader(),
                              max_expansions=50).query  # fmt: skip
    ours = matches(state, parsed)
    ours_docnums = np.flatnonzero(ours.mask)
    has_phrase = any(isinstance(node, wq.Phrase) for node in parsed.leaves())
    reference_query = words_for_phrases(parsed)

    whoosh_docnums = sorted(d for d in searcher.docs_for_query(reference_query) if state.live[d])
    if has_phrase:  # which documents a phrase matches: tests/test_engine_phrases.py
        assert set(ours_docnums.tolist()) <= set(whoosh_docnums), text
    else:
        assert ours_docnums.tolist() == whoosh_docnums, text

    whoosh_scores = dict(top_of_subset(searcher, reference_query, ours_docnums, 10**6))
    if has_phrase:
        # The words-for-phrases reference also scores a field holding the words apart.
        for docnum in ours_docnums.tolist():
            assert 0 < ours.scores[docnum] <= whoosh_scores[docnum] * (1 + 1e-6), text
        return
    for docnum in ours_docnums.tolist():
        assert ours.scores[docnum] == pytest.approx(whoosh_scores[docnum], rel=1e-6), text

    # Ranked against Whoosh's matcher scoring every match: its collector skips posting blocks
    # by an estimated best score, and for an AND of ORs (every two-word query over title and
    # body) that estimate can skip the true best hit.
    page = best_scored(ours.scores, ours.mask, 10)
    reference = top_of_subset(searcher, reference_query, ours_docnums, 10)
    assert [docnum for docnum, _score in page] == [docnum for docnum, _score in reference], text


def test_best_scored_breaks_ties_by_lower_docnum():
    scores = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0, 0.5])
    matched = np.array([True, True, True, True, True, True, False])
    assert best_scored(scores, matched, 4) == [(1, 3.0), (3, 3.0), (2, 2.0), (4, 2.0)]
    assert best_scored(scores, matched, 10)[-1] == (0, 1.0)
    assert best_scored(scores, np.zeros(7, dtype=bool), 3) == []
