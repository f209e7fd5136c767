"""Answering a search on PostgreSQL: four statements, five with "did you mean".

0. the query's words analysed (``compiling``), then the transaction's settings;
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

import dataclasses
import datetime
import html
import time

from django.db import OperationalError, transaction

from search import query_language
from search.conf import get_setting
from search.engine import respelling
from search.engine.contract import CUT_SHORT_NOTICE
from search.engine.postgres import browse_counts, markup, tag_sets
from search.engine.postgres.compiling import CONFIG, Compiled, analysed_leaves, compile_query
from search.engine.postgres.connection import reading
from search.engine.postgres.spelling import better_spelling
from search.query import (
    DateHistogram,
    FacetCount,
    Hit,
    PageOutOfRange,
    Relaxation,
    SearchQuery,
    SearchResults,
)
from search.query_language import RELAX_BELOW

SUGGEST_BELOW = 3
QUERY_CANCELED = "57014"  # statement_timeout reached
WORK_MEM = "64MB"
RANK_CANDIDATES = 1000
# Matches at least this share of the archive: their newest are found by walking the date index.
DENSE = 0.3
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


def conditions(search_query: SearchQuery, compiled: Compiled) -> tuple[list[str], list]:
    """SQL conditions (and their parameters) for the words and every filter but the years."""
    where, params = ["TRUE"], []
    if compiled.title_tsquery:  # the candidates from the titles' index (see compiling)
        where.append("title_document @@ %s::tsquery")
        params.append(compiled.title_tsquery)
    if compiled.tsquery:
        where.append("document @@ %s::tsquery")
        params.append(compiled.tsquery)
    if compiled.at_least:  # most of many words: each candidate's matching words counted
        parts, minimum = compiled.at_least
        where.append("(" + " + ".join(["(document @@ %s::tsquery)::int"] * len(parts)) + ") >= %s")
        params += [*parts, minimum]
    if search_query.ministers:
        where.append("ministers @> %s::text[]")
        params.append(list(search_query.ministers))
    if search_query.topics:
        where.append("topics @> %s::text[]")
        params.append(list(search_query.topics))
    if search_query.labels:
        where.append("labels @> %s::text[]")
        params.append(list(search_query.labels))
    if search_query.only_ids is not None:  # a reader's stars or notes (never indexed)
        where.append("article_id = ANY(%s::bigint[])")
        params.append(sorted(search_query.only_ids))
    if search_query.date_from:
        where.append("published >= %s")
        params.append(search_query.date_from)
    if search_query.date_to:
        where.append("published <= %s")
        params.append(search_query.date_to)
    return where, params


def year_condition(search_query: SearchQuery, *, bounded: bool = False) -> tuple[str, list]:
    """The year filter. ``bounded`` adds the years' first and last days as a date range (the
    same rows: a year is its published date's), so that a page walking the date index starts
    at the newest chosen year instead of testing every newer row."""
    if not search_query.years:
        return "TRUE", []
    years = sorted(set(search_query.years))
    if not bounded:
        return "year = ANY(%s)", [years]
    between = "published BETWEEN %s AND %s"
    bounds = [datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)]
    if years == list(range(years[0], years[-1] + 1)):
        # The range alone: with the year test too, the planner multiplies the two
        # selectivities (of the same rows) and expects far fewer rows than come, so it walks
        # no index for them.
        return between, bounds
    return f"year = ANY(%s) AND {between}", [years, *bounds]


# A phrase is answered from the positions the RUM index keeps (migration 0014), when there is
# one: bitmap scans off, the planner's only index for ``@@`` is RUM (GIN has no plain scans).
POSITIONS_FOR_PHRASES = """SELECT set_config('enable_bitmapscan', 'off', true) WHERE EXISTS (
    SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    WHERE i.indrelid = 'search_engine_entry'::regclass AND am.amname = 'rum')"""


def is_phrase(compiled: Compiled) -> bool:
    """Whether the words hold a phrase (``<->``): its matches are checked at their positions."""
    return bool(compiled.tsquery) and "<" in compiled.tsquery


def search(search_query: SearchQuery) -> SearchResults:
    with reading() as cursor:
        alias, inside_a_transaction = cursor.db.alias, cursor.db.in_atomic_block
        with transaction.atomic(using=alias):
            results = search_with(cursor, search_query)
            # SET LOCAL outlives a released savepoint: give the caller's transaction its own.
            if inside_a_transaction and not transaction.get_rollback(using=alias):
                cursor.execute(
                    "SET LOCAL statement_timeout TO DEFAULT; SET LOCAL enable_seqscan TO DEFAULT;"
                    " SET LOCAL work_mem TO DEFAULT; SET LOCAL enable_bitmapscan TO DEFAULT;"
                    " SET LOCAL jit TO DEFAULT"
                )
        return results


def search_with(cursor, search_query: SearchQuery) -> SearchResults:
    started = time.perf_counter()
    compiled, parsed = compiled_query(cursor, search_query.q)
    results = answer(cursor, search_query, compiled, parsed, started)
    # As the query was typed (a relaxed query, compiled again, has no prefix).
    results.expansions, results.ignored_words = compiled.expansions, compiled.ignored_words
    return results


def answer(cursor, search_query, compiled, parsed, started: float) -> SearchResults:
    notices = parsed.notices + compiled.notices
    budget_ms = int(get_setting("SEARCH_TIME_BUDGET") * 1000)
    if budget_ms <= 0:
        return cut_short(search_query, notices)
    # The transaction's settings in one round trip. The time budget: the server cancels a
    # statement past it (the matching is where a hostile query's cost lies).
    # enable_seqscan: the planner does not count reading (detoasting) each row's tsvector to
    # test ``@@``: for a word in most of the archive it picks a sequential scan that reads all
    # of them, where the GIN index answers without reading any. Without words, a scan is
    # right.
    # work_mem: the matches' tags are held once for the facet counts; with the server's
    # default (4 MB) those of a common word's matches spill to temporary files.
    # jit: a statement over many rows costs past ``jit_above_cost``, and compiling it takes
    # longer than running it, even for a small page.
    settings_sql = (
        f"SET LOCAL statement_timeout = {budget_ms}; SET LOCAL work_mem = '{WORK_MEM}';"
        " SET LOCAL jit = off"
    )
    if compiled.tsquery:
        settings_sql += "; SET LOCAL enable_seqscan = off"
    if is_phrase(compiled):
        settings_sql += f"; {POSITIONS_FOR_PHRASES}"
    cursor.execute(settings_sql)
    where, params = conditions(search_query, compiled)
    relaxation = every_word_found = None
    try:
        try:
            with transaction.atomic(using=cursor.db.alias):  # a savepoint to go on after
                if compiled.tsquery and parsed.bare:
                    every_word_found = count_at_most(cursor, search_query, where, params)
                    relaxing = most_of_the_words(cursor, search_query, parsed, every_word_found)
                    if relaxing is not None:
                        compiled, relaxation = relaxing
                        where, params = conditions(search_query, compiled)
                results = counted_page(cursor, search_query, compiled, where, params, notices)
                results.relaxed = relaxation
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
                raise
            cursor.execute(f"SET LOCAL statement_timeout = {max(1, budget_ms // 2)}")
            return newest_page_only(cursor, search_query, compiled, where, params, notices)
        if compiled.tsquery is not None and (relaxation or results.total < SUGGEST_BELOW):
            results.suggestion = respelling.suggestion(
                parsed.text,
                better_spelling=lambda word: better_spelling(cursor, word),
                count=lambda text: count_matches(cursor, search_query, text),
                # count_matches counts every copy; a relaxed search: what every word found
                total=every_word_found
                if relaxation
                else (results.total if results.copies is None else results.copies),
            )
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        transaction.set_rollback(True, using=cursor.db.alias)  # this transaction is over
        return cut_short(search_query, notices)
    results.took_ms = round((time.perf_counter() - started) * 1000, 2)
    return results


def counted_page(cursor, search_query, compiled, where, params, notices) -> SearchResults:
    # A phrase's matches are costly to find (each candidate's positions are re-read): the
    # counts hand the page its candidates. Other matches are cheaper found again than kept.
    ranked = search_query.effective_sort == "relevance" and is_phrase(compiled)
    total, facets, histogram, candidates, dense = count_facets(
        cursor, search_query, where, params, candidates=ranked
    )
    copies = facets.pop("copies", None)
    results = SearchResults(
        query=search_query,
        total=total,
        hits=[],
        facets=facets,
        notices=notices,
        date_histogram=histogram,
        copies=copies,
    )
    if search_query.page > results.pages:
        raise PageOutOfRange(search_query.page, results.pages)
    if not search_query.per_page:  # a count: its span instead of hits
        results.stories, results.first_published, results.last_published = span(
            cursor, search_query, where, params
        )
        return results
    results.hits = page_of_hits(
        cursor, search_query, compiled, where, params, total, candidates=candidates, dense=dense
    )
    return results


def span(
    cursor, search_query, where, params
) -> tuple[int, datetime.date | None, datetime.date | None]:
    """The stories among the matches (clustered copies are few: counted apart), and their
    first and last dates: one more pass over the matches, so only for a count."""
    year_sql, year_params = year_condition(search_query)
    cursor.execute(
        f"""SELECT count(*) FILTER (WHERE cluster IS NULL) + count(DISTINCT cluster),
            min(published), max(published)
        FROM search_engine_entry WHERE {" AND ".join(where)} AND {year_sql}""",
        [*params, *year_params],
    )
    return cursor.fetchone()


def newest_page_only(cursor, search_query, compiled, where, params, notices) -> SearchResults:
    """A search whose counts were cut short: the page of its newest matches, found by
    walking the published-date index (stopping at the page's end, where the word index had
    to find every match first), with the notice and no counts. It has half the budget again;
    a query it cannot answer in that either is cut short with nothing (``search_with``)."""
    cursor.execute("SET LOCAL enable_bitmapscan = off")
    newest = dataclasses.replace(search_query, sort="newest")
    hits = page_of_hits(cursor, newest, compiled, where, params, total=0)
    facets = {"minister": [], "topic": [], "year": [], "label": []}
    total = (search_query.page - 1) * search_query.per_page + len(hits)  # at least these
    return SearchResults(search_query, total, hits, facets, notices=notices + [CUT_SHORT_NOTICE])


def cut_short(search_query: SearchQuery, notices: list[str]) -> SearchResults:
    facets = {"minister": [], "topic": [], "year": [], "label": []}
    results = SearchResults(search_query, 0, [], facets)
    results.notices = notices + [CUT_SHORT_NOTICE]
    return results


def count_facets(
    cursor, search_query, where, params, *, candidates: bool = False
) -> tuple[int, dict[str, list[FacetCount]], DateHistogram, list[int] | None, bool]:
    """The total, the facet counts (each the number of results clicking gives), the date
    histogram, and with ``candidates`` the ids of the newest ``RANK_CANDIDATES`` results for
    ``page_of_hits`` to rank: the matches are then found once for both (a materialised CTE),
    where the page found them again (a phrase: every candidate's positions re-read twice);
    and whether the matches are at least ``DENSE`` of the archive (``page_of_hits``).

    Ministers and topics narrow (AND): counted within the results. Years widen (OR): counted
    with every filter but the year filter (``matches``; ``chosen``: also in the selected years).
    The histogram by year is the years' counts; by month it counts the results. With copies
    collapsed every count is of stories (distinct clusters), and ``facets["copies"]`` says how
    many copies they have.
    One pass over the matches, grouped by their tag arrays' keys (GROUPING SETS: one hash
    lookup of a number per row and set; migration 0013) in two sets, the ministers' with the
    year (each set costs a lookup per match, so the years and the total are no sets of their
    own but the sums of the first); the keys come back with their counts and ``tag_sets``
    knows their arrays (looking each group's array up in SQL, or fetching the arrays with the
    counts, costs every search work per group; an array read once serves every later search).
    The copies of clustered stories (few) come back as rows, made distinct per story here.
    The rows read are the entry's narrow part (migration 0012: text and tsvector toasted).
    """
    year_sql, year_params = year_condition(search_query)
    if not candidates and browse_counts.can_answer(search_query, where):
        rows = browse_counts.count_rows(cursor, search_query, year_sql, year_params)
    else:
        rows = counted_rows(cursor, search_query, where, params, year_sql, year_params, candidates)
    newest = next((row[-1] for row in rows if row[0] == "newest"), None)
    archive = next((row[5] for row in rows if row[0] == "archive"), 0)  # as last analysed
    # A tag array's row has its key (the array named by tag_sets); a kept count's, its tag.
    keyed = [row for row in rows if row[0] in ("minister", "topic") and row[1] is not None]
    tags = tag_sets.arrays(cursor, {(row[0], row[1]): row[6] for row in keyed})
    counts = tally(
        (kind, tags.get(key, ()) if key is not None else (value,), *rest)
        if kind in ("minister", "topic")
        else (kind, value, *rest)
        for kind, key, value, *rest in (row[:10] for row in rows)
        if kind not in ("newest", "archive")
    )
    total, copies, matched = counts.pop("total"), counts.pop("copies"), counts.pop("matched")
    # In any year: a word in most of the archive is taken to be in most of the chosen years.
    dense = archive > 0 and matched >= DENSE * archive
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
    facets["label"] = label_counts(cursor, search_query, where, params, year_sql, year_params)
    if search_query.timeline_months is not None:
        buckets = sorted(counts["month"].items())
        histogram = DateHistogram("month", tuple(FacetCount(m, c) for m, c in buckets))
    else:
        buckets = sorted((year, c) for year, c in counts["year"].items() if c)
        histogram = DateHistogram("year", tuple(FacetCount(str(y), c) for y, c in buckets))
    if not search_query.every_copy:
        facets["copies"] = copies
    return total, facets, histogram, newest, dense


def label_counts(cursor, search_query, where, params, year_sql, year_params) -> list[FacetCount]:
    """The labels' counts within the results (labels narrow, AND), stories when collapsed: a
    statement of its own (the label arrays are not among the grouping sets' keys), reading
    only the matches that have labels."""
    counted = "article_id" if search_query.every_copy else STORY
    cursor.execute(
        f"""SELECT slug, count(DISTINCT {counted}) FROM search_engine_entry, unnest(labels) slug
        WHERE {" AND ".join(where)} AND {year_sql} AND labels <> '{{}}' GROUP BY slug""",
        [*params, *year_params],
    )
    found = dict(cursor.fetchall())
    for slug in search_query.labels:
        found.setdefault(slug, 0)  # a selected value is always shown
    return [
        FacetCount(slug, count)
        for slug, count in sorted(found.items(), key=lambda item: (-item[1], item[0]))
    ]


def counted_rows(cursor, search_query, where, params, year_sql, year_params, candidates) -> list:
    """``count_facets``' rows, counted from the matches themselves (see there)."""
    # By month: grouped by day (a date hashes fast, where to_char formats every matching
    # row), the days then added up into months.
    by_month = search_query.timeline_months is not None
    month = "published" if by_month else "NULL::date"
    sets = "(minister_key, year), (topic_key)" + (", (month)" if by_month else "")
    alone = "TRUE" if search_query.every_copy else "cluster IS NULL"
    newest_sql = (
        f"""UNION ALL
        SELECT 'newest', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, ARRAY(
            SELECT article_id FROM matches WHERE chosen ORDER BY {NEWEST_FIRST} LIMIT %s)"""
        if candidates
        else ""
    )
    cursor.execute(
        f"""
        WITH matches AS {"" if candidates else "NOT "}MATERIALIZED (
            SELECT article_id, published, year, ministers, topics, minister_key, topic_key,
                cluster, {month} AS month, {year_sql} AS chosen
            FROM search_engine_entry WHERE {" AND ".join(where)}
        ), grouped AS (
            SELECT CASE WHEN GROUPING(minister_key) = 0 THEN 'minister'
                    WHEN GROUPING(topic_key) = 0 THEN 'topic' ELSE 'month' END AS kind,
                minister_key, topic_key, year,
                {"month" if by_month else "NULL::date AS month"},
                -- int: their sums are then bigint (a sum of bigint is numeric, slower)
                (count(*) FILTER (WHERE chosen))::int AS chosen, count(*)::int AS every,
                min(article_id) AS example
            FROM matches WHERE {alone}
            GROUP BY GROUPING SETS ({sets})
        )
        SELECT kind, CASE kind WHEN 'minister' THEN minister_key ELSE topic_key END,
            NULL::text, NULL::smallint, sum(chosen)::bigint, NULL::bigint, min(example),
            NULL::text[], NULL::text[], NULL::bigint, NULL::bigint[]
        FROM grouped WHERE kind IN ('minister', 'topic')
        GROUP BY 1, 2 HAVING sum(chosen) > 0
        UNION ALL
        SELECT 'year', NULL, NULL, year, sum(chosen)::bigint, sum(every)::bigint, NULL, NULL,
            NULL, NULL, NULL
        FROM grouped WHERE kind = 'minister' GROUP BY year
        UNION ALL
        SELECT kind, NULL, to_char(month, 'YYYY-MM'), NULL, sum(chosen)::bigint, NULL, NULL,
            NULL, NULL, NULL, NULL
        FROM grouped WHERE kind = 'month' AND month IS NOT NULL AND chosen > 0
        GROUP BY kind, 3
        UNION ALL
        SELECT 'copy', NULL, to_char(month, 'YYYY-MM'), year, chosen::int, 1, NULL, ministers,
            topics, cluster, NULL
        FROM matches WHERE NOT ({alone})
        UNION ALL
        SELECT 'archive', NULL, NULL, NULL, NULL, reltuples::bigint, NULL, NULL, NULL, NULL,
            NULL
        FROM pg_class WHERE oid = 'search_engine_entry'::regclass
        {newest_sql}
        """,
        [*year_params, *params, *([RANK_CANDIDATES] if candidates else [])],
    )
    return cursor.fetchall()


def tally(rows) -> dict:
    """``count_facets``' rows added up per tag, year and month, and its total and copies.

    A tag array's row (its tags as the value) and a month's count the chosen matches, a
    year's every match; the years' chosen add up to the total. A ``copy`` row is one match
    of a clustered story: each story counts once for each tag, year and month any of its
    copies has. ``matched``: the matches in any year, every copy counted."""
    counts: dict = {"minister": {}, "topic": {}, "year": {}, "month": {}, "total": 0}
    stories: dict[int, dict] = {}
    copies = matched = 0
    for kind, value, year, chosen, every, _example, ministers, topics, cluster in rows:
        if kind in ("minister", "topic"):  # value: the tags of one array
            found = counts[kind]
            for tag in value:
                found[tag] = found.get(tag, 0) + chosen
        elif kind == "month":
            counts[kind][value] = chosen
        elif kind == "year":
            counts["total"] += chosen
            copies += chosen
            matched += every
            if year is not None:
                counts["year"][year] = every
        elif kind == "copy":
            matched += 1
            story = stories.setdefault(
                cluster,
                {"minister": set(), "topic": set(), "year": set(), "month": set(), "chosen": 0},
            )
            if year is not None:
                story["year"].add(year)
            if chosen:
                story["chosen"] += 1
                story["minister"].update(ministers)
                story["topic"].update(topics)
                if value is not None:  # its month
                    story["month"].add(value)
    for story in stories.values():
        copies += story["chosen"]
        counts["total"] += 1 if story["chosen"] else 0
        for name in ("minister", "topic", "year", "month"):
            found = counts[name]
            for value in story[name]:
                found[value] = found.get(value, 0) + 1
    counts["copies"], counts["matched"] = copies, matched
    return counts


def count_at_most(cursor, search_query: SearchQuery, where, params, limit=RELAX_BELOW) -> int:
    """The matches (every copy, in the search's filters and years), counted up to ``limit``."""
    year_sql, year_params = year_condition(search_query)
    cursor.execute(
        f"""SELECT count(*) FROM (SELECT 1 FROM search_engine_entry
            WHERE {" AND ".join(where)} AND {year_sql} LIMIT %s) found""",
        [*params, *year_params, limit],
    )
    return cursor.fetchone()[0]


def most_of_the_words(
    cursor, search_query: SearchQuery, parsed, every_word_found: int
) -> tuple[Compiled, Relaxation] | None:
    """The query compiled as most of its words (any of them, when most find only a handful), when
    every word finds fewer than ``RELAX_BELOW`` and the relaxed query finds more
    (``query_language.relaxed``); else None."""
    if every_word_found >= RELAX_BELOW:
        return None
    relaxed = query_language.relaxed(
        parsed, counts=lambda texts: [bool(found) for found in analysed_leaves(cursor, texts)]
    )
    if relaxed is None:
        return None
    for step in relaxed.steps():  # most of the words, then any of them
        compiled = compile_query(cursor, step.tree, max_expansions=1)  # no prefixes in it
        where, params = conditions(search_query, compiled)
        found = count_at_most(cursor, search_query, where, params, RELAX_BELOW)
        if found >= RELAX_BELOW:
            break
    if found <= every_word_found:
        return None
    relaxation = Relaxation(step.words, step.minimum, every_word_found, step.every_word_text)
    return compiled, relaxation


def count_matches(cursor, search_query: SearchQuery, text: str) -> int:
    compiled = compile_query(cursor, query_language.parse(text).tree, max_expansions=1)
    where, params = conditions(search_query, compiled)
    year_sql, year_params = year_condition(search_query)
    cursor.execute(
        f"SELECT count(*) FROM search_engine_entry WHERE {' AND '.join(where)} AND {year_sql}",
        [*params, *year_params],
    )
    return cursor.fetchone()[0]


def page_of_hits(
    cursor, search_query, compiled: Compiled, where, params, total, candidates=None, dense=False
) -> list[Hit]:
    """The requested page with its titles and snippets marked, in one statement: the page's
    rows are found first (a materialised CTE), then ``ts_headline`` runs on those rows only.
    With copies collapsed, one copy of each story stands for it: the best scoring, or the
    first in the date order.
    ``candidates``: the ids of the results to rank, as ``count_facets`` found them. Without,
    the candidates to rank are the matches' newest. ``dense`` matches (most articles) are
    found walking the newest-first index, testing each row until enough matched (most rows
    tested match, so a page costs a few of them, where finding all the matches first reads
    them all). Others are found by the word index first, then sorted (``OFFSET 0``: the
    planner would walk the date index for them too, not counting that each row's tsvector is
    read to test it: for a rarer word it would test many rows for each match)."""
    year_sql, year_params = year_condition(search_query, bounded=True)
    filters, filter_params = f"{' AND '.join(where)} AND {year_sql}", [*params, *year_params]
    offset = (search_query.page - 1) * search_query.per_page
    collapse = not search_query.every_copy
    if search_query.effective_sort == "relevance" and compiled.tsquery:
        capped = total > RANK_CANDIDATES or collapse  # ``total`` counts stories then
        order = f"score DESC, {NEWEST_FIRST}"
        found = f"""
            SELECT * FROM (
                SELECT article_id, document, published, cluster FROM search_engine_entry
                WHERE {filters} OFFSET 0
            ) matches {f"ORDER BY {NEWEST_FIRST} LIMIT %s" if capped else ""}"""
        if dense and capped:
            found = f"""SELECT article_id, document, published, cluster FROM search_engine_entry
                WHERE {filters} ORDER BY {NEWEST_FIRST} LIMIT %s"""
        found_params = [*filter_params, *([RANK_CANDIDATES] if capped else [])]
        if candidates is not None:
            found = """SELECT article_id, document, published, cluster FROM search_engine_entry
                WHERE article_id = ANY(%s)"""
            found_params = [candidates]
        ranked = f"""
            SELECT article_id, published, ts_rank(document, %s::tsquery) AS score,
                {STORY} AS story
            FROM ({found}) candidates"""
        if collapse:
            ranked = f"""SELECT DISTINCT ON (story) * FROM ({ranked}) scored
                ORDER BY story, score DESC, {NEWEST_FIRST}"""
        page_sql = f"""SELECT article_id, published, score FROM ({ranked}) hits
            ORDER BY {order} LIMIT %s OFFSET %s"""
        page_params = [compiled.tsquery, *found_params, search_query.per_page, offset]
    else:
        oldest = search_query.effective_sort == "oldest"
        order = OLDEST_FIRST if oldest else NEWEST_FIRST
        first_copy = first_copy_condition(filters, oldest=oldest) if collapse else "TRUE"
        page_sql = f"""
            SELECT article_id, published, 0.0 AS score FROM search_engine_entry e
            WHERE {filters} AND {first_copy} ORDER BY {order} LIMIT %s OFFSET %s"""
        page_params = [
            *filter_params,
            *(filter_params if collapse else []),
            search_query.per_page,
            offset,
        ]
    marked_sql, marked_params = marked_columns(compiled.highlight)
    cursor.execute(
        f"""
        WITH page AS MATERIALIZED ({page_sql})
        SELECT page.article_id, page.score, marked.title, marked.snippet FROM page
        CROSS JOIN LATERAL (
            SELECT {marked_sql} FROM search_engine_entry e WHERE e.article_id = page.article_id
        ) marked
        ORDER BY {order}
        """,
        [*page_params, *marked_params],
    )
    if compiled.highlight is None:
        return [
            Hit(article_id, float(score), html.escape(title), markup.plain_snippet(body))
            for article_id, score, title, body in cursor.fetchall()
        ]
    return [
        Hit(article_id, float(score), markup.to_html(title), markup.to_html(snippet))
        for article_id, score, title, snippet in cursor.fetchall()
    ]


def first_copy_condition(filters: str, *, oldest: bool) -> str:
    """Rows that come first in the sort among their story's matching copies: a row alone
    passes at once; a copy, when no other matching copy sorts before it (the subquery's
    unqualified names are the other copy's, ``e.`` the row's)."""
    if oldest:
        before = "(COALESCE(o.published, 'infinity'), -o.article_id) < "
        before += "(COALESCE(e.published, 'infinity'), -e.article_id)"
    else:
        before = "(COALESCE(o.published, '-infinity'), o.article_id) > "
        before += "(COALESCE(e.published, '-infinity'), e.article_id)"
    return f"""(e.cluster IS NULL OR NOT EXISTS (
        SELECT 1 FROM search_engine_entry o
        WHERE o.cluster = e.cluster AND o.article_id <> e.article_id AND {before}
            AND {filters}))"""


def marked_columns(highlight: str | None) -> tuple[str, list]:
    """SQL for a hit's title and snippet (``e``: its entry): marked by ``ts_headline`` when
    there are words to mark, else the plain text (escaped and cut in Python)."""
    if highlight is None:
        return "e.title AS title, left(e.body, %s) AS snippet", [markup.PLAIN_CHARS * 2]
    title = markup.for_headline_sql("e.title")
    body = markup.for_headline_sql(f"left(e.body, {markup.HEADLINE_CHARS})")
    return (
        f"ts_headline('{CONFIG}', {title}, %s::tsquery, %s) AS title, "
        f"ts_headline('{CONFIG}', {body}, %s::tsquery, %s) AS snippet",
        [highlight, markup.WHOLE, highlight, markup.SNIPPET],
    )


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
