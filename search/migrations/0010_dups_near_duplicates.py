"""Near-duplicate clusters: the article's story cluster, its signature and band keys.

On PostgreSQL the engine's entry gets the cluster too (``cluster``, NULL while alone), and the
refresh function the triggers call copies it with the rest of the article's row.
"""

import django.db.models.deletion
from django.db import migrations, models


HEAD = r"""
CREATE OR REPLACE FUNCTION newsroom_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_engine_entry e WHERE e.article_id = target AND NOT EXISTS (
        SELECT 1 FROM search_article a WHERE a.id = target AND a.status = 'published');
    WITH written AS (
"""
UPSERT_WITH_CLUSTER = r"""
    INSERT INTO search_engine_entry AS e
        (article_id, title, body, published, year, ministers, topics, cluster)
    SELECT a.id, a.title, a.body, a.published, a.year,
        ARRAY(SELECT m.slug FROM search_article_ministers am
              JOIN search_minister m ON m.id = am.minister_id
              WHERE am.article_id = a.id ORDER BY m.slug),
        ARRAY(SELECT t.slug FROM search_article_topics at
              JOIN search_topic t ON t.id = at.topic_id
              WHERE at.article_id = a.id ORDER BY t.slug),
        a.story_cluster
    FROM search_article a WHERE a.id = target AND a.status = 'published'
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, published = EXCLUDED.published,
        year = EXCLUDED.year, ministers = EXCLUDED.ministers, topics = EXCLUDED.topics,
        cluster = EXCLUDED.cluster
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics, e.cluster)
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics, EXCLUDED.cluster)
"""
UPSERT = r"""
    INSERT INTO search_engine_entry AS e
        (article_id, title, body, published, year, ministers, topics)
    SELECT a.id, a.title, a.body, a.published, a.year,
        ARRAY(SELECT m.slug FROM search_article_ministers am
              JOIN search_minister m ON m.id = am.minister_id
              WHERE am.article_id = a.id ORDER BY m.slug),
        ARRAY(SELECT t.slug FROM search_article_topics at
              JOIN search_topic t ON t.id = at.topic_id
              WHERE at.article_id = a.id ORDER BY t.slug)
    FROM search_article a WHERE a.id = target AND a.status = 'published'
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, published = EXCLUDED.published,
        year = EXCLUDED.year, ministers = EXCLUDED.ministers, topics = EXCLUDED.topics
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics)
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics)
"""
# As 0009 left it: the words of an entry it wrote reach the vocabulary in the same statement.
WORDS = r"""
        RETURNING e.title, e.body
    )
    INSERT INTO search_engine_word (word, documents)
    SELECT DISTINCT v.lexeme, 1 FROM written, unnest(
        to_tsvector('newsroom_words'::regconfig, written.title || ' ' || left(written.body, 250000))
    ) AS v WHERE length(v.lexeme) >= 2
    ORDER BY v.lexeme
    ON CONFLICT (word) DO NOTHING;
$$;
"""
FORWARD = (
    "ALTER TABLE search_engine_entry ADD COLUMN cluster bigint;"
    "CREATE INDEX search_engine_entry_cluster ON search_engine_entry (cluster)"
    " WHERE cluster IS NOT NULL;" + HEAD + UPSERT_WITH_CLUSTER + WORDS
)
BACKWARD = HEAD + UPSERT + WORDS + "ALTER TABLE search_engine_entry DROP COLUMN IF EXISTS cluster;"


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0009_pgscale_vocabulary"),
    ]

    operations = [
        migrations.CreateModel(
            name="NearDuplicateSignature",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="search.article",
                    ),
                ),
                ("signature", models.BinaryField()),
            ],
        ),
        migrations.AddField(
            model_name="article",
            name="story_cluster",
            field=models.BigIntegerField(
                blank=True,
                db_index=True,
                help_text="The story this article is a version of.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="story_cluster_by_editor",
            field=models.BooleanField(
                default=False,
                help_text="An editor placed it (split or join); imports leave it there.",
            ),
        ),
        migrations.CreateModel(
            name="NearDuplicateBand",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.BigIntegerField(db_index=True)),
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
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
