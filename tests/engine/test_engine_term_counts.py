"""``engine.term_counts`` on every engine: the words and phrases of some articles, with their
counts there and in the whole index (the counts behind "What's distinctive")."""

from __future__ import annotations

import math
import time

from search import engine
from tests.engine.test_engine_contract import doc, search_engine  # noqa: F401 (a fixture)

ARCHIVE = [
    doc(1, "Coffee quotas", "The ICO said export quotas for coffee hold in 1987."),
    doc(2, "Coffee talks", "Brazil said coffee export quotas are the issue."),
    doc(3, "Coffee prices", "Coffee export quotas: Brazil said prices fell."),
    doc(4, "Gold mining", "The company said gold output rose."),
    doc(5, "Rail link", "The minister said the rail link opens."),
]


def counts(article_ids, *, q="", min_matches=2):
    return engine.term_counts(
        article_ids, q=q, min_matches=min_matches, deadline=time.monotonic() + 5
    )


def test_words_and_phrases_of_the_sample_with_their_archive_counts(search_engine):  # noqa: F811
    engine.rebuild(ARCHIVE)
    found = counts([1, 2, 3], q="coffee")
    assert (found.sampled, found.archive) == (3, 5)
    words = {count.term: (count.foreground, count.background) for count in found.words}
    assert words == {"said": (3, 5), "export": (3, 3), "quotas": (3, 3), "brazil": (2, 2)}
    phrases = {count.term: (count.foreground, count.background) for count in found.phrases}
    assert phrases == {"export quotas": (3, 3), "brazil said": (2, 2)}


def test_nothing_past_the_deadline_and_unknown_articles_left_out(search_engine):  # noqa: F811
    engine.rebuild(ARCHIVE)
    late = engine.term_counts([1, 2, 3], q="", min_matches=2, deadline=-math.inf)
    assert (late.sampled, late.words, late.phrases) == (3, [], [])
    assert counts([1, 99]).sampled == 1
