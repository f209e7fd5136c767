"""A prefix (``word*``) as the indexed words it starts, with the same bounds on every embedded
engine (the PostgreSQL engine expands against its vocabulary table instead).

A prefix finds the words of a field starting with it or with its stem ("security*" finds
"secur"), read from the index's term dictionary: at most ``MAX_PREFIX_CANDIDATES`` for each
start, so its cost does not grow with the vocabulary. It searches at most ``max_expansions`` of
them, the most frequent, and all the prefixes of one query together at most
``MAX_EXPANDED_WORDS``; the reader is told what each prefix searched and what was left out.
An engine says only how to read a start's candidates from its term dictionary.
"""

from __future__ import annotations

from collections.abc import Callable

from search.engine.analysis import cached_stem, fold
from search.query import PrefixExpansion

MAX_PREFIX_CANDIDATES = 2000  # indexed words read for one start of one prefix
MAX_EXPANDED_WORDS = 200  # words all the prefixes of one query expand to, together

# (field, start) -> the field's indexed words starting with ``start`` (at most
# MAX_PREFIX_CANDIDATES of them), each with the number of documents that hold it.
ReadCandidates = Callable[[str, str], dict[str, int]]


class PrefixExpander:
    """The prefixes of one query: the words each searches, and what the reader is told."""

    def __init__(self, read_candidates: ReadCandidates, *, max_expansions: int) -> None:
        self.read_candidates = read_candidates
        self.max_expansions = max_expansions
        self.expanded = 0  # words all the prefixes so far expanded to
        self.expansions: dict[str, PrefixExpansion] = {}  # by prefix as typed
        self.notices: list[str] = []

    def words(self, fieldname: str, typed: str) -> list[str]:
        """The indexed words ``typed*`` searches in the field (in term order; the most frequent
        first when cut); its expansion, the title's and the body's words together, is kept."""
        words, cut = self.bounded(fieldname, fold(typed))
        before = self.expansions.get(typed, PrefixExpansion(typed, (), False))
        merged = tuple(dict.fromkeys([*before.words, *words]))
        self.expansions[typed] = PrefixExpansion(typed, merged, before.cut or cut)
        return words

    def bounded(self, fieldname: str, prefix: str) -> tuple[list[str], bool]:
        """The prefix's words within its bounds, and whether there were more."""
        if self.expanded >= MAX_EXPANDED_WORDS:
            # Reading more candidates would cost as much as the first prefixes did, to add one
            # word each: the prefix is left out, and the reader told.
            self.notice(
                f"“{prefix}*” was left out: the query's other prefixes already match "
                f"{MAX_EXPANDED_WORDS} words."
            )
            return [], True
        frequencies: dict[str, int] = {}
        for start in {prefix, cached_stem(prefix)}:
            frequencies.update(self.read_candidates(fieldname, start))
        words = sorted(frequencies)
        allowed = min(self.max_expansions, MAX_EXPANDED_WORDS - self.expanded)
        cut = len(words) > allowed
        if cut:
            words.sort(key=lambda word: frequencies[word], reverse=True)
            words = words[:allowed]
            self.notice(f"“{prefix}*” matches many words; searched the {allowed} most common.")
        self.expanded += len(words)
        return words, cut

    def notice(self, message: str) -> None:
        if message not in self.notices:
            self.notices.append(message)
