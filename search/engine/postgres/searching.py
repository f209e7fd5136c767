"""Answering a search on PostgreSQL: at most three queries.

1. the total and every facet count in one statement (the matches are found once, in a CTE);
2. the requested page: ranked (or by date), with ``ts_headline`` on those rows only (it
   re-parses each text, so running it on every match would cost a parse per match);
3. only when the query finds fewer than ``SUGGEST_BELOW``: "did you mean" (``spelling``).

Ranking: ``ts_rank`` must read every candidate's tsvector. When more than
``RANK_CANDIDATES`` articles match, only the newest ``RANK_CANDIDATES`` of them are ranked
(found through the published-date index without reading any tsvector): a word that matches
most of the archive then costs a bounded amount, and for a news archive recent matches are the
ones a reader wants first among equally good ones. Sorting by date is exact at any size.
"""

from __future__ import annotations

import html
import time

from django.db import OperationalError, transaction

from search import query_language
from search.conf import get_setting
from search.engine.contract import CUT_SHORT_NOTICE
from search.engine.postgres import markup
from search.engine.postgres.compiling import CONFIG, Compiled, compile_query
from search.engine.postgres.connection import reading
from search.engine.postgres.spelling import suggestion
from search.query import FacetCount, Hit, PageOutOfRange, SearchQuery, SearchResults

SUGGEST_BELOW = 3
RANK_CANDIDATES = 1000
NEWEST_FIRST = "published DESC NULLS LAST, article_id DESC"
# What results collapse on: the near-duplicate cluster, or the article itself when alone.
STORY = "COALESCE(cluster, article_id)"
OLDEST_FIRST = "published ASC NULLS LAST, article_id DESC"


def compiled_query(cursor, q: str) -> tuple[Compiled, query_language.ParsedQuery]:
    parsed = query_language.parse(q)
    compiled = compile_query(
        cursor, parsed.tree, max_expansions=get_setting("WILDCARD_MAX_EXPANSIONS")
    )
    if parsed.tree is not None and compiled.tsquery is None:
        compiled.notices.append("The query has no words to search for; showing all articles.")
    return compiled, parsed


def conditions(search_query: SearchQuery, tsquery: str | None) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) for the words and every filter but the years."""
    where, params = ["TRUE"], []
    if tsquery:
        where.append("document @@ %s::tsquery")
        params.append(tsquery)
    if search_query.ministers:
        where.append("ministers @> %s::text[]")
        params.append(list(search_query.ministers))
    if search_query.topics:
        where.append("topics @> %s::text[]")
        params.append(list(search_query.topics))
    if search_query.date_from:
        where.append("published >= %s")
        params.append(search_query.date_from)
    if search_query.date_to:
        where.append("published <= %s")
        params.append(search_query.date_to)
    return where, params


def year_condition(search_query: SearchQuery) -> tuple[str, list]:
    if not search_query.years:
        return "TRUE", []
    return "year = ANY(%s)", [list(search_query.years)]


def search(search_query: SearchQuery) -> SearchResults:
    with reading() as cursor, transaction.atomic(using=cursor.db.alias):
        return search_with(cursor, search_query)


def search_with(cursor, search_query: SearchQuery) -> SearchResults:
    started = time.perf_counter()
    compiled, parsed = compiled_query(cursor, search_query.q)
    if compiled.tsquery:
        # The planner does not count reading (detoasting) each row's tsvector to test ``@@``:
        # for a word in most of the archive it picks a sequential scan that reads all of them,
        # where the GIN index answers without (10,000 articles, "people" in 62%: the counts
        # took 102 ms that way, 26 ms through the index). Without words, a scan is right.
        cursor.execute("SET LOCAL enable_seqscan = off")
    where, params = conditions(search_query, compiled.tsquery)
    try:
        total, facets = counted_within_budget(cursor, search_query, where, params)
    except OperationalError:  # the statement was cancelled at the time budget
        results = SearchResults(search_query, 0, [], {"minister": [], "topic": [], "year": []})
        results.notices = parsed.notices + compiled.notices + [CUT_SHORT_NOTICE]
        return results
    copies = facets.pop("copies", None)
    results = SearchResults(
        query=search_query,
        total=total,
        hits=[],
        facets=facets,
        notices=parsed.notices + compiled.notices,
        copies=copies,
    )
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    results.hits = page_of_hits(cursor, search_query, compiled, where, params, total)
    if compiled.tsquery is not None and total < SUGGEST_BELOW:
        results.suggestion = suggestion(
            cursor,
            parsed.text,
            lambda text: count_matches(cursor, search_query, text),
            total if copies is None else copies,  # count_matches counts every copy
        )
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def counted_within_budget(cursor, search_query, where, params):
    """Total and facet counts, cancelled by the server past SEARCH_TIME_BUDGET (the matching
    is where a hostile query's cost lies; the page of hits that follows is bounded)."""
    budget_ms = int(get_setting("SEARCH_TIME_BUDGET") * 1000)
    if budget_ms <= 0:
        raise OperationalError("no time budget for this search")
    with transaction.atomic(using=cursor.db.alias):  # a savepoint: a cancel leaves the rest
        cursor.execute(f"SET LOCAL statement_timeout = {budget_ms}")
        counted = count_facets(cursor, search_query, where, params)
    cursor.execute("SET LOCAL statement_timeout = 0")
    return counted


def count_facets(cursor, search_query, where, params) -> tuple[int, dict[str, list[FacetCount]]]:
    """The total and the facet counts: each count is the number of results clicking gives.

    Ministers and topics narrow (AND): counted within the results. Years widen (OR): counted
    with every filter but the year filter (``base``). With copies collapsed every count is of
    stories (distinct clusters), and ``facets["copies"]`` says how many copies they have.
    """
    year_sql, year_params = year_condition(search_query)
    counted = "count(*)" if search_query.every_copy else "count(DISTINCT story)"
    cursor.execute(
        f"""
        WITH base AS MATERIALIZED (
            SELECT year, ministers, topics, {STORY} AS story
            FROM search_engine_entry WHERE {" AND ".join(where)}
        ), matched AS MATERIALIZED (SELECT * FROM base WHERE {year_sql})
        SELECT 'total', NULL, {counted} FROM matched
        UNION ALL SELECT 'copies', NULL, count(*) FROM matched
        UNION ALL SELECT 'minister', m, {counted} FROM matched, unnest(ministers) m GROUP BY m
        UNION ALL SELECT 'topic', t, {counted} FROM matched, unnest(topics) t GROUP BY t
        UNION ALL SELECT 'year', year::text, {counted} FROM base
            WHERE year IS NOT NULL GROUP BY year
        """,
        [*params, *year_params],
    )
    counts: dict[str, dict] = {"minister": {}, "topic": {}, "year": {}}
    total, copies = 0, 0
    for kind, value, count in cursor.fetchall():
        if kind == "total":
            total = count
        elif kind == "copies":
            copies = count
        else:
            counts[kind][int(value) if kind == "year" else value] = count
    facets = {}
    for name in ("minister", "topic", "year"):
        found = counts[name]
        for value in search_query.selected(name):
            found.setdefault(value, 0)  # a selected value is always shown
        if name == "year":
            facets[name] = [FacetCount(year, found[year]) for year in sorted(found, reverse=True)]
        else:
            facets[name] = [
                FacetCount(value, count)
                for value, count in sorted(found.items(), key=lambda item: (-item[1], item[0]))
            ]
    if not search_query.every_copy:
        facets["copies"] = copies
    return total, facets


def count_matches(cursor, search_query: SearchQuery, text: str) -> int:
    compiled = compile_query(cursor, query_language.parse(text).tree, max_expansions=1)
    where, params = conditions(search_query, compiled.tsquery)
    year_sql, year_params = year_condition(search_query)
    cursor.execute(
        f"SELECT count(*) FROM search_engine_entry WHERE {' AND '.join(where)} AND {year_sql}",
        [*params, *year_params],
    )
    return cursor.fetchone()[0]


def page_of_hits(cursor, search_query, compiled: Compiled, where, params, total) -> list[Hit]:
    year_sql, year_params = year_condition(search_query)
    filters, filter_params = f"{' AND '.join(where)} AND {year_sql}", [*params, *year_params]
    offset = (search_query.page - 1) * search_query.per_page
    collapse = not search_query.every_copy
    if search_query.effective_sort == "relevance" and compiled.tsquery:
        capped = total > RANK_CANDIDATES or collapse  # ``total`` counts stories then
        ranked = f"""
            SELECT article_id, ts_rank(document, %s::tsquery) AS score, published,
                {STORY} AS story
            FROM (
                SELECT article_id, document, published, cluster FROM search_engine_entry
                WHERE {filters} {f"ORDER BY {NEWEST_FIRST} LIMIT %s" if capped else ""}
            ) candidates
        """
        if collapse:  # the best scoring copy of each story stands for it
            ranked = f"""SELECT DISTINCT ON (story) * FROM ({ranked}) scored
                ORDER BY story, score DESC, {NEWEST_FIRST}"""
        cursor.execute(
            f"""SELECT article_id, score FROM ({ranked}) hits
                ORDER BY score DESC, {NEWEST_FIRST} LIMIT %s OFFSET %s""",
            [
                compiled.tsquery,
                *filter_params,
                *([RANK_CANDIDATES] if capped else []),
                search_query.per_page,
                offset,
            ],
        )
    else:
        oldest = search_query.effective_sort == "oldest"
        order = OLDEST_FIRST if oldest else NEWEST_FIRST
        first_copy, first_params = "TRUE", []
        if collapse:
            first_copy, first_params = first_copy_condition(filters, oldest=oldest)
            first_params = [*first_params, *filter_params]
        cursor.execute(
            f"""SELECT article_id, 0.0 FROM search_engine_entry e
                WHERE {filters} AND {first_copy} ORDER BY {order} LIMIT %s OFFSET %s""",
            [*filter_params, *first_params, search_query.per_page, offset],
        )
    scores = {article_id: float(score) for article_id, score in cursor.fetchall()}
    marked = highlighted(cursor, list(scores), compiled.highlight)
    return [Hit(article_id, score, *marked[article_id]) for article_id, score in scores.items()]


def first_copy_condition(filters: str, *, oldest: bool) -> tuple[str, list]:
    """Rows that come first in the sort among their story's matching copies: a row alone
    passes at once; a copy, when no other matching copy sorts before it (the subquery's
    unqualified names are the other copy's, ``e.`` the row's)."""
    if oldest:
        before = "(COALESCE(o.published, 'infinity'), -o.article_id) < "
        before += "(COALESCE(e.published, 'infinity'), -e.article_id)"
    else:
        before = "(COALESCE(o.published, '-infinity'), o.article_id) > "
        before += "(COALESCE(e.published, '-infinity'), e.article_id)"
    condition = f"""(e.cluster IS NULL OR NOT EXISTS (
        SELECT 1 FROM search_engine_entry o
        WHERE o.cluster = e.cluster AND o.article_id <> e.article_id AND {before}
            AND {filters}))"""
    return condition, []


def highlighted(cursor, article_ids: list[int], highlight: str | None) -> dict[int, tuple]:
    """article id -> (title, snippet) as safe HTML, ``ts_headline`` run on these rows only."""
    if highlight is None:
        cursor.execute(
            "SELECT article_id, title, left(body, %s) FROM search_engine_entry "
            "WHERE article_id = ANY(%s)",
            [markup.PLAIN_CHARS * 2, article_ids],
        )
        return {
            article_id: (html.escape(title), markup.plain_snippet(body))
            for article_id, title, body in cursor.fetchall()
        }
    title = markup.for_headline_sql("title")
    body = markup.for_headline_sql(f"left(body, {markup.HEADLINE_CHARS})")
    cursor.execute(
        f"""
        SELECT article_id, ts_headline('{CONFIG}', {title}, q.query, %s),
            ts_headline('{CONFIG}', {body}, q.query, %s)
        FROM search_engine_entry CROSS JOIN (SELECT %s::tsquery AS query) q
        WHERE article_id = ANY(%s)
        """,
        [markup.WHOLE, markup.SNIPPET, highlight, article_ids],
    )
    return {
        article_id: (markup.to_html(title_headline), markup.to_html(snippet))
        for article_id, title_headline, snippet in cursor.fetchall()
    }


def highlight(texts: list[str], q: str) -> list[str]:
    """Each text escaped, with the words ``q`` looks for (outside NOT) in <mark>."""
    with reading() as cursor:
        compiled, _parsed = compiled_query(cursor, q) if q.strip() else (None, None)
        if compiled is None or compiled.highlight is None:
            return [html.escape(text) for text in texts]
        text = markup.for_headline_sql("t.text")
        cursor.execute(
            f"""SELECT ts_headline('{CONFIG}', {text}, %s::tsquery, %s)
                FROM unnest(%s::text[]) WITH ORDINALITY AS t(text, n) ORDER BY t.n""",
            [compiled.highlight, markup.WHOLE, texts],
        )
        return [markup.to_html(row[0]) for row in cursor.fetchall()]
