"""New words reach the PostgreSQL engine's vocabulary in the article's own transaction.

The vocabulary (``search_engine_word``: "did you mean" and bounding prefix searches) was filled
by the engine's writer, which the after-commit queue ran for every saved article. The triggers
already index an article in its transaction, so that queue is not run for this engine any more
(``engine.keeps_itself_current``): the refresh function now adds the words itself, only when
it actually wrote the entry (an unchanged article costs no parse), in word order, so that two
imports adding the same new words at once wait for each other instead of deadlocking.
Counts stay 1 for new words, as before; a rebuild makes them exact. Nothing on SQLite.
"""

from django.db import migrations

REFRESH_HEAD = r"""
CREATE OR REPLACE FUNCTION newsroom_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_engine_entry e WHERE e.article_id = target AND NOT EXISTS (
        SELECT 1 FROM search_article a WHERE a.id = target AND a.status = 'published');
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

FORWARD = f"""{REFRESH_HEAD}
    WITH written AS ({UPSERT}
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

BACKWARD = f"""{REFRESH_HEAD}{UPSERT};
$$;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0008_desk_export_record")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
