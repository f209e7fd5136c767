"""What a word is: one function, used by indexing, queries and highlighting alike, by every
engine that analyses text in Python (Whoosh, tantivy), so that all of them find the same words.

Words follow Whoosh's default token pattern; they are lowercased, accent-folded ("Café" =
"cafe"), English stop words and one-letter words are left out, and the rest Porter-stemmed.
A word's position is its number among all the text's words, stop words included: a phrase
means words next to each other in the text, and a stop word between two words is a gap
("last of the year" does not match "last year").
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import StopFilter
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

STOP_WORDS = StopFilter().stops
MIN_WORD_CHARS = StopFilter().min
# Whoosh's default token pattern without its capture group.
WORD = re.compile(default_pattern.pattern.replace("(\\.?", "(?:\\.?"), re.UNICODE)
cached_stem = lru_cache(maxsize=200_000)(stem)

# (stem, position among all words, start and end character offsets)
AnalysedWord = tuple[str, int, int, int]


def fold(word: str) -> str:
    """Lowercased, accents folded: a word as the index keeps it before stemming."""
    return word.lower().translate(accent_map)


@lru_cache(maxsize=100_000)  # words as written (both cases): ~20 MB when full
def word_stem(word: str) -> str | None:
    """The stem a word of text (as written) is indexed under; None for a word left out."""
    word = word.lower().translate(accent_map)
    if len(word) < MIN_WORD_CHARS or word in STOP_WORDS:
        return None
    return cached_stem(word)


def analyse(text: str) -> list[AnalysedWord]:
    """The kept words of ``text`` in order: (stem, position, start, end)."""
    kept = []
    for position, match in enumerate(WORD.finditer(text)):
        stem = word_stem(match.group())
        if stem is not None:
            kept.append((stem, position, match.start(), match.end()))
    return kept


@lru_cache(maxsize=8)
def analysed(text: str) -> tuple[AnalysedWord, ...]:
    """``analyse(text)``, remembered for the last few texts: a body is asked for by its text
    field, its spelling words, its word pairs and its word sequence, all with one string."""
    return tuple(analyse(text))


def stems(text: str) -> list[str]:
    return [word[0] for word in analysed(text)]
