"""Spelling suggestions ("did you mean") from the index's own unstemmed words."""

from __future__ import annotations

import threading

import numpy as np

from search.engine.respelling import edit_distances
from search.engine.whoosh.analysis import stems
from search.engine.whoosh.schema import TEXT_FIELDS

# Longer runs of letters are no words: left as typed (which words are respelt otherwise is
# every engine's rule, search.engine.respelling).
LONGEST_WORD = 30
SPELLING_MAX_DISTANCE = 2


Buckets = dict[tuple[str, int], tuple[list[str], np.ndarray]]


class SpellingWords:
    """Unstemmed words by (first letter, length), for "did you mean".

    Whoosh quirk: ``Corrector.suggest`` ends in ``reader.terms_within``, which on a reader
    without a word graph (ours: several segments) computes a Python Damerau-Levenshtein
    distance against *every* spelling word, a cost per misspelt word that grows with the
    vocabulary. It also ranks by how often the *unstemmed* word occurs in the stemmed
    field (nearly always 0, so ties go to the alphabetically last word). Here: candidates share
    the first letter (as Whoosh's ``prefix=1``) and are within two letters of the length, their
    distances are computed for a whole bucket at once with numpy; the nearest win, then the
    most frequent (by their stem's document frequency).
    """

    def __init__(self, buckets: Buckets):
        self.buckets = buckets  # key -> (words, their code points as one row each)

    @classmethod
    def of_segment(cls, segment_reader) -> SpellingWords:
        words: set[str] = set()
        for name in TEXT_FIELDS:
            field_name = segment_reader.schema[name].spelling_fieldname(name)
            if field_name in segment_reader.schema:
                words.update(term.decode("utf-8") for term in segment_reader.lexicon(field_name))
        grouped: dict[tuple[str, int], list[str]] = {}
        for word in words:
            grouped.setdefault((word[:1], len(word)), []).append(word)
        return cls(
            {
                key: (bucket, np.array([[ord(c) for c in word] for word in bucket], np.int32))
                for key, bucket in grouped.items()
            }
        )

    @classmethod
    def joined(cls, parts: list[SpellingWords]) -> SpellingWords:
        """One bucket a key across segments: one numpy pass a bucket, however many segments."""
        joined: Buckets = {}
        for key in set().union(*(part.buckets for part in parts)):
            pieces = [part.buckets[key] for part in parts if key in part.buckets]
            words = [word for piece_words, _codes in pieces for word in piece_words]
            joined[key] = (words, np.concatenate([codes for _words, codes in pieces]))
        return cls(joined)

    def suggest(self, word: str, reader) -> str | None:
        limit = SPELLING_MAX_DISTANCE
        found: set[tuple[int, str]] = set()  # a set: a word may be in several segments
        for length in range(max(1, len(word) - limit), len(word) + limit + 1):
            bucket = self.buckets.get((word[:1], length))
            if bucket is None:
                continue
            words, codes = bucket
            distances = edit_distances(word, codes)
            found.update(
                (int(distances[i]), words[i])
                for i in np.flatnonzero(distances <= limit)
                if words[i] != word
            )
        if not found:
            return None
        nearest = min(distance for distance, _ in found)
        candidates = sorted(candidate for distance, candidate in found if distance == nearest)
        return max(candidates, key=lambda candidate: document_frequency(reader, candidate))


class SegmentSpellings:
    """Each segment's words, read on the first misspelt query that needs them and kept while
    the segment lives: after a save only the new small segment is read, not the whole
    vocabulary again, which grows with the archive. Shared by a process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_segment: dict[str, SpellingWords] = {}

    def words_for(self, reader) -> SpellingWords:
        with self._lock:
            segments = {
                leaf.segment().segid: leaf
                for leaf, _offset in reader.leaf_readers()
                if leaf.segment() is not None  # an empty index: no segment, no words
            }
            for segment_id, leaf in segments.items():
                if segment_id not in self._by_segment:
                    self._by_segment[segment_id] = SpellingWords.of_segment(leaf)
            for segment_id in set(self._by_segment) - set(segments):
                del self._by_segment[segment_id]  # merged away, or of another generation
            return SpellingWords.joined([self._by_segment[segment_id] for segment_id in segments])


def document_frequency(reader, word: str) -> int:
    terms = stems(word)
    return sum(reader.doc_frequency(name, term) for term in terms for name in TEXT_FIELDS)


def known_word(reader, word: str) -> bool:
    terms = stems(word)
    return not terms or any(
        reader.doc_frequency(name, term) for term in terms for name in TEXT_FIELDS
    )
