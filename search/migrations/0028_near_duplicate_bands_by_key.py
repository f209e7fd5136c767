"""Near-duplicate band keys kept in the order of their key, one row a key an article.

An import adds some eighty keys an article at random places of the key index. The table kept
each row three times (the row by its id, the key index, the article index), and a lookup by
key read the row again for its article. Now the key and the article are the primary key: on
SQLite a table WITHOUT ROWID, so the rows are the key index itself and a lookup reads nothing
more; on PostgreSQL the same primary key in place of the id. An article that held one key twice
(the same sampled shingle twice in its lead) keeps it once; the detector never counted it twice.

At 1,000,000 articles SQLite copies some 80 million rows here: minutes, said in docs/scaling.md.
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "search_nearduplicateband"
ARTICLE_INDEX = "search_nearduplicateband_article_id_ef624610"  # Django's name, kept

SQLITE = [
    f'CREATE TABLE "{TABLE}_by_key" ("key" bigint NOT NULL, "article_id" bigint NOT NULL'
    ' REFERENCES "search_article" ("id") DEFERRABLE INITIALLY DEFERRED,'
    ' PRIMARY KEY ("key", "article_id")) WITHOUT ROWID',
    f'INSERT OR IGNORE INTO "{TABLE}_by_key" ("key", "article_id")'
    f' SELECT "key", "article_id" FROM "{TABLE}" ORDER BY "key", "article_id"',
    f'DROP TABLE "{TABLE}"',
    f'ALTER TABLE "{TABLE}_by_key" RENAME TO "{TABLE}"',
    f'CREATE INDEX "{ARTICLE_INDEX}" ON "{TABLE}" ("article_id")',
]

POSTGRESQL = [
    f'DELETE FROM "{TABLE}" a USING "{TABLE}" b'
    " WHERE a.key = b.key AND a.article_id = b.article_id AND a.id > b.id",
    f'ALTER TABLE "{TABLE}" DROP COLUMN "id"',
    f'ALTER TABLE "{TABLE}" ADD PRIMARY KEY ("key", "article_id")',
    'DROP INDEX IF EXISTS "search_nearduplicateband_key_c9d7699b"',
]


def forward(apps, schema_editor):
    statements = SQLITE if schema_editor.connection.vendor == "sqlite" else POSTGRESQL
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0027_alert_delivery_given_up"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forward, migrations.RunPython.noop)],
            state_operations=[
                migrations.DeleteModel(name="NearDuplicateBand"),
                migrations.CreateModel(
                    name="NearDuplicateBand",
                    fields=[
                        ("pk", models.CompositePrimaryKey("key", "article", serialize=False)),
                        ("key", models.BigIntegerField()),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="search.article",
                            ),
                        ),
                    ],
                ),
            ],
        ),
    ]
