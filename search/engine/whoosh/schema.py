"""The Whoosh schema: what each field of an indexed article is, and how it is written.

Whoosh pickles the schema (these field classes and the analyzer) and the codec into the index,
so an index can only be opened while they stay importable where they were. ``SCHEMA_VERSION``
is written beside every index generation: bump it whenever a field, a pickled class's name or
module, or what a field indexes changes, and ``check_index --repair`` rebuilds older indexes
(tests/engine/test_engine_whoosh.py fails when a pickled class moves without a bump).
"""

from __future__ import annotations

import zlib
from collections import Counter
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import numpy as np
from whoosh import columns, fields, formats
from whoosh.analysis import IDTokenizer
from whoosh.system import pack_uint

from search.documents import IndexDocument
from search.engine.whoosh.analysis import NewsroomAnalyzer, analysed, cached_stem, fold, stems

SCHEMA_VERSION = 8  # 8: labels
TEXT_FIELDS = ("title", "body")
FACET_FIELDS = ("minister", "topic", "label")
COMMON_WORDS = Path(__file__).with_name("common_words.txt")
COMMON_WORD_COUNT = 1000


def pairs_field(text_field: str) -> str:
    """The word-pair field that answers phrases of common words ("body_pairs")."""
    return text_field + "_pairs"


def sequence_field(text_field: str) -> str:
    """The column holding each document's words in order, to check phrases ("body_sequence")."""
    return text_field + "_sequence"


@lru_cache(maxsize=1)
def english_common_stems() -> frozenset[str]:
    """The stems of ``common_words.txt``: the common words of a new, empty archive."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(cached_stem(line) for line in lines if line and not line.startswith("#"))


def stem_code(word_stem: str) -> int:
    """A stem's 32-bit code (CRC-32, never 0: 0 marks a gap). Two stems can share a code
    (about one pair among 100,000 words), so a phrase check may rarely accept a document whose
    words only share codes with the phrase's."""
    return zlib.crc32(word_stem.encode("utf-8")) or 1


def word_codes(text: str) -> np.ndarray:
    """Every word position of ``text`` as a code: the kept words' stems, 0 for the others."""
    words = analysed(text)
    codes = np.zeros(words[-1][1] + 1 if words else 0, dtype="<u4")
    for word_stem, position, _start, _end in words:
        codes[position] = stem_code(word_stem)
    return codes


class FastText(fields.TEXT):
    """TEXT indexed with ``analyse``: word frequencies, no positions (phrases are answered by
    the word-pair and word-sequence fields, and a posting block without position lists
    decodes much faster)."""

    def index(self, value, **kwargs):
        boost = self.format.field_boost
        for term, count in Counter(stems(value)).items():
            yield term.encode("utf-8"), count, float(count) * boost, pack_uint(count)

    def spellable_words(self, value):
        """The unstemmed words for "did you mean", each only once per writer.

        Whoosh quirk: a writer adds one spelling posting per (word, document), all at
        document 0, so the spelling lexicon cost as much to write as the body's postings. The
        set lives as long as one writer (each unpickles its own schema) and stays out of the
        pickled schema (``__getstate__``).
        """
        words = {fold(value[start:end]) for _stem, _position, start, end in analysed(value)}
        spelled = self.__dict__.setdefault("_spelled", set())
        new_words = words - spelled
        spelled |= new_words
        return iter(sorted(new_words))

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_spelled", None)
        return state


class WordPairs(fields.FieldType):
    """Two words next to each other in a text, both common, stemmed and joined ("peopl know").

    A phrase of common words is then one posting list: Whoosh's phrase matcher stepped
    through every document holding both words. Only pairs of two common words (``common``:
    the archive's most frequent stems, learnt by the rebuild, else ``common_words.txt``'s)
    are kept; indexing every pair doubled the postings. A phrase with a rarer word has few
    candidates, checked against their word sequences (``WordSequence``).
    """

    def __init__(self, common: frozenset[str] | None = None):
        super().__init__(formats.Existence(), IDTokenizer(), scorable=False)
        self.common = common or english_common_stems()

    def index(self, value, **kwargs):
        common, boost = self.common, self.format.field_boost
        pairs = {
            f"{first[0]} {second[0]}"
            for first, second in pairwise(analysed(value))
            if second[1] == first[1] + 1 and first[0] in common and second[0] in common
        }
        for pair in pairs:
            yield pair.encode("utf-8"), 1, boost, b""


class WordSequence(fields.COLUMN):
    """A text's word positions as ``word_codes`` (a column, one value a document): what a
    phrase is checked against where no word pair answers it."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value):
        return word_codes(value).tobytes()


class VersionColumn(fields.COLUMN):
    """The article's version (a digest of what is indexed), one value a document."""

    def __init__(self):
        super().__init__(columns.VarBytesColumn())

    def to_column_value(self, value: str) -> bytes:
        return value.encode("utf-8")

    def from_column_value(self, value: bytes) -> str:
        return value.decode("utf-8")


def build_schema(common_words: frozenset[str] | None = None) -> fields.Schema:
    text_options = dict(analyzer=NewsroomAnalyzer(), stored=True, phrase=False, spelling=True)
    return fields.Schema(
        # id and version also as columns: check_index reads them without the stored fields.
        id=fields.ID(stored=True, unique=True, sortable=True),
        title=FastText(**text_options),  # its weight is the score's: scoring.FIELD_WEIGHTS
        body=FastText(**text_options),
        # Multi-valued, so KEYWORD; facet counts read their postings once per segment.
        minister=fields.KEYWORD(commas=True, scorable=False),
        topic=fields.KEYWORD(commas=True, scorable=False),
        label=fields.KEYWORD(commas=True, scorable=False),  # shared labels' slugs
        # A year column, never DateRangeFacet with a 365-day gap (it misfiles leap years).
        year=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        # Day number (date.toordinal()); 0 for an undated article, so it sorts last by newest.
        published=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        # The near-duplicate cluster (IndexDocument.story): results collapse on it.
        story=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        version=VersionColumn(),
        **{pairs_field(name): WordPairs(common_words) for name in TEXT_FIELDS},
        **{sequence_field(name): WordSequence() for name in TEXT_FIELDS},
    )


def to_fields(document: IndexDocument) -> dict:
    return {
        "id": str(document.id),
        "title": document.title,
        "body": document.body,
        "minister": ",".join(document.ministers),
        "topic": ",".join(document.topics),
        "label": ",".join(document.labels),
        "year": document.year or 0,
        "published": document.published.toordinal() if document.published else 0,
        "story": document.story,
        "version": document.version,
        # The same string objects as title/body, so their analysis is shared (``analysed``).
        **{pairs_field(name): getattr(document, name) for name in TEXT_FIELDS},
        **{sequence_field(name): getattr(document, name) for name in TEXT_FIELDS},
    }
