"""Browsing's counts from ``search_engine_count`` (migration 0015), which the entry's
triggers keep: the counts a search without words, tag or date filters needs (years allowed),
without reading the archive's rows.

The rows come out as ``searching.count_facets`` reads its own: the entries alone in their
story from the kept counts, the copies of clustered stories from their rows as before.
"""

from __future__ import annotations

from search.query import SearchQuery

# For a rebuilt entry table: the triggers the migration made on the live one.
TRIGGERS = """
CREATE TRIGGER search_engine_counted_inserts AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();
CREATE TRIGGER search_engine_counted_updates AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();
CREATE TRIGGER search_engine_counted_deletes AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();
"""
COUNTS_OF = """
SELECT year, month, kind, tag, sum(n) FROM (
    SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
        ''::text AS tag, 1 AS n FROM {table} WHERE cluster IS NULL
    UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM {table} WHERE cluster IS NULL
    UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM {table} WHERE cluster IS NULL
) counted GROUP BY 1, 2, 3, 4
"""


def can_answer(search_query: SearchQuery, conditions: list[str]) -> bool:
    """Whether the kept counts are this search's: no words and no filters but years
    (``conditions``: ``searching.conditions``' own), copies collapsed."""
    return conditions == ["TRUE"] and not search_query.every_copy


def count_rows(cursor, search_query: SearchQuery, year_sql: str, year_params: list) -> list:
    """``count_facets``' rows: tags (one per row, as its value), years, months (with the
    timeline by month), the copies of clustered stories, and the archive's size."""
    by_month = search_query.timeline_months is not None
    cursor.execute(
        f"""
        WITH counts AS MATERIALIZED (
            SELECT year, month, kind, tag, {year_sql} AS chosen, sum(n)::int AS n
            FROM search_engine_count GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
        )
        SELECT CASE kind WHEN 'm' THEN 'minister' ELSE 'topic' END, NULL::bigint, tag,
            NULL::smallint, sum(n)::bigint, NULL::bigint, NULL::bigint, NULL::text[],
            NULL::text[], NULL::bigint, NULL::bigint[]
        FROM counts WHERE kind IN ('m', 't') AND chosen GROUP BY 1, 3 HAVING sum(n) > 0
        UNION ALL
        SELECT 'year', NULL, NULL, year, COALESCE(sum(n) FILTER (WHERE chosen), 0)::bigint,
            sum(n)::bigint, NULL, NULL, NULL, NULL, NULL
        FROM counts WHERE kind = 'a' GROUP BY year
        UNION ALL
        SELECT 'month', NULL, to_char(make_date(year, month, 1), 'YYYY-MM'), NULL,
            sum(n)::bigint, NULL, NULL, NULL, NULL, NULL, NULL
        FROM counts WHERE kind = 'a' AND chosen AND month IS NOT NULL AND {by_month}
        GROUP BY 3
        UNION ALL
        SELECT 'copy', NULL, {"to_char(published, 'YYYY-MM')" if by_month else "NULL"}, year,
            ({year_sql})::int, 1, NULL, ministers, topics, cluster, NULL
        FROM search_engine_entry WHERE cluster IS NOT NULL
        UNION ALL
        SELECT 'archive', NULL, NULL, NULL, NULL, reltuples::bigint, NULL, NULL, NULL, NULL,
            NULL
        FROM pg_class WHERE oid = 'search_engine_entry'::regclass
        """,
        [*year_params, *year_params],
    )
    return cursor.fetchall()
