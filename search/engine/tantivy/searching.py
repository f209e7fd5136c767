"""Answering a search on the tantivy index: matching and ranking (tantivy's BM25), filters,
facet counts and the date histogram (aggregations over fast fields), the page of hits.

Relaxation, did-you-mean and more-like-this as on the other engines; copies of a story
collapsed to one hit, and counted as one, in ``collapsing``. The time budget: tantivy's
matching runs in compiled code that cannot be stopped midway, so a search whose matching took
the budget answers with the page of its matches and their number, and says so, without the
counts, relaxation and respelling that would come next.
"""

from __future__ import annotations

import datetime
import logging
import time

import tantivy
from tantivy import Occur, Order, Query

from search import query_language
from search.conf import get_setting
from search.engine import respelling
from search.engine.analysis import analyse, stems
from search.engine.contract import CUT_SHORT_NOTICE
from search.engine.errors import IndexUnavailable
from search.engine.snippets import highlight_text
from search.engine.tantivy import browsing, collapsing, storage, story_table
from search.engine.tantivy.compiling import Compiled, compile_query
from search.engine.tantivy.counting import FACETS, Counted, Counts
from search.engine.tantivy.schema import NO_DAY
from search.engine.tantivy.similar import like_query
from search.engine.tantivy.spelling import LONGEST_WORD, better_spelling
from search.query import (
    Hit,
    PageOutOfRange,
    Relaxation,
    SearchQuery,
    SearchResults,
)

logger = logging.getLogger(__name__)
MORE_LIKE_THIS_WORDS = 12
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this
EPOCH = datetime.date(1970, 1, 1)


def current_searcher() -> tuple[tantivy.Index, tantivy.Searcher]:
    """The live index's searcher, reloaded: what the last commit left."""
    index = storage.open_live_index()
    try:
        index.reload()
        return index, index.searcher()
    except (ValueError, OSError) as error:
        logger.error("tantivy index cannot be read: %s", error)
        raise IndexUnavailable(storage.UNREADABLE) from None


def compiled_query(
    q: str, index: tantivy.Index, searcher: tantivy.Searcher
) -> tuple[Compiled, query_language.ParsedQuery]:
    parsed = query_language.parse(q)
    compiled = compile_query(
        parsed.tree,
        schema=index.schema,
        searcher=searcher,
        max_expansions=get_setting("WILDCARD_MAX_EXPANSIONS"),
    )
    if parsed.tree is not None and compiled.query is None:
        compiled.notices.append("The query has no words to search for; showing all articles.")
    return compiled, parsed


def all_of(queries: list[Query]) -> Query:
    if not queries:
        return Query.all_query()
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, query) for query in queries])


def filters(schema, search_query: SearchQuery, *, years: bool) -> list[Query]:
    """Ministers, topics and labels: all of the chosen (AND); dates: within the range; the
    years (any of them) unless ``years`` is False (the year facet counts without them)."""
    found = []
    for name, field_name in FACETS.items():
        for value in search_query.selected(name):
            found.append(Query.term_query(schema, field_name, value))
    if search_query.date_from or search_query.date_to:
        lower = search_query.date_from.toordinal() if search_query.date_from else NO_DAY + 1
        upper = search_query.date_to.toordinal() if search_query.date_to else None
        found.append(Query.range_query(schema, "day", tantivy.FieldType.Integer, lower, upper))
    if years and search_query.years:
        found.append(Query.term_set_query(schema, "year", list(search_query.years)))
    if search_query.only_ids is not None:
        found.append(Query.term_set_query(schema, "id", sorted(search_query.only_ids)))
    return found


@storage.reporting_damage
def search(search_query: SearchQuery) -> SearchResults:
    started = time.perf_counter()
    deadline = time.monotonic() + get_setting("SEARCH_TIME_BUDGET")
    commit = browsing.current_commit()
    index, searcher = current_searcher()
    if browsing.current_commit() != commit:  # a commit landed meanwhile: keep nothing
        commit = None
    compiled, parsed = compiled_query(search_query.q, index, searcher)
    expansions, ignored_words = tuple(compiled.expansions.values()), tuple(compiled.ignored_words)
    matched = with_filters(compiled, index.schema, search_query, years=True)
    key = browsing.browsing_key(search_query, has_words=compiled.query is not None)
    counted = browsing.KEPT_COUNTS.get(commit, key)
    relaxation = None
    if counted is None:
        counts = counts_of(index, searcher, search_query, compiled, matched, commit)
        if time.monotonic() >= deadline:
            results = cut_short(searcher, search_query, compiled, parsed, matched, counts.matches)
            return finished(results, expansions, ignored_words, started)
        if counts.matches < query_language.RELAX_BELOW:
            relaxed = most_of_the_words(index, searcher, parsed, search_query)
            if relaxed is not None and relaxed[1] > counts.matches:
                compiled, step = relaxed[0], relaxed[2]
                relaxation = Relaxation(
                    step.words, step.minimum, counts.matches, step.every_word_text
                )
                matched = with_filters(compiled, index.schema, search_query, years=True)
                counts = counts_of(index, searcher, search_query, compiled, matched, commit)
        counted = counts.counted()
        browsing.KEPT_COUNTS.put(commit, key, counted)
    results = answer(index, searcher, search_query, compiled, parsed, matched, counted, relaxation)
    return finished(results, expansions, ignored_words, started)


def finished(results: SearchResults, expansions, ignored_words, started: float) -> SearchResults:
    # As the query was typed (a relaxed query has no prefix).
    results.expansions, results.ignored_words = expansions, ignored_words
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def counts_of(
    index, searcher, search_query: SearchQuery, compiled: Compiled, matched, commit
) -> Counts:
    schema = index.schema
    table = None
    if not search_query.every_copy or not search_query.per_page:  # stories are counted
        table = story_table.TABLES.table(commit, lambda: story_table.read_table(searcher, schema))
    in_stories = None
    if compiled.phrases:  # its matches in a story, found without matching its phrases first
        narrowed = compile_query(
            compiled.tree,
            schema=schema,
            searcher=searcher,
            max_expansions=compiled.max_expansions,
            phrases_within=collapsing.in_a_story(schema),
        )
        in_stories = (
            with_filters(narrowed, schema, search_query, years=True),
            with_filters(narrowed, schema, search_query, years=False),
        )
    return Counts(
        searcher,
        schema,
        search_query,
        matched,
        with_filters(compiled, schema, search_query, years=False),
        collapse=not search_query.every_copy,
        in_stories=in_stories,
        table=table,
    )


def answer(
    index, searcher, search_query, compiled, parsed, matched, counted: Counted, relaxation
) -> SearchResults:
    collapse = not search_query.every_copy
    results = SearchResults(
        query=search_query,
        total=counted.stories if collapse else counted.matches,
        hits=[],
        facets={name: list(values) for name, values in counted.facets.items()},
        notices=parsed.notices + compiled.notices,
        date_histogram=counted.date_histogram,
        copies=counted.matches if collapse else None,
        relaxed=relaxation,
    )
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    if search_query.per_page:
        repeated = counted.repeated if collapse else {}
        results.hits = page_of_hits(searcher, search_query, compiled, matched, repeated)
    else:  # a count: its span instead of hits
        results.stories = counted.stories
        results.first_published, results.last_published = counted.first_and_last
    if compiled.query is not None and (relaxation is not None or results.total < SUGGEST_BELOW):
        # Compared with what the respelt words match together, every copy counted (a relaxed
        # search: what every word found).
        found = relaxation.every_word_total if relaxation else counted.matches
        results.suggestion = suggestion(index, searcher, parsed.text, search_query, found)
    return results


def cut_short(searcher, search_query, compiled, parsed, matched, total) -> SearchResults:
    """What a search whose matching took its time budget has: its matches, every copy counted,
    and the page of them; not the counts."""
    facets = {"minister": [], "topic": [], "year": [], "label": []}
    notices = parsed.notices + compiled.notices + [CUT_SHORT_NOTICE]
    results = SearchResults(search_query, total, [], facets, notices=notices)
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    if search_query.per_page:
        results.hits = page_of_hits(searcher, search_query, compiled, matched, {})
    return results


def with_filters(compiled: Compiled, schema, search_query: SearchQuery, *, years: bool) -> Query:
    words = [compiled.query] if compiled.query is not None else []
    return all_of(words + filters(schema, search_query, years=years))


def count(searcher, query) -> int:
    return searcher.search(query, limit=1, count=True).count


def most_of_the_words(index, searcher, parsed, search_query: SearchQuery):
    """(compiled, how many it finds, the relaxation step) for most of the query's words (any
    of them, when most find only a handful), or None when the query is not one to relax
    (``query_language.relaxed``)."""
    relaxed = query_language.relaxed(parsed, counts=lambda texts: [bool(analyse(t)) for t in texts])
    if relaxed is None:
        return None
    for step in relaxed.steps():  # most of the words, then any of them
        compiled = compile_query(
            step.tree, schema=index.schema, searcher=searcher, max_expansions=1
        )
        found = count(searcher, with_filters(compiled, index.schema, search_query, years=True))
        if found >= query_language.RELAX_BELOW:
            break
    return compiled, found, step


def suggestion(index, searcher, text: str, search_query: SearchQuery, total: int) -> str | None:
    """A respelt query, offered only when it would find more than the one typed."""

    def count_respelt(corrected_text: str) -> int:
        corrected = compile_query(
            query_language.parse(corrected_text).tree,
            schema=index.schema,
            searcher=searcher,
            max_expansions=1,
        )
        return count(searcher, with_filters(corrected, index.schema, search_query, years=True))

    return respelling.suggestion(
        text,
        better_spelling=lambda word: better_spelling(searcher, word),
        count=count_respelt,
        total=total,
        longest=LONGEST_WORD,
    )


def page_of_hits(
    searcher, search_query: SearchQuery, compiled: Compiled, query, repeated: dict[int, int]
) -> list[Hit]:
    """The page's hits, in the search's order; one a story of the ``repeated`` ones."""
    ordering = {}
    if search_query.effective_sort == "oldest":
        ordering = {"order_by_field": "oldest", "order": Order.Asc}
    elif search_query.effective_sort != "relevance" or compiled.query is None:
        ordering = {"order_by_field": "day", "order": Order.Desc}
    start = (search_query.page - 1) * search_query.per_page
    ranked = collapsing.one_per_story(
        searcher,
        query,
        ordering=ordering,
        start=start,
        end=start + search_query.per_page,
        repeated=repeated,
    )
    hits = []
    for key, address in ranked:
        stored = searcher.doc(address)
        score = 0.0 if ordering else float(key)
        hits.append(
            Hit(
                id=stored.get_first("id"),
                score=score,
                title_highlighted=highlight_text(
                    stored.get_first("title_text") or "", compiled.terms, whole=True
                ),
                snippet=highlight_text(
                    stored.get_first("body_text") or "", compiled.terms, whole=False
                ),
            )
        )
    return hits


@storage.reporting_damage
def highlight(texts: list[str], q: str) -> list[str]:
    """Each text escaped, with the words ``q`` looks for (outside NOT) in <mark>."""
    terms: set[str] = set()
    if q.strip():
        index, searcher = current_searcher()
        terms = compiled_query(q, index, searcher)[0].terms
    return [highlight_text(text, terms, whole=True) for text in texts]


def indexed_versions() -> dict[int, str]:
    """Article id -> version of every document in the live index (for check_index)."""
    storage.LIVE.verify_every_file()
    _index, searcher = current_searcher()
    if not searcher.num_docs:
        return {}
    found = searcher.search(Query.all_query(), limit=searcher.num_docs, count=False)
    versions = {}
    for _score, address in found.hits:
        stored = searcher.doc(address)
        versions[stored.get_first("id")] = stored.get_first("version")
    return versions


@storage.reporting_damage
def more_like_this(article_id: int, *, limit: int) -> list[int]:
    """Articles like this one: any of the body's twelve best words (the app's stems, as
    indexed), the article itself left out."""
    index, searcher = current_searcher()
    schema = index.schema
    this = Query.term_query(schema, "id", article_id)
    found = searcher.search(this, limit=1, count=False).hits
    if not found:
        return []
    body = searcher.doc(found[0][1]).get_first("body_text") or ""
    like = like_query(schema, searcher, stems(body), words=MORE_LIKE_THIS_WORDS)
    query = Query.boolean_query([(Occur.Must, like), (Occur.MustNot, this)])
    hits = searcher.search(query, limit=limit, count=False).hits
    return [searcher.doc(address).get_first("id") for _score, address in hits]
