"""Answering a search: matching, facet counts, the page of hits, highlights, suggestions.

Filters and facet counts run on numpy arrays kept per snapshot of the index (which documents
carry each minister/topic, each document's year and date; ``cache.py``), so one pass finds the
documents matching the words and everything else is array arithmetic. Whoosh's own
``groupedby`` facets do per-document Python work, far slower on large result sets.
"""

from __future__ import annotations

import datetime
import logging
import time

import numpy as np

from search import query_language
from search.conf import get_setting
from search.engine import respelling
from search.engine.contract import CUT_SHORT_NOTICE
from search.engine.snippets import highlight_text
from search.engine.whoosh.analysis import analyse
from search.engine.whoosh.cache import IndexCache, Snapshot
from search.engine.whoosh.collapsing import count_stories, one_per_story, stories_by_year
from search.engine.whoosh.compiling import Compiled, compile_query
from search.engine.whoosh.histogram import date_histogram
from search.engine.whoosh.matching import Matches, Scoring, best_scored
from search.engine.whoosh.spelling import LONGEST_WORD, known_word
from search.query import (
    FacetCount,
    Hit,
    PageOutOfRange,
    Relaxation,
    SearchQuery,
    SearchResults,
)

logger = logging.getLogger(__name__)
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this
CACHE = IndexCache()
READ_ATTEMPTS = 3  # a read that commits keep replacing the files of is given up after these


def reading(read):
    """``read(snapshot, searcher)`` on the current snapshot.

    A read that failed because a commit or rebuild replaced the files under it (a merged
    segment deleted) is tried again on the new snapshot. A failure is called damage only
    when the snapshot's files are found damaged (``IndexCache.damage``: whatever the error's
    type, the files decide); otherwise it is a bug and propagates (a 500, logged).
    """
    for attempt in range(READ_ATTEMPTS):
        with CACHE.searching() as (snapshot, searcher):
            try:
                return read(snapshot, searcher)
            except PageOutOfRange:
                raise
            except Exception as error:
                if attempt + 1 < READ_ATTEMPTS and CACHE.is_stale(snapshot):
                    continue
                problem = CACHE.damage(snapshot)
                if problem is None:
                    raise
                logger.warning("A search failed on damaged index files", exc_info=error)
                raise problem from error
    raise AssertionError("unreachable")


def compiled_query(q: str, reader) -> tuple[Compiled, query_language.ParsedQuery]:
    parsed = query_language.parse(q)
    compiled = compile_query(
        parsed.tree, reader=reader, max_expansions=get_setting("WILDCARD_MAX_EXPANSIONS")
    )
    if parsed.tree is not None and compiled.query is None:
        compiled.notices.append("The query has no words to search for; showing all articles.")
    return compiled, parsed


def search(search_query: SearchQuery) -> SearchResults:
    return reading(lambda snapshot, searcher: search_snapshot(snapshot, searcher, search_query))


def search_snapshot(snapshot: Snapshot, searcher, search_query: SearchQuery) -> SearchResults:
    started = time.perf_counter()
    compiled, parsed = compiled_query(search_query.q, searcher.reader())
    expansions, ignored_words = tuple(compiled.expansions.values()), tuple(compiled.ignored_words)
    deadline = time.monotonic() + get_setting("SEARCH_TIME_BUDGET")
    scoring = Scoring(searcher, snapshot.lengths, deadline=deadline)
    words = matches(snapshot, scoring, compiled.query)
    filter_mask = filters_mask(snapshot, search_query) & only_ids_mask(
        snapshot, searcher, search_query.only_ids
    )
    years_wanted = np.isin(snapshot.year, search_query.years) if search_query.years else True
    relaxation = None
    every_word_found = int((words.mask & filter_mask & years_wanted).sum())
    if every_word_found < query_language.RELAX_BELOW and not scoring.cut_short:
        most = most_of_the_words(snapshot, scoring, parsed, filter_mask & years_wanted)
        if most is not None and most[2] > every_word_found:
            compiled, words = most[0], most[1]
            relaxation = Relaxation(
                most[3].words, most[3].minimum, every_word_found, most[3].every_word_text
            )
    if scoring.cut_short:
        compiled.notices.append(CUT_SHORT_NOTICE)
    base = words.mask & filter_mask  # everything but the year filter: the years' counts
    matched = base & years_wanted
    collapse = not search_query.every_copy
    shown = matched
    if collapse:
        shown = one_per_story(
            matched,
            story=snapshot.story,
            repeated=snapshot.repeated,
            priority=representative_priority(snapshot, search_query, compiled, words.scores),
        )
    total = int(shown.sum())
    facets = facet_counts(snapshot, search_query, matched, base, collapse=collapse)
    results = SearchResults(
        query=search_query,
        total=total,
        hits=[],
        facets=facets,
        notices=parsed.notices + compiled.notices,
        # With copies collapsed, months count stories (by the copy that stands for each).
        date_histogram=date_histogram(search_query, snapshot.published, shown, facets["year"]),
        copies=int(matched.sum()) if collapse else None,
        relaxed=relaxation,
        expansions=expansions,  # as the query was typed (a relaxed query has no prefix)
        ignored_words=ignored_words,
    )
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    if search_query.per_page:
        results.hits = page_of_hits(snapshot, searcher, search_query, compiled, words.scores, shown)
    else:  # a count: its span instead of hits
        results.stories, results.first_published, results.last_published = span(snapshot, matched)
    few = relaxation is not None or total < SUGGEST_BELOW
    if compiled.query is not None and few and not scoring.cut_short:
        # Compared with what the respelt words match together: articles, every copy counted
        # (a relaxed search: what every word found).
        found = every_word_found
        results.suggestion = suggestion(snapshot, searcher, parsed.text, filter_mask, found)
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def span(
    snapshot: Snapshot, matched: np.ndarray
) -> tuple[int, datetime.date | None, datetime.date | None]:
    """The stories among the matches, and their first and last dates (None: none dated)."""
    docnums = np.flatnonzero(matched)
    stories = count_stories(docnums, story=snapshot.story, repeated=snapshot.repeated)
    days = snapshot.published[docnums]
    days = days[days > 0]
    if not len(days):
        return stories, None, None
    first, last = (datetime.date.fromordinal(int(day)) for day in (days.min(), days.max()))
    return stories, first, last


def matches(snapshot: Snapshot, scoring: Scoring, query) -> Matches:
    """The live documents matching the words (all of them when there are no words)."""
    if query is None:
        return Matches(snapshot.live, np.zeros(len(snapshot.live)))
    found = scoring.evaluate(query)
    return Matches(found.mask & snapshot.live, found.scores)


def most_of_the_words(snapshot, scoring: Scoring, parsed, wanted: np.ndarray):
    """(compiled, matches, how many are wanted, the relaxation) for most of the query's words
    (any of them, when most find only a handful), or None when the query is not one to relax
    (``query_language.relaxed``)."""
    relaxed = query_language.relaxed(parsed, counts=lambda texts: [bool(analyse(t)) for t in texts])
    if relaxed is None:
        return None
    for step in relaxed.steps():  # most of the words, then any of them
        compiled = compile_query(
            step.tree,
            reader=scoring.searcher.reader(),
            max_expansions=1,  # no prefixes in it
        )
        found = matches(snapshot, scoring, compiled.query)
        count = int((found.mask & wanted).sum())
        if count >= query_language.RELAX_BELOW:
            break
    return compiled, found, count, step


def filters_mask(snapshot: Snapshot, search_query: SearchQuery) -> np.ndarray:
    """Ministers, topics and labels: all of the chosen (AND); dates: within the range."""
    mask = snapshot.live.copy()
    for field_name, values in (
        ("minister", search_query.ministers),
        ("topic", search_query.topics),
        ("label", search_query.labels),
    ):
        for value in values:
            with_value = np.zeros_like(mask)
            with_value[snapshot.docs_with[field_name].get(value, np.empty(0, dtype=np.int64))] = (
                True
            )
            mask &= with_value
    if search_query.date_from:
        mask &= snapshot.published >= search_query.date_from.toordinal()
    if search_query.date_to:
        mask &= (snapshot.published <= search_query.date_to.toordinal()) & (snapshot.published > 0)
    return mask


def only_ids_mask(snapshot: Snapshot, searcher, only_ids: frozenset[int] | None) -> np.ndarray:
    """The live documents of these article ids (all of them for None). A reader's stars or
    notes are few: each id is looked up in the id field's postings."""
    if only_ids is None:
        return snapshot.live
    mask = np.zeros_like(snapshot.live)
    for article_id in only_ids:
        for docnum in searcher.document_numbers(id=str(article_id)):
            mask[docnum] = True
    return mask & snapshot.live


def representative_priority(snapshot, search_query, compiled: Compiled, scores) -> np.ndarray:
    """What picks the copy that stands for its story: the one the sort puts first."""
    if search_query.effective_sort == "relevance" and compiled.query is not None:
        return scores
    if search_query.effective_sort == "oldest":
        return np.where(snapshot.published > 0, -snapshot.published, np.iinfo(np.int32).min)
    return snapshot.published


def facet_counts(
    snapshot, search_query, matched, base, *, collapse: bool = False
) -> dict[str, list[FacetCount]]:
    """Each count is the number of results clicking that value gives (stories when copies
    are collapsed, else articles).

    Ministers and topics narrow (AND), so they are counted within the current results; years
    widen (OR), so they are counted with every filter but the year filter.
    """
    facets = {}
    stories = {"story": snapshot.story, "repeated": snapshot.repeated}
    count_copies_apart = collapse and bool((matched & snapshot.repeated).any())

    def count(docnums: np.ndarray) -> int:
        if count_copies_apart:
            return count_stories(docnums[matched[docnums]], **stories)
        return int(matched[docnums].sum())

    for name in ("minister", "topic", "label"):
        selected = set(search_query.selected(name))
        counts = [
            FacetCount(value, count(docnums)) for value, docnums in snapshot.docs_with[name].items()
        ]
        facets[name] = sorted(
            (c for c in counts if c.count or c.value in selected),
            key=lambda c: (-c.count, c.value),
        )
        present = {c.value for c in facets[name]}
        facets[name] += [FacetCount(value, 0) for value in sorted(selected - present)]
    if collapse and (base & snapshot.repeated).any():
        year_counts = stories_by_year(np.flatnonzero(base), year=snapshot.year, **stories)
    elif base.any():
        year_counts = np.bincount(snapshot.year[base], minlength=1)
    else:
        year_counts = np.zeros(1, int)
    years = {year: int(count) for year, count in enumerate(year_counts) if count and year}
    for year in search_query.years:
        years.setdefault(year, 0)
    facets["year"] = [FacetCount(year, years[year]) for year in sorted(years, reverse=True)]
    return facets


def page_of_hits(
    snapshot, searcher, search_query, compiled: Compiled, scores, matched
) -> list[Hit]:
    start = (search_query.page - 1) * search_query.per_page
    end = start + search_query.per_page
    # Whoosh quirks avoided here: ``search_page`` past the last page silently returns the last
    # page (we check the page against the total first and answer PageOutOfRange), and a
    # ``filter`` combined with ``TimeLimitCollector`` can let filtered-out documents through
    # (we rank our own score vector; hidden articles are not in the index at all).
    if search_query.effective_sort == "relevance" and compiled.query is not None:
        ranked = best_scored(scores, matched, end)[start:end]
    else:
        ranked = [(int(d), 0.0) for d in by_date(snapshot, matched, search_query)[start:end]]
    return [make_hit(searcher, docnum, score, compiled.terms) for docnum, score in ranked]


def by_date(snapshot: Snapshot, matched: np.ndarray, search_query: SearchQuery) -> np.ndarray:
    """The page's docnums, newest (or oldest) first; undated articles last; ties by docnum.

    Only the first ``page * per_page`` are put in order (argpartition, then a sort of those):
    a full sort would order every article of the archive to show ten when browsing.
    """
    docnums = np.flatnonzero(matched)
    days = snapshot.published[docnums]
    if search_query.effective_sort == "oldest":
        days = np.where(days > 0, days, np.iinfo(np.int32).max)
    else:
        days = -days
    # One sort key: the day, then the higher docnum first (docnums < 2**32).
    keys = (days << 32) + (np.int64(2**32 - 1) - docnums)
    wanted = search_query.page * search_query.per_page
    if wanted < len(keys):
        nearest = np.argpartition(keys, wanted - 1)[:wanted]
        return docnums[nearest[np.argsort(keys[nearest], kind="stable")]]
    return docnums[np.argsort(keys, kind="stable")]


def make_hit(searcher, docnum: int, score: float, terms: set[str]) -> Hit:
    stored = searcher.stored_fields(docnum)
    return Hit(
        id=int(stored["id"]),
        score=float(score),
        title_highlighted=highlight_text(stored["title"], terms, whole=True),
        snippet=highlight_text(stored["body"], terms, whole=False),
    )


def highlight(texts: list[str], q: str) -> list[str]:
    """Each text escaped, with the words ``q`` looks for (outside NOT) in <mark>."""
    terms = set()
    if q.strip():
        terms = reading(lambda _snapshot, searcher: compiled_query(q, searcher.reader())[0].terms)
    return [highlight_text(text, terms, whole=True) for text in texts]


def suggestion(snapshot, searcher, text: str, filter_mask, total: int) -> str | None:
    """A respelt query, offered only when it would find more than the one typed.

    Whoosh's ``correct_query`` compares the query's *stemmed* terms with the unstemmed spelling
    words and ends up correcting nothing on a stemmed field, so we respell word by word.
    """
    reader = searcher.reader()

    def better_spelling(word: str) -> str | None:
        if known_word(reader, word):
            return None
        return snapshot.spelling(reader).suggest(word.lower(), reader)

    def count(corrected_text: str) -> int:
        corrected = compile_query(
            query_language.parse(corrected_text).tree, reader=reader, max_expansions=1
        )
        found = matches(snapshot, Scoring(searcher, snapshot.lengths), corrected.query)
        return int((found.mask & filter_mask).sum())

    return respelling.suggestion(
        text, better_spelling=better_spelling, count=count, total=total, longest=LONGEST_WORD
    )


def more_like_this(article_id: int, *, limit: int) -> list[int]:
    def similar(_snapshot, searcher) -> list[int]:
        docnum = searcher.document_number(id=str(article_id))
        if docnum is None:
            return []
        hits = searcher.more_like(docnum, "body", top=limit, numterms=12)
        return [int(hit["id"]) for hit in hits]

    return reading(similar)


def indexed_versions() -> dict[int, str]:
    """Article id -> version of every document in the live index (for check_index)."""

    def versions(_snapshot, searcher) -> dict[int, str]:
        found = {}
        for segment, _offset in searcher.reader().leaf_readers():
            ids, digests = segment.column_reader("id"), segment.column_reader("version")
            for docnum in segment.all_doc_ids():
                found[int(ids[docnum])] = digests[docnum]
        return found

    return reading(versions)
