"""Counts of the PostgreSQL engine's entries kept by triggers, for browsing (issue 13).

Browsing (no words, no tag or date filter; years allowed) counted every entry of the archive
on each request: ~110 ms at 100,000 articles, for the page every reader sees first.
``search_engine_count`` holds those counts as rows to add up: per year and month the entries,
per year each minister's and topic's, of the entries alone in their story (a story's copies
are few and counted from their rows, as before). Statement triggers on the entry add a row
of changes per year, month and tag at each write, in the write's own transaction, so the
counts are exact at every commit on every node. Writers only insert: no row is ever updated
in place, so concurrent imports neither wait for each other nor deadlock. Now and then (2% of
writes) a writer that gets the compaction lock without waiting folds the rows into one per
key; it only deletes rows committed before it began, which no other writer touches.

Nothing on SQLite.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE search_engine_count (
    year smallint,
    month smallint,           -- on the entries' rows ('a') only
    kind "char" NOT NULL,     -- 'a': entries; 'm': a minister's; 't': a topic's
    tag text NOT NULL,        -- '' on the entries' rows
    n integer NOT NULL
);

-- One row per key for the rows committed so far. 7_301_014: "the counts' compaction", a lock
-- held to the end of the transaction and never waited for (a writer holding it goes on).
CREATE FUNCTION newsroom_search_compact_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF pg_try_advisory_xact_lock(7301014) THEN
        WITH gone AS (DELETE FROM search_engine_count RETURNING *)
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    END IF;
END $$;

CREATE FUNCTION newsroom_search_count_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, 1 AS n FROM new_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM new_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, -1 AS n FROM old_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), -1 FROM old_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), -1 FROM old_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4;
    ELSE
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, 1 AS n FROM new_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, extract(month FROM published)::smallint, 'a', '', -1
                FROM old_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), -1 FROM old_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), -1 FROM old_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    END IF;
    IF random() < 0.02 THEN
        PERFORM newsroom_search_compact_counts();
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER search_engine_counted_inserts AFTER INSERT ON search_engine_entry
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();
CREATE TRIGGER search_engine_counted_updates AFTER UPDATE ON search_engine_entry
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();
CREATE TRIGGER search_engine_counted_deletes AFTER DELETE ON search_engine_entry
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_count_changes();

INSERT INTO search_engine_count (year, month, kind, tag, n)
SELECT year, month, kind, tag, sum(n) FROM (
    SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
        ''::text AS tag, 1 AS n FROM search_engine_entry WHERE cluster IS NULL
    UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM search_engine_entry
        WHERE cluster IS NULL
    UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM search_engine_entry
        WHERE cluster IS NULL
) counted GROUP BY 1, 2, 3, 4;
"""
BACKWARD = r"""
DROP TRIGGER IF EXISTS search_engine_counted_inserts ON search_engine_entry;
DROP TRIGGER IF EXISTS search_engine_counted_updates ON search_engine_entry;
DROP TRIGGER IF EXISTS search_engine_counted_deletes ON search_engine_entry;
DROP FUNCTION IF EXISTS newsroom_search_count_changes();
DROP FUNCTION IF EXISTS newsroom_search_compact_counts();
DROP TABLE IF EXISTS search_engine_count;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0014_phrase_positions_index")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
