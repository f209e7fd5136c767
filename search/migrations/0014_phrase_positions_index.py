"""A RUM index on the PostgreSQL engine's tsvector, for phrases (issue 13), when the server
has the extension (Debian: ``apt-get install postgresql-15-rum``).

A GIN index stores which articles hold a word, not where: a phrase's candidates are every
article holding all its words, and each one's tsvector is read back from the toast table to
check the positions ("people know" at 100,000 articles: 35,410 candidates read for 181
matches, 300 ms). RUM stores the positions in the index and answers the phrase from it
(40 ms). It is slower to write than GIN and ~3x its size, so the GIN index stays for
everything else; the engine turns bitmap scans off for a phrase so that the planner, which
cannot tell the two apart, takes RUM (GIN has no plain index scans).

Without the extension (or without the right to create it: ``CREATE EXTENSION rum`` as a
superuser first), nothing is created and phrases are checked as before. Nothing on SQLite.
"""

from django.db import migrations, transaction

INDEX = "CREATE INDEX {name} ON {table} USING rum (document rum_tsvector_ops)"


def rum_available(cursor) -> bool:
    """Whether the extension is there, creating it when the server has it and we may."""
    cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'rum')")
    if not cursor.fetchone()[0]:
        return False
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except Exception:  # no right to create it: the engine works without
        return False
    return True


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if rum_available(cursor):
            cursor.execute(
                INDEX.format(name="search_engine_entry_positions", table="search_engine_entry")
            )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_engine_entry_positions")


class Migration(migrations.Migration):
    dependencies = [("search", "0013_facet_keys")]

    operations = [migrations.RunPython(forward, backward)]
