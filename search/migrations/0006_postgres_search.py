"""The PostgreSQL search engine's tables (``search/engine/postgres``); nothing on SQLite.

``search_engine_entry`` holds what the engine searches: one row per public article, with one
stored, weighted ``tsvector`` (title A, body B) generated from its own columns and a GIN index
on exactly that column, so every query the engine makes can use the index. Triggers on the
article and its tag tables keep the row current in the same transaction as the article (a
hidden or deleted article loses its row at once); the engine's writer (``open_writer``) and
``rebuild`` write the same rows, for the contract's engine-neutral documents.

``newsroom_english`` is PostgreSQL's ``english`` with ``unaccent`` in front of the stemmer, so
"cafe" finds "Café"; a text search configuration named as a constant keeps ``to_tsvector``
immutable, as a generated column needs. Only the first 250,000 characters of a body are
indexed: a ``tsvector`` holds at most 1 MB and positions only up to 16,383, so a longer
article is still found by everything in its first ~40,000 words, and indexing never fails.

``search_engine_word`` is the archive's own vocabulary (unstemmed, unaccented words and how
many articles hold them), trigram-indexed for "did you mean" and for bounding prefix searches.
"""

from django.db import migrations

FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TEXT SEARCH CONFIGURATION newsroom_english (COPY = english);
ALTER TEXT SEARCH CONFIGURATION newsroom_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TEXT SEARCH CONFIGURATION newsroom_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION newsroom_words
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;

CREATE TABLE search_engine_entry (
    article_id bigint PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    published date,
    year smallint,
    ministers text[] NOT NULL DEFAULT '{}',
    topics text[] NOT NULL DEFAULT '{}',
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('newsroom_english'::regconfig, title), 'A')
        || setweight(to_tsvector('newsroom_english'::regconfig, left(body, 250000)), 'B')
    ) STORED
);
CREATE INDEX search_engine_entry_document ON search_engine_entry USING gin (document);
CREATE INDEX search_engine_entry_published ON search_engine_entry (published DESC, article_id);

CREATE TABLE search_engine_word (
    word text PRIMARY KEY,
    documents integer NOT NULL
);
CREATE INDEX search_engine_word_trigrams ON search_engine_word USING gin (word gin_trgm_ops);

-- The article's row as the engine holds it: upserted while public, removed otherwise. The
-- upsert leaves an unchanged row alone, so the tsvector is not recomputed for nothing.
CREATE FUNCTION newsroom_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
    DELETE FROM search_engine_entry e WHERE e.article_id = target AND NOT EXISTS (
        SELECT 1 FROM search_article a WHERE a.id = target AND a.status = 'published');
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
                          EXCLUDED.ministers, EXCLUDED.topics);
$$;

CREATE FUNCTION newsroom_search_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM newsroom_search_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END $$;

-- Tags change in bulk (one INSERT or DELETE for all of an article's ministers): once per
-- article and statement, and only the tag arrays, so the tsvector is not recomputed.
CREATE FUNCTION newsroom_search_tags_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE search_engine_entry e SET
        ministers = ARRAY(SELECT m.slug FROM search_article_ministers am
                          JOIN search_minister m ON m.id = am.minister_id
                          WHERE am.article_id = e.article_id ORDER BY m.slug),
        topics = ARRAY(SELECT t.slug FROM search_article_topics at
                       JOIN search_topic t ON t.id = at.topic_id
                       WHERE at.article_id = e.article_id ORDER BY t.slug)
    WHERE e.article_id IN (SELECT article_id FROM changed);
    RETURN NULL;
END $$;

CREATE TRIGGER search_engine_article AFTER INSERT OR UPDATE OR DELETE ON search_article
    FOR EACH ROW EXECUTE FUNCTION newsroom_search_article_changed();
CREATE TRIGGER search_engine_ministers_added AFTER INSERT ON search_article_ministers
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_tags_changed();
CREATE TRIGGER search_engine_ministers_removed AFTER DELETE ON search_article_ministers
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_tags_changed();
CREATE TRIGGER search_engine_topics_added AFTER INSERT ON search_article_topics
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_tags_changed();
CREATE TRIGGER search_engine_topics_removed AFTER DELETE ON search_article_topics
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION newsroom_search_tags_changed();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS search_engine_article ON search_article;
DROP TRIGGER IF EXISTS search_engine_ministers_added ON search_article_ministers;
DROP TRIGGER IF EXISTS search_engine_ministers_removed ON search_article_ministers;
DROP TRIGGER IF EXISTS search_engine_topics_added ON search_article_topics;
DROP TRIGGER IF EXISTS search_engine_topics_removed ON search_article_topics;
DROP FUNCTION IF EXISTS newsroom_search_tags_changed();
DROP FUNCTION IF EXISTS newsroom_search_article_changed();
DROP FUNCTION IF EXISTS newsroom_search_refresh(bigint);
DROP TABLE IF EXISTS search_engine_word;
DROP TABLE IF EXISTS search_engine_entry;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_words;
DROP TEXT SEARCH CONFIGURATION IF EXISTS newsroom_english;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0005_serve_saved_search_client")]

    operations = [migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD))]
