"""Labels are searchable: on PostgreSQL the engine's entry gets the article's label slugs
(``labels``, kept like the ministers' and topics' arrays by statement triggers on the
article-label table, and renamed with their label), and the refresh function the article's
triggers call copies them when it writes a new entry. Nothing to do on SQLite: the Whoosh
index gets them from the index documents (schema version 8)."""

from django.db import migrations

LABELS_OF = r"""ARRAY(SELECT l.slug FROM search_articlelabel al
              JOIN search_label l ON l.id = al.label_id
              WHERE al.article_id = {article} ORDER BY l.slug)"""

HEAD = r"""
CREATE OR REPLACE FUNCTION newsroom_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_engine_entry e WHERE e.article_id = target AND NOT EXISTS (
        SELECT 1 FROM search_article a WHERE a.id = target AND a.status = 'published');
    WITH written AS (
"""


def upsert(with_labels: bool) -> str:
    return (
        r"""
    INSERT INTO search_engine_entry AS e
        (article_id, title, body, published, year, ministers, topics, cluster"""
        + (", labels" if with_labels else "")
        + r""")
    SELECT a.id, a.title, a.body, a.published, a.year,
        ARRAY(SELECT m.slug FROM search_article_ministers am
              JOIN search_minister m ON m.id = am.minister_id
              WHERE am.article_id = a.id ORDER BY m.slug),
        ARRAY(SELECT t.slug FROM search_article_topics at
              JOIN search_topic t ON t.id = at.topic_id
              WHERE at.article_id = a.id ORDER BY t.slug),
        a.story_cluster"""
        + (",\n        " + LABELS_OF.format(article="a.id") if with_labels else "")
        + r"""
    FROM search_article a WHERE a.id = target AND a.status = 'published'
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, published = EXCLUDED.published,
        year = EXCLUDED.year, ministers = EXCLUDED.ministers, topics = EXCLUDED.topics,
        cluster = EXCLUDED.cluster
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics, e.cluster)
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics, EXCLUDED.cluster)
"""
    )


# As 0010 left it: the words of an entry it wrote reach the vocabulary in the same statement.
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

TRIGGERS = (
    r"""
-- Labels change in bulk (a label action adds hundreds in one INSERT): once per statement.
CREATE FUNCTION newsroom_search_labels_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_engine_entry e SET labels = """
    + LABELS_OF.format(article="e.article_id")
    + r"""
    WHERE e.article_id IN (SELECT article_id FROM changed);
    RETURN NULL;
END $$;

-- A label renamed by an editor keeps its articles under its new slug.
CREATE FUNCTION newsroom_search_label_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_engine_entry SET labels = ARRAY(
        SELECT DISTINCT unnest(array_replace(labels, OLD.slug, NEW.slug)) ORDER BY 1)
    WHERE labels @> ARRAY[OLD.slug::text];
    RETURN NULL;
END $$;

CREATE TRIGGER search_engine_labels_added AFTER INSERT ON search_articlelabel
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_labels_changed();
CREATE TRIGGER search_engine_labels_removed AFTER DELETE ON search_articlelabel
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_labels_changed();
CREATE TRIGGER search_engine_label_renamed AFTER UPDATE OF slug ON search_label
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug)
    EXECUTE FUNCTION newsroom_search_label_renamed();
"""
)

FORWARD = (
    "ALTER TABLE search_engine_entry ADD COLUMN labels text[] NOT NULL DEFAULT '{}';"
    "ALTER TABLE search_engine_entry ALTER COLUMN labels SET STORAGE MAIN;"
    "UPDATE search_engine_entry e SET labels = "
    + LABELS_OF.format(article="e.article_id")
    + " WHERE EXISTS (SELECT 1 FROM search_articlelabel al WHERE al.article_id = e.article_id);"
    + HEAD
    + upsert(True)
    + WORDS
    + TRIGGERS
)
BACKWARD = (
    "DROP TRIGGER IF EXISTS search_engine_labels_added ON search_articlelabel;"
    "DROP TRIGGER IF EXISTS search_engine_labels_removed ON search_articlelabel;"
    "DROP TRIGGER IF EXISTS search_engine_label_renamed ON search_label;"
    "DROP FUNCTION IF EXISTS newsroom_search_labels_changed();"
    "DROP FUNCTION IF EXISTS newsroom_search_label_renamed();"
    + HEAD
    + upsert(False)
    + WORDS
    + "ALTER TABLE search_engine_entry DROP COLUMN IF EXISTS labels;"
)


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0020_triage"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
