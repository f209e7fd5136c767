"""A RUM index on the PostgreSQL engine's tsvector, for phrases (issue 13), in a database
where the operator has created the RUM extension (Debian: ``apt-get install
postgresql-15-rum``, then ``CREATE EXTENSION rum`` as a superuser, then ``manage.py
rebuild_index``, which makes the index whenever the extension is there).

A GIN index stores which articles hold a word, not where: a phrase's candidates are every
article holding all its words, and each one's tsvector is read back from the toast table to
check the positions ("people know" at 100,000 articles: 35,410 candidates read for 181
matches, 300 ms). RUM stores the positions in the index and answers the phrase from it
(40 ms). But it is slow to write: an import of 2,000 generated articles went from ~73 to
~50 articles a second with it (two rounds each, fresh databases), the benchmark's 10,000 with
tags from 51.5 to 22.4. So it is the operator's choice, off unless the extension is created. The GIN
index stays for everything else; for a phrase the engine turns bitmap scans off, so that the
planner, which cannot tell the two apart, takes RUM (GIN has no plain index scans).

Nothing on SQLite, and nothing where the extension is not created.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX search_engine_entry_positions ON search_engine_entry"
    " USING rum (document rum_tsvector_ops)"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')")
        if cursor.fetchone()[0]:
            cursor.execute(INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_engine_entry_positions")


class Migration(migrations.Migration):
    dependencies = [("search", "0013_facet_keys")]

    operations = [migrations.RunPython(forward, backward)]
