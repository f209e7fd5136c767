"""What every engine's ``term_counts`` shares: which of the sample's terms get an archive count."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from search.engine.analysis import analyse, fold
from search.engine.contract import TermCount, TermCounts

# Terms whose archive count is looked up, commonest in the sample first: the rest are too rare
# in it to score well, and each lookup reads the term's postings.
WORDS_AT_MOST = 150
PHRASES_AT_MOST = 60


def with_archive_counts(
    terms: dict[str, Counter],
    *,
    min_matches: int,
    at_most: int,
    archive_count: Callable[[str], int],
    deadline: float,
) -> list[TermCount]:
    """``terms``: key -> a Counter of its written forms, one count per sampled article."""
    frequent = sorted(
        ((key, forms) for key, forms in terms.items() if forms.total() >= min_matches),
        key=lambda item: (-item[1].total(), item[0]),
    )[:at_most]
    counted = []
    for key, forms in frequent:
        if time.monotonic() > deadline:
            break
        written = forms.most_common(1)[0][0]
        counted.append(TermCount(written, key, forms.total(), archive_count(key)))
    return counted


def term_counts_of_sample(
    *,
    sampled: int,
    archive: int,
    words: dict[str, Counter],
    phrases: dict[str, Counter],
    word_count: Callable[[str], int],
    phrase_count: Callable[[str], int],
    min_matches: int,
    deadline: float,
) -> TermCounts:
    """The sample's words and phrases, each with its archive count (until ``deadline``)."""
    return TermCounts(
        sampled=sampled,
        archive=archive,
        words=with_archive_counts(
            words,
            min_matches=min_matches,
            at_most=WORDS_AT_MOST,
            archive_count=word_count,
            deadline=deadline,
        ),
        phrases=with_archive_counts(
            phrases,
            min_matches=min_matches,
            at_most=PHRASES_AT_MOST,
            archive_count=phrase_count,
            deadline=deadline,
        ),
    )


def foreground(
    texts: list[tuple[str, str]], *, searched: set[str]
) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Stem (and stem pair) -> a Counter of its written forms, one count per article."""
    words: dict[str, Counter] = {}
    phrases: dict[str, Counter] = {}
    for title, body in texts:
        seen_words: dict[str, str] = {}
        seen_phrases: dict[str, str] = {}
        for text in (title, body):
            previous = None
            for stem, position, start, end in analyse(text):
                written = fold(text[start:end])
                if stem in searched or not written.isalpha():
                    previous = None
                    continue
                seen_words.setdefault(stem, written)
                if previous is not None and previous[1] == position - 1:
                    seen_phrases.setdefault(f"{previous[0]} {stem}", f"{previous[2]} {written}")
                previous = (stem, position, written)
        for stem, written in seen_words.items():
            words.setdefault(stem, Counter())[written] += 1
        for key, written in seen_phrases.items():
            phrases.setdefault(key, Counter())[written] += 1
    return words, phrases
