"""The Whoosh engine's scores: BM25 with Lucene's idf, checked against a hand computation, and
a title match on a common word never above the article about the query's subject."""

from __future__ import annotations

import math

import pytest

from search import engine
from search.documents import IndexDocument
from search.engine.whoosh.scoring import FIELD_WEIGHTS
from search.query import SearchQuery


def doc(id: int, title: str, body: str) -> IndexDocument:
    return IndexDocument(id=id, title=title, body=body, published=None, ministers=(), topics=())


def bm25_by_hand(*, count: int, length: int, average: float, documents: int, having: int):
    idf = math.log(1 + (documents - having + 0.5) / (having + 0.5))
    k1, b = 1.2, 0.75
    return idf * count * (k1 + 1) / (count + k1 * (1 - b + b * length / average))


@pytest.fixture
def whoosh_engine(settings):
    settings.SEARCH_ENGINE = "whoosh"
    engine.reset()
    yield
    engine.reset()


def test_scores_are_bm25_with_lucene_idf(whoosh_engine):
    engine.rebuild(
        [
            doc(1, "Harbour news", "harbour harbour crane"),  # title 2 words, body 3
            doc(2, "Weather", "harbour rain wind wind"),  # title 1, body 4
            doc(3, "Markets", "shares fell sharply today"),  # title 1, body 4
        ]
    )
    results = engine.search(SearchQuery(q="harbour"))
    scores = {hit.id: hit.score for hit in results.hits}
    title_average, body_average = 4 / 3, 11 / 3
    # One idf for both fields: 2 documents have the word (1 in its title, 2 in the body).
    first = FIELD_WEIGHTS["title"] * bm25_by_hand(
        count=1, length=2, average=title_average, documents=3, having=2
    ) + bm25_by_hand(count=2, length=3, average=body_average, documents=3, having=2)
    second = bm25_by_hand(count=1, length=4, average=body_average, documents=3, having=2)
    assert scores.keys() == {1, 2}
    assert scores[1] == pytest.approx(first, abs=1e-6)
    assert scores[2] == pytest.approx(second, abs=1e-6)
    with_stop_words = engine.search(SearchQuery(q="the harbour of"))  # stop words never score
    assert {hit.id: hit.score for hit in with_stop_words.hits} == scores


def test_a_common_word_in_a_title_does_not_beat_the_subject(whoosh_engine):
    """The issue's example: "what", "new" and "hot" in most articles, one headline "What's new and
    hot", one article about hot springs (the subject) without them in its title. The words are
    ORed: this is about ranking, not about which articles match."""
    filler = [
        doc(n, f"Council report {n}", f"What the new budget is on a hot day, said member {n}.")
        for n in range(3, 40)
    ]
    engine.rebuild(
        [
            doc(1, "What's new and hot", "The weekly list of events in town."),
            doc(
                2, "Bathing in the valley", "The hot springs draw visitors: hot springs, new baths."
            ),
            *filler,
        ]
    )
    results = engine.search(SearchQuery(q="what OR new OR hot OR springs", per_page=50))
    ranked = [hit.id for hit in results.hits]
    assert ranked[0] == 2
    assert 1 in ranked
