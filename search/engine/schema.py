"""The Whoosh schema and the analyzer shared by indexing, parsing and highlighting."""

from __future__ import annotations

import re
import zlib
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from whoosh import analysis, columns, fields, formats
from whoosh.analysis.tokenizers import default_pattern
from whoosh.lang.porter import stem
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

from search.documents import IndexDocument

TITLE_BOOST = 2.0
TEXT_FIELDS = ("title", "body")
PAIRS_SUFFIX = "_pairs"
SEQUENCE_SUFFIX = "_sequence"
COMMON_WORDS = Path(__file__).with_name("common_words.txt")


def pairs_field(text_field: str) -> str:
    """The word-pair field that answers phrases of common words ("body_pairs")."""
    return text_field + PAIRS_SUFFIX


def sequence_field(text_field: str) -> str:
    """The column holding each document's words in order, to check phrases ("body_sequence")."""
    return text_field + SEQUENCE_SUFFIX


def text_analyzer() -> analysis.Analyzer:
    """Words, lowercased, accents folded ("Café" = "cafe"), English stop words out, stemmed."""
    return (
        analysis.RegexTokenizer()
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.StopFilter()
        | analysis.StemFilter(cachesize=50000)
    )


STOP_WORDS = analysis.StopFilter().stops
MIN_WORD_CHARS = analysis.StopFilter().min
# Whoosh's default token pattern without its capture group, so findall() returns whole words.
WORD = re.compile(default_pattern.pattern.replace("(\\.?", "(?:\\.?"), re.UNICODE)
cached_stem = lru_cache(maxsize=200_000)(stem)


def index_words(text: str) -> list[tuple[str, int]]:
    """(lowercased, accent-folded word, position) of every word ``text_analyzer`` keeps.

    The same steps as ``text_analyzer()`` up to stemming, in one pass over the text: Whoosh
    runs each token through a chain of generators (and its stem cache is a Python LFU
    wrapper), which made analysis most of the cost of indexing a 500-word article.
    Positions follow StopFilter's renumbering quirk: the first kept word keeps its own
    position, later ones count on from it (stop words leave no gaps after the first word).
    """
    if text.isascii():
        # Lowercasing ASCII maps letter to letter and accent_map leaves lowercase ASCII alone.
        tokens = WORD.findall(text.lower())
    else:
        tokens = [token.lower().translate(accent_map) for token in WORD.findall(text)]
    kept = [
        (word, number)
        for number, word in enumerate(tokens)
        if len(word) >= MIN_WORD_CHARS and word not in STOP_WORDS
    ]
    if not kept:
        return []
    first = kept[0][1]
    return [(word, first + offset) for offset, (word, _number) in enumerate(kept)]


@lru_cache(maxsize=8)
def analysed_words(text: str) -> tuple[tuple[str, int], ...]:
    """``index_words(text)``, remembered for the last few texts.

    Whoosh analyses each field of a document separately: a body's words are asked for by
    its text field, its spelling words and its word-pair field, all with the same string.
    (A dict lookup of the same string object is an identity check, not a comparison.)
    """
    return tuple(index_words(text))


@lru_cache(maxsize=8)
def analysed_stems(text: str) -> tuple[str, ...]:
    """The stems of ``text``'s kept words, in order (shared by a text's fields, as above)."""
    return tuple(cached_stem(word) for word, _position in analysed_words(text))


COMMON_WORD_COUNT = 1000


@lru_cache(maxsize=1)
def english_common_stems() -> frozenset[str]:
    """The stems of ``common_words.txt``: the common words of a new, empty archive."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(cached_stem(line) for line in lines if line and not line.startswith("#"))


def stem_codes(stems) -> np.ndarray:
    """32-bit codes (CRC-32) of stems: a document's word sequence, compared code by code.

    Two different stems can share a code (about one pair among 100,000 words), so a phrase
    check may rarely accept a document whose words only share codes with the phrase's.
    """
    return np.array([zlib.crc32(stem.encode("utf-8")) for stem in stems], dtype="<u4")


def highlight_tokens(text: str, *, chars: bool = True, mode: str = "", removestops=False, **_):
    """``text_analyzer()``'s tokens as Whoosh's highlighter asks for them (characters, stop
    words kept but marked stopped), from the same one-pass steps as ``index_words``.

    Highlighting a 500-word body through the analyzer's generator chain cost about 3 ms a
    field; the highlighter reads only ``text``, ``startchar``, ``endchar`` and ``stopped``.
    Like Whoosh's tokenizers, one Token is yielded over and over with new values.
    """
    token = analysis.Token(positions=False, chars=True, removestops=removestops, mode=mode)
    token.boost = 1.0
    ascii_text = text.isascii()
    for match in WORD.finditer(text):
        word = match.group(0).lower()
        if not ascii_text:
            word = word.translate(accent_map)
        token.startchar, token.endchar = match.start(), match.end()
        if len(word) >= MIN_WORD_CHARS and word not in STOP_WORDS:
            token.text, token.stopped = cached_stem(word), False
        elif removestops:
            continue
        else:
            token.text, token.stopped = word, True
        yield token


class FastText(fields.TEXT):
    """TEXT that indexes with ``index_words`` + a C-cached Porter stem: same postings, faster.

    Built with ``phrase=False``: word frequencies, no word positions. Phrases are answered by
    the word-pair fields (``WordPairs``, ``phrases.py``), and a posting block without
    position lists decodes ~6x faster (8 vs 51 µs for 128 postings), which is what searching
    a common word costs; indexing also skips pickling a position list per posting.

    Only the plain indexing path is replaced (a whole string, default options); queries
    still run ``text_analyzer()``. Whoosh pickles the field class into the index, so
    renaming or moving this class needs a ``rebuild_index``.
    """

    def index(self, value, **kwargs):
        if kwargs or not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        if self.format.supports("positions"):  # an index written before the word pairs
            positions: dict[str, list[int]] = {}
            for word, position in analysed_words(value):
                positions.setdefault(cached_stem(word), []).append(position)
            for term, term_positions in positions.items():
                count = len(term_positions)
                encoded = self.format.encode(term_positions)
                yield term.encode("utf-8"), count, float(count) * boost, encoded
            return
        counts = Counter(analysed_stems(value))
        for term, count in counts.items():
            yield term.encode("utf-8"), count, float(count) * boost, pack_uint(count)

    def spellable_words(self, value):
        """Only the words this writer has not given yet.

        Whoosh quirk: for a spelling field the writer adds one posting per (word, document),
        all of them at document 0, so the spelling lexicon (all that the corrector reads)
        cost as much to sort and write as the body's own postings: commits ran 2.7x slower.
        Each writer reads a freshly unpickled schema, so the set lives as long as one writer
        (one segment); ``__getstate__`` keeps it out of the pickled schema in the index TOC.
        """
        words = (
            {word for word, _position in analysed_words(value)}
            if isinstance(value, str)
            else (set(super().spellable_words(value)))
        )
        spelled = self.__dict__.setdefault("_spelled", set())
        new_words = words - spelled
        spelled |= new_words
        return iter(sorted(new_words))

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_spelled", None)
        return state


class WordPairs(fields.FieldType):
    """Two adjacent kept words of a text, both common, stemmed and joined ("peopl know").

    A phrase of common words is then one term: Whoosh's phrase matcher stepped through every
    document holding both words and decoded their position lists in Python ("people know":
    509 ms at 100,000 articles). Adjacent means consecutive as ``index_words`` numbers them
    (stop words leave no gaps), which is what a phrase with slop 1 matches.

    Only pairs of two common words are kept (``common``, pickled with the schema into the
    index, so every writer of an index pairs the same words: the archive's most frequent
    words when ``rebuild_index`` learnt them from the index it replaces, else the English
    ones of ``common_words.txt``). Indexing every pair doubled
    the postings and added hundreds of terms a document, most of them seen once (indexing
    ran 2.9x slower). A phrase with a rarer word has few candidates (the documents holding
    all its words), checked against their word sequences (``WordSequence``).
    Only whether a document holds a pair is kept (Existence format), nothing is stored or
    scored. Pickled into the index like ``FastText``: moving it needs a ``rebuild_index``.
    """

    def __init__(self, common: frozenset[str] | None = None):
        super().__init__(formats.Existence(), analysis.IDTokenizer(), scorable=False)
        self.common = common

    def common_words(self) -> frozenset[str]:
        # getattr: a schema pickled before the list existed has no attribute at all.
        return getattr(self, "common", None) or english_common_stems()

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        common = self.common_words()
        boost = self.format.field_boost
        pairs = {
            f"{first} {second}"
            for first, second in pairwise(analysed_stems(value))
            if first in common and second in common
        }
        for pair in pairs:
            yield pair.encode("utf-8"), 1, boost, b""


class WordSequence(fields.COLUMN):
    """A text's kept words in order, as ``stem_codes`` (a column, one value a document).

    What a phrase is checked against where no word pair answers it: reading one document's
    sequence costs a column read, where analysing its stored text again cost ~0.3 ms.
    """

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value):
        return stem_codes(analysed_stems(value)).tobytes() if isinstance(value, str) else b""


class VersionColumn(fields.COLUMN):
    """The article's version (a digest of what is indexed), one value a document in a column."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")

    def from_column_value(self, value: bytes) -> str:
        return value.decode("utf-8")


def build_schema(common_words: frozenset[str] | None = None) -> fields.Schema:
    """The schema; ``common_words`` (stems) are the words the word pairs are made of."""
    text_options = dict(
        analyzer=text_analyzer(),
        stored=True,
        phrase=False,  # no word positions: phrases come from the word-pair fields
        multitoken_query="phrase",
        spelling=True,
    )
    return fields.Schema(
        # id and version also as columns: check_index reads them for every document
        # without unpickling its stored fields (the body among them).
        id=fields.ID(stored=True, unique=True, sortable=True),
        # spelling=True keeps the unstemmed words too, for "did you mean".
        # A word the analyzer splits ("Indo-Pacific") is searched as a phrase, not an AND.
        title=FastText(field_boost=TITLE_BOOST, **text_options),
        body=FastText(**text_options),
        # Multi-valued, so KEYWORD (a sortable column holds one value a document); facet
        # counts read these fields' postings once per index generation (see searching.py).
        minister=fields.KEYWORD(commas=True, scorable=False),
        topic=fields.KEYWORD(commas=True, scorable=False),
        # Facet and filter on a year column, never on DateRangeFacet with a 365-day gap,
        # which misfiles dates across leap years.
        year=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        # Day number (date.toordinal()); 0 for an undated article, so it sorts last by newest.
        published=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        version=VersionColumn(),
        **{pairs_field(name): WordPairs(common_words) for name in TEXT_FIELDS},
        **{sequence_field(name): WordSequence() for name in TEXT_FIELDS},
    )


def to_fields(document: IndexDocument, schema: fields.Schema | None = None) -> dict:
    """The Whoosh fields of a document; only those ``schema`` has, when given.

    An index written before a field was added (say the word pairs) raises on an unknown
    field, so a writer on such an index passes its own schema until the index is rebuilt.
    """
    values = {
        "id": str(document.id),
        "title": document.title,
        "body": document.body,
        "minister": ",".join(document.ministers),
        "topic": ",".join(document.topics),
        "year": document.year or 0,
        "published": document.published.toordinal() if document.published else 0,
        "version": document.version,
        # The same string objects as title/body, so their analysis is shared (analysed_words).
        pairs_field("title"): document.title,
        pairs_field("body"): document.body,
        sequence_field("title"): document.title,
        sequence_field("body"): document.body,
    }
    if schema is None:
        return values
    return {name: value for name, value in values.items() if name in schema}
