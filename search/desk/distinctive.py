"""What is distinctive about a search: what its matches have far more often than the archive.

The words, two-word phrases, ministers and topics of the best matches (a sample of at most
``SAMPLE``), each scored by Dunning's log-likelihood ratio (G²) of its count in the sample
against its count in the rest of the archive; only terms over-represented in the sample, in at
least ``MIN_MATCHES`` of it (and ``MIN_SHARE`` of it), count. A word in more than
``BACKGROUND_SHARE`` of the articles outside the sample is the archive's background ("said",
"pct", "mln" and "reuter" on a wire archive), never distinctive, and so is a phrase with such
a word; outside the sample, so that a small archive mostly about one thing keeps its terms. The
engine counts the words (``engine.term_counts``); the sample's rows give the tags.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, replace

from search import engine, selectors
from search.conf import get_setting
from search.query import MAX_PER_PAGE, SearchQuery

SAMPLE = 200
MIN_MATCHES = 3
MIN_SHARE = 0.05
BACKGROUND_SHARE = 0.10
SHOWN = {"word": 12, "phrase": 8, "minister": 5, "topic": 5}
KINDS = tuple(SHOWN)


@dataclass(frozen=True)
class DistinctiveTerm:
    term: str  # the word or phrase as written, or the minister's name or topic's label
    kind: str  # "word" | "phrase" | "minister" | "topic"
    score: float  # G², higher is more distinctive
    matches: int  # sampled matches that have it
    narrowed: SearchQuery  # the search with it added


@dataclass(frozen=True)
class Distinctive:
    terms: list[DistinctiveTerm]  # by kind (KINDS), then by score
    sampled: int  # the best matches read
    total: int  # every match

    @property
    def sample_note(self) -> str:
        if self.sampled >= self.total:
            return f"from all {self.total:,} matches"
        return f"from the best {self.sampled:,} of {self.total:,} matches"

    def of_kind(self, kind: str) -> list[DistinctiveTerm]:
        return [term for term in self.terms if term.kind == kind]


def log_likelihood(*, found: int, sampled: int, background: int, archive: int) -> float:
    """G² of a term in ``found`` of ``sampled`` matches and ``background`` of the ``archive``
    articles (the sample among them), against the rest; 0 unless over-represented."""
    rest = archive - sampled
    found_rest = max(background - found, 0)
    if rest <= 0 or found * rest <= found_rest * sampled:
        return 0.0
    cells = [
        (found, sampled, found + found_rest),
        (sampled - found, sampled, archive - found - found_rest),
        (found_rest, rest, found + found_rest),
        (rest - found_rest, rest, archive - found - found_rest),
    ]
    return 2 * sum(
        observed * math.log(observed / (row * column / archive))
        for observed, row, column in cells
        if observed > 0
    )


def distinctive(search_query: SearchQuery, *, sample: int = SAMPLE) -> Distinctive:
    """Raises ``engine.IndexUnavailable`` and ``query.InvalidParameter``."""
    deadline = time.monotonic() + get_setting("SEARCH_TIME_BUDGET")
    best = replace(search_query, sort="", page=1, per_page=min(sample, MAX_PER_PAGE))
    page = selectors.run_search(best)
    rows, total = list(page.rows), page.results.total
    while len(rows) < min(sample, total) and best.page < page.results.pages:
        best = best.with_page(best.page + 1)
        page = selectors.run_search(best)
        rows += page.rows
    articles = [row.article for row in rows[:sample]]
    if not articles:
        return Distinctive(terms=[], sampled=0, total=total)
    min_matches = max(MIN_MATCHES, math.ceil(MIN_SHARE * len(articles)))
    counts = engine.term_counts(
        [article.pk for article in articles],
        q=search_query.q,
        min_matches=min_matches,
        deadline=deadline,
    )
    terms = text_terms(search_query, counts, min_matches)
    terms += tag_terms(search_query, articles, archive=counts.archive, min_matches=min_matches)
    return Distinctive(terms=terms, sampled=len(articles), total=total)


def text_terms(
    search_query: SearchQuery, counts: engine.TermCounts, min_matches: int
) -> list[DistinctiveTerm]:
    rest = counts.archive - counts.sampled
    background = {
        count.key
        for count in counts.words
        if count.background - count.foreground > BACKGROUND_SHARE * rest
    }
    terms = []
    for kind, found in (("word", counts.words), ("phrase", counts.phrases)):
        scored = [
            DistinctiveTerm(
                term=count.term,
                kind=kind,
                score=round(score(count.foreground, count.background, counts), 1),
                matches=count.foreground,
                narrowed=narrowed(search_query, count.term, phrase=kind == "phrase"),
            )
            for count in found
            if count.foreground >= min_matches and not background & set(count.key.split())
        ]
        terms += best_of(kind, scored)
    return terms


def score(found: int, background: int, counts: engine.TermCounts) -> float:
    return log_likelihood(
        found=found, sampled=counts.sampled, background=background, archive=counts.archive
    )


def narrowed(search_query: SearchQuery, term: str, *, phrase: bool) -> SearchQuery:
    added = f'"{term}"' if phrase else term
    return replace(search_query, q=f"{search_query.q.strip()} {added}".strip(), page=1)


def tag_terms(
    search_query: SearchQuery, articles: list, *, archive: int, min_matches: int
) -> list[DistinctiveTerm]:
    everything = engine.search(SearchQuery(every_copy=True, per_page=1))
    terms = []
    for kind, related, label in (("minister", "ministers", "name"), ("topic", "topics", "label")):
        selected = set(search_query.selected(kind))
        names, found = {}, Counter()
        for article in articles:
            for tag in getattr(article, related).all():
                names[tag.slug] = getattr(tag, label)
                found[tag.slug] += 1
        background = {count.value: count.count for count in everything.facets[kind]}
        scored = [
            DistinctiveTerm(
                term=names[slug],
                kind=kind,
                score=round(
                    log_likelihood(
                        found=count,
                        sampled=len(articles),
                        background=background.get(slug, count),
                        archive=archive,
                    ),
                    1,
                ),
                matches=count,
                narrowed=search_query.toggled(kind, slug),
            )
            for slug, count in found.items()
            if count >= min_matches and slug not in selected
        ]
        terms += best_of(kind, scored)
    return terms


def best_of(kind: str, terms: list[DistinctiveTerm]) -> list[DistinctiveTerm]:
    ranked = sorted((t for t in terms if t.score > 0), key=lambda t: (-t.score, t.term))
    return ranked[: SHOWN[kind]]
