"""The PostgreSQL engine's tag arrays keyed by a number, for the facet counts (issue 13).

Counting the facets groups the matches by their ministers' and topics' arrays. Hashing and
comparing a text array costs ~40 ms per 62,000 matches for each of the two groupings, where a
``bigint`` costs ~10: ``minister_key`` and ``topic_key`` are each array's 64-bit hash
(``hash_array_extended``, stored), and the counts group by them, reading one matching row's
arrays per group back. Two different arrays with one hash would merge their counts: with 64
bits, about one chance in 30 million for an archive of a million different tag sets.

Adding the stored columns rewrites the table. Nothing on SQLite.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE search_engine_entry
    ADD COLUMN minister_key bigint GENERATED ALWAYS AS (hash_array_extended(ministers, 0)) STORED,
    ADD COLUMN topic_key bigint GENERATED ALWAYS AS (hash_array_extended(topics, 0)) STORED;
"""
BACKWARD = r"""
ALTER TABLE search_engine_entry DROP COLUMN IF EXISTS minister_key,
    DROP COLUMN IF EXISTS topic_key;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0012_pgspeed_narrow_entry")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
