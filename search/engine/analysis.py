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
from collections.abc import Callable
from functools import lru_cache

from whoosh.analysis import StopFilter
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map

STOP_WORDS = StopFilter().stops
MIN_WORD_CHARS = StopFilter().min
# Whoosh's default token pattern, ``[\w*]+(\.?[\w*]+)*``, without its capture group and its
# optional dot (the dotless branch only extends the first run): the same words, found faster.
WORD = re.compile(r"[\w*]+(?:\.[\w*]+)*", re.UNICODE)
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


# Stands for a left-out word in ``Vocabulary.stems_with_gaps``: no stem is one (it has no word
# character), and an engine's tokenizer drops it, keeping the positions after it.
GAP = "-"


class _Remembered(dict):
    """A word's value computed on first sight, then a plain dict lookup (``map`` over a
    text's words runs without a Python call per word once the words have been seen)."""

    def __init__(self, compute: Callable[[str], str]):
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> str:
        value = self[word] = self.compute(word)
        return value


class _Sighted(dict):
    """A piece's stems, computed on first sight and remembered from the second on; the pieces
    seen for the first or second time are noted in ``sighted`` (a rebuild's spelling words).

    Only a piece's first two sights cost a Python call: after them it is in the dict."""

    def __init__(self, compute: Callable[[str], str]):
        super().__init__()
        self.compute = compute
        self.seen_once: dict[str, str] = {}
        self.sighted: list[str] = []

    def __missing__(self, piece: str) -> str:
        value = self.seen_once.pop(piece, None)
        if value is None:
            value = self.seen_once[piece] = self.compute(piece)
        else:
            self[piece] = value
        self.sighted.append(piece)
        return value

    def clear(self) -> None:
        super().clear()
        self.seen_once.clear()
        self.sighted.clear()


class Vocabulary:
    """Whole texts analysed for indexing, as ``analyse`` would, without a Python step per word.

    A text is split at whitespace (no word spans it) into pieces ("(rail," "year's"), and each
    distinct piece is analysed once and remembered: after that, a text costs a split and a
    dict lookup per piece. The n-th word of a text is the n-th whitespace-separated token of
    ``stems_with_gaps``, so a tokenizer that counts tokens gives each stem its position among
    all words, stop words included. One per writer (or worker process); it forgets everything
    when it has seen more than ``max_pieces`` distinct pieces.
    """

    def __init__(self, *, max_pieces: int = 200_000):
        self.max_pieces = max_pieces
        self.stems = _Sighted(
            lambda piece: " ".join(word_stem(word) or GAP for word in WORD.findall(piece))
        )
        self.spellings = _Remembered(
            lambda piece: " ".join(fold(word) for word in WORD.findall(piece) if word_stem(word))
        )

    def pieces(self, text: str) -> list[str]:
        """``text`` split at whitespace."""
        if len(self.stems) + len(self.stems.seen_once) > self.max_pieces or (
            len(self.spellings) > self.max_pieces
        ):
            self.stems.clear()
            self.spellings.clear()
        return text.split()

    def stems_with_gaps(self, pieces: list[str]) -> str:
        """Each word's stem, or GAP for a left-out word, separated by whitespace."""
        return " ".join(map(self.stems.__getitem__, pieces))

    def kept_words(self, pieces: list[str]) -> str:
        """The kept words unstemmed (folded), separated by whitespace: each at least once."""
        return " ".join(map(self.spellings.__getitem__, dict.fromkeys(pieces)))

    def newly_seen_words(self) -> str:
        """``kept_words`` of the pieces ``stems_with_gaps`` has seen for the first or second
        time since this was last asked (and since this vocabulary last forgot). Asked after
        each text of a rebuild, each word goes to the first two texts that have it, not to
        every one ("rail" and "Rail," are two pieces: a few more), without a Python step for a
        piece seen before."""
        words = " ".join(map(self.spellings.__getitem__, self.stems.sighted))
        self.stems.sighted.clear()
        return words
