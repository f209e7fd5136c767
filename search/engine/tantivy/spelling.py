"""Did you mean: a misspelt word's nearest indexed word (``spelling``, the archive's words
unstemmed), by the same rule as the Whoosh engine: same first letter, within two letters of its
length, at most two edits (an adjacent swap counts one), the nearest, then the most frequent,
then the first alphabetically.

The candidates are the words with its first letter (tantivy's term dictionary gives them in
C); their distances are computed a length at a time with numpy (``respelling.edit_distances``),
not one word at a time in Python, which took ~70 ms for "securty" at 100,000 articles.
"""

from __future__ import annotations

import numpy as np

from search.engine.analysis import stems
from search.engine.respelling import code_points, edit_distances
from search.engine.tantivy.schema import TEXT_FIELDS

LONGEST_WORD = 30  # longer runs of letters are no words: left as typed
SPELLING_MAX_DISTANCE = 2


def document_frequency(searcher, word: str) -> int:
    return sum(searcher.doc_freq(name, term) for term in stems(word) for name in TEXT_FIELDS)


def known_word(searcher, word: str) -> bool:
    terms = stems(word)
    return not terms or any(searcher.doc_freq(name, term) for term in terms for name in TEXT_FIELDS)


def better_spelling(searcher, word: str) -> str | None:
    if known_word(searcher, word):
        return None
    word = word.lower()
    by_length: dict[int, list[str]] = {}
    for candidate, _count in searcher.terms_with_prefix("spelling", word[:1]):
        if abs(len(candidate) - len(word)) <= SPELLING_MAX_DISTANCE and candidate != word:
            by_length.setdefault(len(candidate), []).append(candidate)
    found = []
    for length, words in by_length.items():
        distances = edit_distances(word, code_points(words, length))
        found.extend(
            (int(distances[i]), words[i])
            for i in np.flatnonzero(distances <= SPELLING_MAX_DISTANCE)
        )
    if not found:
        return None
    nearest = min(edits for edits, _ in found)
    candidates = sorted(candidate for edits, candidate in found if edits == nearest)
    return max(candidates, key=lambda candidate: document_frequency(searcher, candidate))
