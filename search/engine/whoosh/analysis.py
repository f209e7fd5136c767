"""What a word is: one function, used by indexing, queries and highlighting alike.

Words follow Whoosh's default token pattern; they are lowercased, accent-folded ("Café" =
"cafe"), English stop words and one-letter words are left out, and the rest Porter-stemmed.
A word's position is its number among all the text's words, stop words included: a phrase
means words next to each other in the text, and a stop word between two words is a gap
("last of the year" does not match "last year").
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh import analysis
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

STOP_WORDS = analysis.StopFilter().stops
MIN_WORD_CHARS = analysis.StopFilter().min
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


class NewsroomAnalyzer(analysis.Analyzer):
    """``analyse`` as a Whoosh analyzer, for what Whoosh analyses itself (more-like-this).

    Pickled with the schema into the index: moving or renaming it needs a schema version bump.
    """

    is_morph = True  # it stems: Whoosh then keeps the unstemmed words for spelling apart

    def __call__(self, value, positions=False, chars=False, start_pos=0, start_char=0, **kw):
        token = analysis.Token(positions, chars, **kw)
        token.boost, token.stopped = 1.0, False
        for word_stem, position, start, end in analyse(value):
            token.text = word_stem
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def __eq__(self, other):
        return type(other) is type(self)

    __hash__ = object.__hash__
