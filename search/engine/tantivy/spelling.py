"""Did you mean: a misspelt word's nearest indexed word (``spelling``, the archive's words
unstemmed), by the same rule as the Whoosh engine: same first letter, at most two edits (an
adjacent swap counts one), the nearest, then the most frequent, then the first alphabetically.

Not yet bounded for large archives: the candidates are every word with the first letter.
"""

from __future__ import annotations

from search.engine.analysis import stems
from search.engine.tantivy.schema import TEXT_FIELDS

LONGEST_WORD = 30  # longer runs of letters are no words: left as typed
SPELLING_MAX_DISTANCE = 2


def distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance between two words."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(
                rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def document_frequency(searcher, word: str) -> int:
    return sum(searcher.doc_freq(name, term) for term in stems(word) for name in TEXT_FIELDS)


def known_word(searcher, word: str) -> bool:
    terms = stems(word)
    return not terms or any(searcher.doc_freq(name, term) for term in terms for name in TEXT_FIELDS)


def better_spelling(searcher, word: str) -> str | None:
    if known_word(searcher, word):
        return None
    word = word.lower()
    found = []
    for candidate, _count in searcher.terms_with_prefix("spelling", word[:1]):
        if abs(len(candidate) - len(word)) <= SPELLING_MAX_DISTANCE and candidate != word:
            edits = distance(word, candidate)
            if edits <= SPELLING_MAX_DISTANCE:
                found.append((edits, candidate))
    if not found:
        return None
    nearest = min(edits for edits, _ in found)
    candidates = sorted(candidate for edits, candidate in found if edits == nearest)
    return max(candidates, key=lambda candidate: document_frequency(searcher, candidate))
