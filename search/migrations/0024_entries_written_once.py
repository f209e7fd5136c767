"""An import writes each search entry once (PostgreSQL): while the importer's transaction says
``newsroom.deferred_entries = 'on'`` (a transaction-local setting, made by the engine's
``deferring_entry_refresh``), the article, tag and label triggers leave the entries alone,
and the importer refreshes each article's entry once before it commits. Before, an imported
article's entry was written once for the article row and again for each statement on its tag
rows. Outside such a transaction (an edit in the admin, a label added) the triggers refresh at
once, as before. The refresh now also copies the labels to an entry that exists, since the
label triggers may have been skipped. Nothing to do on SQLite."""

from django.db import migrations

# The importer refreshes the entries itself before it commits.
SKIP_WHILE_DEFERRED = """    IF current_setting('newsroom.deferred_entries', true) = 'on' THEN
        RETURN NULL;
    END IF;
"""

ARTICLE_CHANGED = """
CREATE OR REPLACE FUNCTION newsroom_search_article_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{skip}    PERFORM newsroom_search_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END $$;
"""

TAGS_CHANGED = """
CREATE OR REPLACE FUNCTION newsroom_search_tags_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{skip}    UPDATE search_engine_entry e SET
        ministers = ARRAY(SELECT m.slug FROM search_article_ministers am
                          JOIN search_minister m ON m.id = am.minister_id
                          WHERE am.article_id = e.article_id ORDER BY m.slug),
        topics = ARRAY(SELECT t.slug FROM search_article_topics at
                       JOIN search_topic t ON t.id = at.topic_id
                       WHERE at.article_id = e.article_id ORDER BY t.slug)
    WHERE e.article_id IN (SELECT article_id FROM changed);
    RETURN NULL;
END $$;
"""

LABELS_CHANGED = """
CREATE OR REPLACE FUNCTION newsroom_search_labels_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
{skip}    UPDATE search_engine_entry e SET labels = ARRAY(SELECT l.slug FROM search_articlelabel al
              JOIN search_label l ON l.id = al.label_id
              WHERE al.article_id = e.article_id ORDER BY l.slug)
    WHERE e.article_id IN (SELECT article_id FROM changed);
    RETURN NULL;
END $$;
"""

REFRESH = """
CREATE OR REPLACE FUNCTION newsroom_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_engine_entry e WHERE e.article_id = target AND NOT EXISTS (
        SELECT 1 FROM search_article a WHERE a.id = target AND a.status = 'published');
    WITH written AS (
    INSERT INTO search_engine_entry AS e
        (article_id, title, body, published, year, ministers, topics, cluster, labels)
    SELECT a.id, a.title, a.body, a.published, a.year,
        ARRAY(SELECT m.slug FROM search_article_ministers am
              JOIN search_minister m ON m.id = am.minister_id
              WHERE am.article_id = a.id ORDER BY m.slug),
        ARRAY(SELECT t.slug FROM search_article_topics at
              JOIN search_topic t ON t.id = at.topic_id
              WHERE at.article_id = a.id ORDER BY t.slug),
        a.story_cluster,
        ARRAY(SELECT l.slug FROM search_articlelabel al
              JOIN search_label l ON l.id = al.label_id
              WHERE al.article_id = a.id ORDER BY l.slug)
    FROM search_article a WHERE a.id = target AND a.status = 'published'
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, published = EXCLUDED.published,
        year = EXCLUDED.year, ministers = EXCLUDED.ministers, topics = EXCLUDED.topics,
        cluster = EXCLUDED.cluster{labels_set}
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics, e.cluster{labels_old})
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics, EXCLUDED.cluster{labels_new})
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
    REFRESH.format(
        labels_set=", labels = EXCLUDED.labels",
        labels_old=", e.labels",
        labels_new=", EXCLUDED.labels",
    ),
    *(
        sql.format(skip=SKIP_WHILE_DEFERRED)
        for sql in (ARTICLE_CHANGED, TAGS_CHANGED, LABELS_CHANGED)
    ),
)
BACKWARD = (
    REFRESH.format(labels_set="", labels_old="", labels_new=""),
    *(sql.format(skip="") for sql in (ARTICLE_CHANGED, TAGS_CHANGED, LABELS_CHANGED)),
)


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0023_labelled_entries"),
    ]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
