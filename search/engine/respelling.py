"""Did you mean: the query as typed, respelt word by word; one helper for every engine.

An engine knows its own vocabulary, so it says how one word is better spelt and how many
articles a query finds; what is respelt and when the result is offered is the same for all:
- respelt: plain words of four letters or more (a word of three is a letter or two from too
  many others), never an operator, a field name, a prefix (``harb*``) or a word with digits;
- offered: only when some word changed and the respelt query finds more than the typed one.

This works on the query's text as cleaned by ``search.query_language`` (not its tree), so the
suggestion keeps the user's quotes, parentheses and operators where they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from search.query_language import OPERATORS

# A run of letters, not part of a longer word, a field name or a prefix.
WORD = re.compile(r"(?<![:\w*])[^\W\d_]{4,}(?![\w*:])")


def respelt(
    text: str, better_spelling: Callable[[str], str | None], *, longest: int | None = None
) -> str | None:
    """``text`` with each word that ``better_spelling`` knows better replaced; None when no
    word was. ``better_spelling(word)`` answers None for a known word or one without a better
    spelling. Words longer than ``longest`` letters are left as typed."""
    changed = False

    def respell(match: re.Match) -> str:
        nonlocal changed
        word = match.group(0)
        if word in OPERATORS or (longest is not None and len(word) > longest):
            return word
        better = better_spelling(word)
        if better is None:
            return word
        changed = True
        return better

    corrected = WORD.sub(respell, text)
    return corrected if changed else None


def suggestion(
    text: str,
    *,
    better_spelling: Callable[[str], str | None],
    count: Callable[[str], int],
    total: int,
    longest: int | None = None,
) -> str | None:
    """The respelt query, offered only when ``count`` (the articles a query text finds, with
    the search's filters) says it finds more than ``total``, what the typed query found."""
    corrected = respelt(text, better_spelling, longest=longest)
    if corrected is None:
        return None
    return corrected if count(corrected) > total else None


def edit_distances(word: str, codes: np.ndarray) -> np.ndarray:
    """Optimal-string-alignment distance (an adjacent swap counts one) from ``word`` to each
    row of ``codes`` (equal-length words as code points), all rows at once."""
    rows, length = codes.shape
    query = [ord(c) for c in word]
    before_previous = None
    previous = np.tile(np.arange(length + 1, dtype=np.int32), (rows, 1))
    for i, query_code in enumerate(query, 1):
        current = np.empty_like(previous)
        current[:, 0] = i
        for j in range(1, length + 1):
            substitution = previous[:, j - 1] + (codes[:, j - 1] != query_code)
            value = np.minimum(np.minimum(previous[:, j], current[:, j - 1]) + 1, substitution)
            if i > 1 and j > 1:
                swapped = (codes[:, j - 2] == query_code) & (codes[:, j - 1] == query[i - 2])
                value = np.where(swapped, np.minimum(value, before_previous[:, j - 2] + 1), value)
            current[:, j] = value
        before_previous, previous = previous, current
    return previous[:, length]


def code_points(words: list[str], length: int) -> np.ndarray:
    """Words of ``length`` characters as one row of code points each (``edit_distances``)."""
    encoded = "".join(words).encode("utf-32-le")
    return np.frombuffer(encoded, dtype="<i4").reshape(len(words), length)
