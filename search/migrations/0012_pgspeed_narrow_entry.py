"""The PostgreSQL engine's entry made narrow, and its titles indexed on their own (issue 13).

- ``toast_tuple_target = 128``: a row past PostgreSQL's toast threshold (~2 KB: most articles)
  keeps only its short columns in the table and moves the text and the tsvector to the toast
  table. Counting the facets of 67,000 matches then reads a few thousand pages of ids, dates,
  tags and clusters, not the ~10 KB of each article; the text and tsvector are read only for
  the rows that need them (the page, its ranking and highlights, a recheck). The tag arrays
  are ``STORAGE MAIN``: kept in the row (without it they went to the toast table too, and the
  counts read them from there: slower than before).
- ``title_document``: the title's tsvector, with its own GIN index, so ``title:`` finds its
  articles through it instead of re-reading every article holding the word to check its
  weight (``title:security``: 26,443 rows re-read for 211 matches).
- ``search_engine_entry_newest``: the engine's newest-first order exactly (``published DESC
  NULLS LAST``; the older index puts undated articles first, so it serves only the oldest-first
  order, read backwards), for a page of the newest matches that stops at the page's end.

Adding the stored column rewrites the table, which applies the new target to every row.
Nothing on SQLite.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE search_engine_entry SET (toast_tuple_target = 128);
ALTER TABLE search_engine_entry ALTER COLUMN ministers SET STORAGE MAIN,
    ALTER COLUMN topics SET STORAGE MAIN;
ALTER TABLE search_engine_entry ADD COLUMN title_document tsvector
    GENERATED ALWAYS AS (to_tsvector('newsroom_english'::regconfig, title)) STORED;
CREATE INDEX search_engine_entry_title ON search_engine_entry USING gin (title_document);
CREATE INDEX search_engine_entry_newest ON search_engine_entry
    (published DESC NULLS LAST, article_id DESC);
"""
BACKWARD = r"""
DROP INDEX IF EXISTS search_engine_entry_newest;
ALTER TABLE search_engine_entry DROP COLUMN IF EXISTS title_document;
ALTER TABLE search_engine_entry RESET (toast_tuple_target);
ALTER TABLE search_engine_entry ALTER COLUMN ministers SET STORAGE EXTENDED,
    ALTER COLUMN topics SET STORAGE EXTENDED;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0011_password_reset_requests")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
