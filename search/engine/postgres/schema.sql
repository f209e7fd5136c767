-- GENERATED, NOT APPLIED. The PostgreSQL schema of a database after `manage.py migrate`:
-- every table (the archive's, the search engine's, Django's own apps'), with the engine's text
-- search configurations, functions, triggers and indexes, which its migrations (0006-0015)
-- create in raw SQL. The migrations make the schema; this file only shows it whole.
-- Dumped by `pg_dump --schema-only --no-owner --no-privileges --no-tablespaces` from a new
-- database, without pg_dump's opening lines (versions, a random key, a restore's settings).
-- Not here: the optional RUM index of migration 0014 (only where an operator created the
-- extension). A live database rebuilt by `rebuild_index` has the same tables, but its
-- engine's indexes and keys carry the rebuild's suffix in their names.
-- tests/engine/test_postgres_schema.py checks that it is current; to write it again:
--     NEWSROOM_WRITE_SCHEMA=1 .venv/bin/python -m pytest -q tests/engine/test_postgres_schema.py

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;


--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';


--
-- Name: unaccent; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;


--
-- Name: EXTENSION unaccent; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION unaccent IS 'text search dictionary that removes accents';


--
-- Name: newsroom_search_article_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_article_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF current_setting('newsroom.deferred_entries', true) = 'on' THEN
        RETURN NULL;
    END IF;
    PERFORM newsroom_search_refresh(CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
    RETURN NULL;
END $$;


--
-- Name: newsroom_search_compact_counts(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_compact_counts() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF pg_try_advisory_xact_lock(7301014) THEN
        WITH gone AS (DELETE FROM search_engine_count RETURNING *)
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM gone GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    END IF;
END $$;


--
-- Name: newsroom_search_count_changes(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_count_changes() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, 1 AS n FROM new_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM new_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, -1 AS n FROM old_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), -1 FROM old_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), -1 FROM old_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4;
    ELSE
        INSERT INTO search_engine_count (year, month, kind, tag, n)
        SELECT year, month, kind, tag, sum(n) FROM (
            SELECT year, extract(month FROM published)::smallint AS month, 'a'::"char" AS kind,
                ''::text AS tag, 1 AS n FROM new_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), 1 FROM new_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, extract(month FROM published)::smallint, 'a', '', -1
                FROM old_rows WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 'm', unnest(ministers), -1 FROM old_rows
                WHERE cluster IS NULL
            UNION ALL SELECT year, NULL, 't', unnest(topics), -1 FROM old_rows
                WHERE cluster IS NULL
        ) changes GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0;
    END IF;
    IF random() < 0.02 THEN
        PERFORM newsroom_search_compact_counts();
    END IF;
    RETURN NULL;
END $$;


--
-- Name: newsroom_search_label_renamed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_label_renamed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    UPDATE search_engine_entry SET labels = ARRAY(
        SELECT DISTINCT unnest(array_replace(labels, OLD.slug, NEW.slug)) ORDER BY 1)
    WHERE labels @> ARRAY[OLD.slug::text];
    RETURN NULL;
END $$;


--
-- Name: newsroom_search_labels_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_labels_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF current_setting('newsroom.deferred_entries', true) = 'on' THEN
        RETURN NULL;
    END IF;
    UPDATE search_engine_entry e SET labels = ARRAY(SELECT l.slug FROM search_articlelabel al
              JOIN search_label l ON l.id = al.label_id
              WHERE al.article_id = e.article_id ORDER BY l.slug)
    WHERE e.article_id IN (SELECT article_id FROM changed);
    RETURN NULL;
END $$;


--
-- Name: newsroom_search_refresh(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_refresh(target bigint) RETURNS void
    LANGUAGE sql
    AS $$
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
        cluster = EXCLUDED.cluster, labels = EXCLUDED.labels
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics, e.cluster, e.labels)
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics, EXCLUDED.cluster, EXCLUDED.labels)
        RETURNING e.title, e.body
    )
    INSERT INTO search_engine_word (word, documents)
    SELECT DISTINCT v.lexeme, 1 FROM written, unnest(
        to_tsvector('newsroom_words'::regconfig, written.title || ' ' || left(written.body, 250000))
    ) AS v WHERE length(v.lexeme) >= 2
    ORDER BY v.lexeme
    ON CONFLICT (word) DO NOTHING;
$$;


--
-- Name: newsroom_search_tags_changed(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.newsroom_search_tags_changed() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF current_setting('newsroom.deferred_entries', true) = 'on' THEN
        RETURN NULL;
    END IF;
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


--
-- Name: newsroom_english; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.newsroom_english (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR asciiword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR word WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR hword_part WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR hword_asciipart WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR asciihword WITH english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR hword WITH public.unaccent, english_stem;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_english
    ADD MAPPING FOR uint WITH simple;


--
-- Name: newsroom_words; Type: TEXT SEARCH CONFIGURATION; Schema: public; Owner: -
--

CREATE TEXT SEARCH CONFIGURATION public.newsroom_words (
    PARSER = pg_catalog."default" );

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR asciiword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR word WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR numword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR email WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR url WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR host WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR sfloat WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR version WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR hword_numpart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR hword_part WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR hword_asciipart WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR numhword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR asciihword WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR hword WITH public.unaccent, simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR url_path WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR file WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR "float" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR "int" WITH simple;

ALTER TEXT SEARCH CONFIGURATION public.newsroom_words
    ADD MAPPING FOR uint WITH simple;


SET default_table_access_method = heap;

--
-- Name: auth_group; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_group (
    id integer NOT NULL,
    name character varying(150) NOT NULL
);


--
-- Name: auth_group_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_group ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_group_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_group_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_group_permissions (
    id bigint NOT NULL,
    group_id integer NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: auth_group_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_group_permissions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_group_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_permission; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_permission (
    id integer NOT NULL,
    name character varying(255) NOT NULL,
    content_type_id integer NOT NULL,
    codename character varying(100) NOT NULL
);


--
-- Name: auth_permission_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_permission ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_permission_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_user; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_user (
    id integer NOT NULL,
    password character varying(128) NOT NULL,
    last_login timestamp with time zone,
    is_superuser boolean NOT NULL,
    username character varying(150) NOT NULL,
    first_name character varying(150) NOT NULL,
    last_name character varying(150) NOT NULL,
    email character varying(254) NOT NULL,
    is_staff boolean NOT NULL,
    is_active boolean NOT NULL,
    date_joined timestamp with time zone NOT NULL
);


--
-- Name: auth_user_groups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_user_groups (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    group_id integer NOT NULL
);


--
-- Name: auth_user_groups_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_user_groups ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_user_groups_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_user_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_user ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_user_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: auth_user_user_permissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.auth_user_user_permissions (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    permission_id integer NOT NULL
);


--
-- Name: auth_user_user_permissions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.auth_user_user_permissions ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.auth_user_user_permissions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_admin_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_admin_log (
    id integer NOT NULL,
    action_time timestamp with time zone NOT NULL,
    object_id text,
    object_repr character varying(200) NOT NULL,
    action_flag smallint NOT NULL,
    change_message text NOT NULL,
    content_type_id integer,
    user_id integer NOT NULL,
    CONSTRAINT django_admin_log_action_flag_check CHECK ((action_flag >= 0))
);


--
-- Name: django_admin_log_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_admin_log ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_admin_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_content_type; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_content_type (
    id integer NOT NULL,
    app_label character varying(100) NOT NULL,
    model character varying(100) NOT NULL
);


--
-- Name: django_content_type_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_content_type ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_content_type_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_migrations (
    id bigint NOT NULL,
    app character varying(255) NOT NULL,
    name character varying(255) NOT NULL,
    applied timestamp with time zone NOT NULL
);


--
-- Name: django_migrations_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.django_migrations ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.django_migrations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: django_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.django_session (
    session_key character varying(40) NOT NULL,
    session_data text NOT NULL,
    expire_date timestamp with time zone NOT NULL
);


--
-- Name: search_alert; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_alert (
    id bigint NOT NULL,
    frequency character varying(8) NOT NULL,
    digest_hour smallint NOT NULL,
    time_zone character varying(64) NOT NULL,
    active boolean NOT NULL,
    created timestamp with time zone NOT NULL,
    last_checked timestamp with time zone,
    owner_id integer NOT NULL,
    saved_search_id bigint NOT NULL,
    refused_address character varying(254) NOT NULL,
    refusal character varying(500) NOT NULL,
    refused_at timestamp with time zone,
    CONSTRAINT search_alert_digest_hour_check CHECK ((digest_hour >= 0))
);


--
-- Name: search_alert_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_alert ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_alert_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_alertdelivery; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_alertdelivery (
    id bigint NOT NULL,
    message_id character varying(200) NOT NULL,
    article_ids jsonb NOT NULL,
    new_matches integer NOT NULL,
    last_of_the_day boolean NOT NULL,
    created timestamp with time zone NOT NULL,
    sent timestamp with time zone,
    attempts integer NOT NULL,
    next_attempt timestamp with time zone NOT NULL,
    last_error character varying(500) NOT NULL,
    alert_id bigint NOT NULL,
    given_up timestamp with time zone,
    CONSTRAINT search_alertdelivery_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT search_alertdelivery_new_matches_check CHECK ((new_matches >= 0))
);


--
-- Name: search_alertdelivery_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_alertdelivery ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_alertdelivery_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_alertsentarticle; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_alertsentarticle (
    id bigint NOT NULL,
    article_id integer NOT NULL,
    alert_id bigint NOT NULL,
    delivery_id bigint
);


--
-- Name: search_alertsentarticle_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_alertsentarticle ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_alertsentarticle_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_apitoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_apitoken (
    id bigint NOT NULL,
    name character varying(100) NOT NULL,
    digest character varying(64) NOT NULL,
    prefix character varying(12) NOT NULL,
    created timestamp with time zone NOT NULL,
    last_used timestamp with time zone,
    user_id integer NOT NULL
);


--
-- Name: search_apitoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_apitoken ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_apitoken_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_article; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_article (
    id bigint NOT NULL,
    title character varying(500) NOT NULL,
    body text NOT NULL,
    raw text NOT NULL,
    raw_format character varying(10) NOT NULL,
    removed jsonb NOT NULL,
    cleaning_overrides jsonb NOT NULL,
    source_metadata jsonb NOT NULL,
    source_path character varying(1000) NOT NULL,
    source_url character varying(1000) NOT NULL,
    source_key character varying(300) NOT NULL,
    content_hash character varying(64) NOT NULL,
    published date,
    year smallint,
    status character varying(10) NOT NULL,
    manual_fields jsonb NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    line_hashes jsonb NOT NULL,
    story_cluster bigint,
    story_cluster_by_editor boolean NOT NULL,
    original_sha256 character varying(64) NOT NULL,
    CONSTRAINT search_article_year_check CHECK ((year >= 0))
);


--
-- Name: search_article_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_article ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_article_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_article_ministers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_article_ministers (
    id bigint NOT NULL,
    article_id bigint NOT NULL,
    minister_id bigint NOT NULL
);


--
-- Name: search_article_ministers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_article_ministers ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_article_ministers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_article_topics; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_article_topics (
    id bigint NOT NULL,
    article_id bigint NOT NULL,
    topic_id bigint NOT NULL
);


--
-- Name: search_article_topics_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_article_topics ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_article_topics_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_articlelabel; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_articlelabel (
    id bigint NOT NULL,
    added_at timestamp with time zone NOT NULL,
    added_by_id integer,
    article_id bigint NOT NULL,
    label_id bigint NOT NULL
);


--
-- Name: search_articlelabel_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_articlelabel ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_articlelabel_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_batchsearch; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_batchsearch (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    queries jsonb NOT NULL,
    filters character varying(2000) NOT NULL,
    status character varying(8) NOT NULL,
    rows jsonb NOT NULL,
    heartbeat timestamp with time zone,
    created timestamp with time zone NOT NULL,
    finished timestamp with time zone,
    previous_id bigint,
    user_id integer NOT NULL
);


--
-- Name: search_batchsearch_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_batchsearch ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_batchsearch_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_engine_count; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_engine_count (
    year smallint,
    month smallint,
    kind "char" NOT NULL,
    tag text NOT NULL,
    n integer NOT NULL
);


--
-- Name: search_engine_entry; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_engine_entry (
    article_id bigint NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    published date,
    year smallint,
    ministers text[] DEFAULT '{}'::text[] NOT NULL,
    topics text[] DEFAULT '{}'::text[] NOT NULL,
    document tsvector GENERATED ALWAYS AS ((setweight(to_tsvector('public.newsroom_english'::regconfig, title), 'A'::"char") || setweight(to_tsvector('public.newsroom_english'::regconfig, "left"(body, 250000)), 'B'::"char"))) STORED,
    cluster bigint,
    title_document tsvector GENERATED ALWAYS AS (to_tsvector('public.newsroom_english'::regconfig, title)) STORED,
    minister_key bigint GENERATED ALWAYS AS (hash_array_extended(ministers, (0)::bigint)) STORED,
    topic_key bigint GENERATED ALWAYS AS (hash_array_extended(topics, (0)::bigint)) STORED,
    labels text[] DEFAULT '{}'::text[] NOT NULL
)
WITH (toast_tuple_target='128');
ALTER TABLE ONLY public.search_engine_entry ALTER COLUMN ministers SET STORAGE MAIN;
ALTER TABLE ONLY public.search_engine_entry ALTER COLUMN topics SET STORAGE MAIN;
ALTER TABLE ONLY public.search_engine_entry ALTER COLUMN labels SET STORAGE MAIN;


--
-- Name: search_engine_word; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_engine_word (
    word text NOT NULL,
    documents integer NOT NULL
);


--
-- Name: search_exportrecord; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_exportrecord (
    id bigint NOT NULL,
    client character varying(32) NOT NULL,
    created timestamp with time zone NOT NULL
);


--
-- Name: search_exportrecord_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_exportrecord ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_exportrecord_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_feedtoken; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_feedtoken (
    id bigint NOT NULL,
    secret character varying(64) NOT NULL,
    created timestamp with time zone NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: search_feedtoken_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_feedtoken ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_feedtoken_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_formerministerslug; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_formerministerslug (
    id bigint NOT NULL,
    slug character varying(100) NOT NULL,
    created timestamp with time zone NOT NULL,
    minister_id bigint NOT NULL
);


--
-- Name: search_formerministerslug_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_formerministerslug ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_formerministerslug_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_label; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_label (
    id bigint NOT NULL,
    name character varying(60) NOT NULL,
    slug character varying(80) NOT NULL,
    colour character varying(10) NOT NULL,
    created timestamp with time zone NOT NULL,
    created_by_id integer
);


--
-- Name: search_label_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_label ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_label_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_labelaction; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_labelaction (
    id bigint NOT NULL,
    kind character varying(8) NOT NULL,
    query_string text NOT NULL,
    requested_ids jsonb NOT NULL,
    article_ids jsonb NOT NULL,
    total integer NOT NULL,
    done integer NOT NULL,
    status character varying(8) NOT NULL,
    created timestamp with time zone NOT NULL,
    label_id bigint NOT NULL,
    user_id integer NOT NULL,
    CONSTRAINT search_labelaction_done_check CHECK ((done >= 0)),
    CONSTRAINT search_labelaction_total_check CHECK ((total >= 0))
);


--
-- Name: search_labelaction_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_labelaction ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_labelaction_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_loginfailure; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_loginfailure (
    id bigint NOT NULL,
    account character varying(32) NOT NULL,
    client character varying(32) NOT NULL,
    created timestamp with time zone NOT NULL
);


--
-- Name: search_loginfailure_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_loginfailure ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_loginfailure_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_minister; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_minister (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    slug character varying(100) NOT NULL,
    country character varying(100) NOT NULL,
    office character varying(200) NOT NULL,
    aliases jsonb NOT NULL
);


--
-- Name: search_minister_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_minister ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_minister_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_nearduplicateband; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_nearduplicateband (
    key bigint NOT NULL,
    article_id bigint NOT NULL
);


--
-- Name: search_nearduplicatesignature; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_nearduplicatesignature (
    article_id bigint NOT NULL,
    signature bytea NOT NULL
);


--
-- Name: search_note; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_note (
    id bigint NOT NULL,
    text text NOT NULL,
    shared boolean NOT NULL,
    created timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    article_id bigint NOT NULL,
    author_id integer NOT NULL
);


--
-- Name: search_note_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_note ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_note_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_passwordresetrequest; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_passwordresetrequest (
    id bigint NOT NULL,
    account character varying(32) NOT NULL,
    client character varying(32) NOT NULL,
    created timestamp with time zone NOT NULL
);


--
-- Name: search_passwordresetrequest_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_passwordresetrequest ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_passwordresetrequest_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_pendingindexchange; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_pendingindexchange (
    id bigint NOT NULL,
    article_id bigint NOT NULL,
    created timestamp with time zone NOT NULL
);


--
-- Name: search_pendingindexchange_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_pendingindexchange ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_pendingindexchange_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_savedsearch; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_savedsearch (
    id bigint NOT NULL,
    name character varying(200) NOT NULL,
    slug character varying(32) NOT NULL,
    query_string character varying(2000) NOT NULL,
    featured boolean NOT NULL,
    created timestamp with time zone NOT NULL,
    client character varying(32) NOT NULL,
    owner_id integer,
    visibility character varying(8) NOT NULL
);


--
-- Name: search_savedsearch_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_savedsearch ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_savedsearch_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_sourcelinecount; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_sourcelinecount (
    id bigint NOT NULL,
    source_key character varying(300) NOT NULL,
    line_hash character varying(16) NOT NULL,
    articles integer NOT NULL,
    first_article_ids jsonb NOT NULL,
    CONSTRAINT search_sourcelinecount_articles_check CHECK ((articles >= 0))
);


--
-- Name: search_sourcelinecount_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_sourcelinecount ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_sourcelinecount_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_star; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_star (
    id bigint NOT NULL,
    created timestamp with time zone NOT NULL,
    article_id bigint NOT NULL,
    user_id integer NOT NULL
);


--
-- Name: search_star_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_star ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_star_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_topic; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.search_topic (
    id bigint NOT NULL,
    label character varying(200) NOT NULL,
    slug character varying(100) NOT NULL,
    keywords jsonb NOT NULL
);


--
-- Name: search_topic_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.search_topic ALTER COLUMN id ADD GENERATED BY DEFAULT AS IDENTITY (
    SEQUENCE NAME public.search_topic_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: search_alertsentarticle article_sent_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertsentarticle
    ADD CONSTRAINT article_sent_once UNIQUE (alert_id, article_id);


--
-- Name: auth_group auth_group_name_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group
    ADD CONSTRAINT auth_group_name_key UNIQUE (name);


--
-- Name: auth_group_permissions auth_group_permissions_group_id_permission_id_0cd325b0_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_permission_id_0cd325b0_uniq UNIQUE (group_id, permission_id);


--
-- Name: auth_group_permissions auth_group_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_pkey PRIMARY KEY (id);


--
-- Name: auth_group auth_group_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group
    ADD CONSTRAINT auth_group_pkey PRIMARY KEY (id);


--
-- Name: auth_permission auth_permission_content_type_id_codename_01ab375a_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_codename_01ab375a_uniq UNIQUE (content_type_id, codename);


--
-- Name: auth_permission auth_permission_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_pkey PRIMARY KEY (id);


--
-- Name: auth_user_groups auth_user_groups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_groups
    ADD CONSTRAINT auth_user_groups_pkey PRIMARY KEY (id);


--
-- Name: auth_user_groups auth_user_groups_user_id_group_id_94350c0c_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_groups
    ADD CONSTRAINT auth_user_groups_user_id_group_id_94350c0c_uniq UNIQUE (user_id, group_id);


--
-- Name: auth_user auth_user_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_pkey PRIMARY KEY (id);


--
-- Name: auth_user_user_permissions auth_user_user_permissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_pkey PRIMARY KEY (id);


--
-- Name: auth_user_user_permissions auth_user_user_permissions_user_id_permission_id_14a6b632_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_user_id_permission_id_14a6b632_uniq UNIQUE (user_id, permission_id);


--
-- Name: auth_user auth_user_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user
    ADD CONSTRAINT auth_user_username_key UNIQUE (username);


--
-- Name: django_admin_log django_admin_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_pkey PRIMARY KEY (id);


--
-- Name: django_content_type django_content_type_app_label_model_76bd3d3b_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_content_type
    ADD CONSTRAINT django_content_type_app_label_model_76bd3d3b_uniq UNIQUE (app_label, model);


--
-- Name: django_content_type django_content_type_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_content_type
    ADD CONSTRAINT django_content_type_pkey PRIMARY KEY (id);


--
-- Name: django_migrations django_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_migrations
    ADD CONSTRAINT django_migrations_pkey PRIMARY KEY (id);


--
-- Name: django_session django_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_session
    ADD CONSTRAINT django_session_pkey PRIMARY KEY (session_key);


--
-- Name: search_articlelabel label_once_per_article; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_articlelabel
    ADD CONSTRAINT label_once_per_article UNIQUE (article_id, label_id);


--
-- Name: search_alert one_alert_per_search; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alert
    ADD CONSTRAINT one_alert_per_search UNIQUE (owner_id, saved_search_id);


--
-- Name: search_star one_star_per_user; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_star
    ADD CONSTRAINT one_star_per_user UNIQUE (user_id, article_id);


--
-- Name: search_alert search_alert_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alert
    ADD CONSTRAINT search_alert_pkey PRIMARY KEY (id);


--
-- Name: search_alertdelivery search_alertdelivery_message_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertdelivery
    ADD CONSTRAINT search_alertdelivery_message_id_key UNIQUE (message_id);


--
-- Name: search_alertdelivery search_alertdelivery_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertdelivery
    ADD CONSTRAINT search_alertdelivery_pkey PRIMARY KEY (id);


--
-- Name: search_alertsentarticle search_alertsentarticle_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertsentarticle
    ADD CONSTRAINT search_alertsentarticle_pkey PRIMARY KEY (id);


--
-- Name: search_apitoken search_apitoken_digest_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_apitoken
    ADD CONSTRAINT search_apitoken_digest_key UNIQUE (digest);


--
-- Name: search_apitoken search_apitoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_apitoken
    ADD CONSTRAINT search_apitoken_pkey PRIMARY KEY (id);


--
-- Name: search_article_ministers search_article_ministers_article_id_minister_id_ee7ef862_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_ministers
    ADD CONSTRAINT search_article_ministers_article_id_minister_id_ee7ef862_uniq UNIQUE (article_id, minister_id);


--
-- Name: search_article_ministers search_article_ministers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_ministers
    ADD CONSTRAINT search_article_ministers_pkey PRIMARY KEY (id);


--
-- Name: search_article search_article_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article
    ADD CONSTRAINT search_article_pkey PRIMARY KEY (id);


--
-- Name: search_article_topics search_article_topics_article_id_topic_id_d68d1122_uniq; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_topics
    ADD CONSTRAINT search_article_topics_article_id_topic_id_d68d1122_uniq UNIQUE (article_id, topic_id);


--
-- Name: search_article_topics search_article_topics_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_topics
    ADD CONSTRAINT search_article_topics_pkey PRIMARY KEY (id);


--
-- Name: search_articlelabel search_articlelabel_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_articlelabel
    ADD CONSTRAINT search_articlelabel_pkey PRIMARY KEY (id);


--
-- Name: search_batchsearch search_batchsearch_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_batchsearch
    ADD CONSTRAINT search_batchsearch_pkey PRIMARY KEY (id);


--
-- Name: search_engine_entry search_engine_entry_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_engine_entry
    ADD CONSTRAINT search_engine_entry_pkey PRIMARY KEY (article_id);


--
-- Name: search_engine_word search_engine_word_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_engine_word
    ADD CONSTRAINT search_engine_word_pkey PRIMARY KEY (word);


--
-- Name: search_exportrecord search_exportrecord_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_exportrecord
    ADD CONSTRAINT search_exportrecord_pkey PRIMARY KEY (id);


--
-- Name: search_feedtoken search_feedtoken_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_feedtoken
    ADD CONSTRAINT search_feedtoken_pkey PRIMARY KEY (id);


--
-- Name: search_feedtoken search_feedtoken_user_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_feedtoken
    ADD CONSTRAINT search_feedtoken_user_id_key UNIQUE (user_id);


--
-- Name: search_formerministerslug search_formerministerslug_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_formerministerslug
    ADD CONSTRAINT search_formerministerslug_pkey PRIMARY KEY (id);


--
-- Name: search_formerministerslug search_formerministerslug_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_formerministerslug
    ADD CONSTRAINT search_formerministerslug_slug_key UNIQUE (slug);


--
-- Name: search_label search_label_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_label
    ADD CONSTRAINT search_label_pkey PRIMARY KEY (id);


--
-- Name: search_label search_label_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_label
    ADD CONSTRAINT search_label_slug_key UNIQUE (slug);


--
-- Name: search_labelaction search_labelaction_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_labelaction
    ADD CONSTRAINT search_labelaction_pkey PRIMARY KEY (id);


--
-- Name: search_loginfailure search_loginfailure_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_loginfailure
    ADD CONSTRAINT search_loginfailure_pkey PRIMARY KEY (id);


--
-- Name: search_minister search_minister_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_minister
    ADD CONSTRAINT search_minister_pkey PRIMARY KEY (id);


--
-- Name: search_minister search_minister_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_minister
    ADD CONSTRAINT search_minister_slug_key UNIQUE (slug);


--
-- Name: search_nearduplicateband search_nearduplicateband_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_nearduplicateband
    ADD CONSTRAINT search_nearduplicateband_pkey PRIMARY KEY (key, article_id);


--
-- Name: search_nearduplicatesignature search_nearduplicatesignature_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_nearduplicatesignature
    ADD CONSTRAINT search_nearduplicatesignature_pkey PRIMARY KEY (article_id);


--
-- Name: search_note search_note_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_note
    ADD CONSTRAINT search_note_pkey PRIMARY KEY (id);


--
-- Name: search_passwordresetrequest search_passwordresetrequest_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_passwordresetrequest
    ADD CONSTRAINT search_passwordresetrequest_pkey PRIMARY KEY (id);


--
-- Name: search_pendingindexchange search_pendingindexchange_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_pendingindexchange
    ADD CONSTRAINT search_pendingindexchange_pkey PRIMARY KEY (id);


--
-- Name: search_savedsearch search_savedsearch_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_savedsearch
    ADD CONSTRAINT search_savedsearch_pkey PRIMARY KEY (id);


--
-- Name: search_savedsearch search_savedsearch_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_savedsearch
    ADD CONSTRAINT search_savedsearch_slug_key UNIQUE (slug);


--
-- Name: search_sourcelinecount search_sourcelinecount_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_sourcelinecount
    ADD CONSTRAINT search_sourcelinecount_pkey PRIMARY KEY (id);


--
-- Name: search_star search_star_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_star
    ADD CONSTRAINT search_star_pkey PRIMARY KEY (id);


--
-- Name: search_topic search_topic_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_topic
    ADD CONSTRAINT search_topic_pkey PRIMARY KEY (id);


--
-- Name: search_topic search_topic_slug_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_topic
    ADD CONSTRAINT search_topic_slug_key UNIQUE (slug);


--
-- Name: search_sourcelinecount unique_source_line_count; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_sourcelinecount
    ADD CONSTRAINT unique_source_line_count UNIQUE (source_key, line_hash);


--
-- Name: auth_group_name_a6ea08ec_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_name_a6ea08ec_like ON public.auth_group USING btree (name varchar_pattern_ops);


--
-- Name: auth_group_permissions_group_id_b120cbf9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_group_id_b120cbf9 ON public.auth_group_permissions USING btree (group_id);


--
-- Name: auth_group_permissions_permission_id_84c5c92e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_group_permissions_permission_id_84c5c92e ON public.auth_group_permissions USING btree (permission_id);


--
-- Name: auth_permission_content_type_id_2f476e4b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_permission_content_type_id_2f476e4b ON public.auth_permission USING btree (content_type_id);


--
-- Name: auth_user_groups_group_id_97559544; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_groups_group_id_97559544 ON public.auth_user_groups USING btree (group_id);


--
-- Name: auth_user_groups_user_id_6a12ed8b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_groups_user_id_6a12ed8b ON public.auth_user_groups USING btree (user_id);


--
-- Name: auth_user_user_permissions_permission_id_1fbb5f2c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_user_permissions_permission_id_1fbb5f2c ON public.auth_user_user_permissions USING btree (permission_id);


--
-- Name: auth_user_user_permissions_user_id_a95ead1b; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_user_permissions_user_id_a95ead1b ON public.auth_user_user_permissions USING btree (user_id);


--
-- Name: auth_user_username_6821ab7c_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX auth_user_username_6821ab7c_like ON public.auth_user USING btree (username varchar_pattern_ops);


--
-- Name: batch_status_heartbeat; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX batch_status_heartbeat ON public.search_batchsearch USING btree (status, heartbeat);


--
-- Name: django_admin_log_content_type_id_c4bce8eb; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_content_type_id_c4bce8eb ON public.django_admin_log USING btree (content_type_id);


--
-- Name: django_admin_log_user_id_c564eba6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_admin_log_user_id_c564eba6 ON public.django_admin_log USING btree (user_id);


--
-- Name: django_session_expire_date_a5c62663; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_expire_date_a5c62663 ON public.django_session USING btree (expire_date);


--
-- Name: django_session_session_key_c0390e0f_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX django_session_session_key_c0390e0f_like ON public.django_session USING btree (session_key varchar_pattern_ops);


--
-- Name: label_name_unique_any_case; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX label_name_unique_any_case ON public.search_label USING btree (lower((name)::text));


--
-- Name: search_alert_owner_id_069ec5d6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alert_owner_id_069ec5d6 ON public.search_alert USING btree (owner_id);


--
-- Name: search_alert_saved_search_id_b1f0d17d; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alert_saved_search_id_b1f0d17d ON public.search_alert USING btree (saved_search_id);


--
-- Name: search_alertdelivery_alert_id_3d6ce668; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertdelivery_alert_id_3d6ce668 ON public.search_alertdelivery USING btree (alert_id);


--
-- Name: search_alertdelivery_created_c7f7aa2a; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertdelivery_created_c7f7aa2a ON public.search_alertdelivery USING btree (created);


--
-- Name: search_alertdelivery_message_id_35703838_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertdelivery_message_id_35703838_like ON public.search_alertdelivery USING btree (message_id varchar_pattern_ops);


--
-- Name: search_alertdelivery_next_attempt_e8b31ec0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertdelivery_next_attempt_e8b31ec0 ON public.search_alertdelivery USING btree (next_attempt);


--
-- Name: search_alertdelivery_sent_c5c8d432; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertdelivery_sent_c5c8d432 ON public.search_alertdelivery USING btree (sent);


--
-- Name: search_alertsentarticle_alert_id_a3df1840; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertsentarticle_alert_id_a3df1840 ON public.search_alertsentarticle USING btree (alert_id);


--
-- Name: search_alertsentarticle_delivery_id_343c8532; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_alertsentarticle_delivery_id_343c8532 ON public.search_alertsentarticle USING btree (delivery_id);


--
-- Name: search_apitoken_digest_8b02e03c_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_apitoken_digest_8b02e03c_like ON public.search_apitoken USING btree (digest varchar_pattern_ops);


--
-- Name: search_apitoken_user_id_4fe92306; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_apitoken_user_id_4fe92306 ON public.search_apitoken USING btree (user_id);


--
-- Name: search_article_content_hash_8dfcccba; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_content_hash_8dfcccba ON public.search_article USING btree (content_hash);


--
-- Name: search_article_content_hash_8dfcccba_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_content_hash_8dfcccba_like ON public.search_article USING btree (content_hash varchar_pattern_ops);


--
-- Name: search_article_ministers_article_id_ffc5100e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_ministers_article_id_ffc5100e ON public.search_article_ministers USING btree (article_id);


--
-- Name: search_article_ministers_minister_id_3954489c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_ministers_minister_id_3954489c ON public.search_article_ministers USING btree (minister_id);


--
-- Name: search_article_published_b01ca2a4; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_published_b01ca2a4 ON public.search_article USING btree (published);


--
-- Name: search_article_source_key_e9dd6701; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_key_e9dd6701 ON public.search_article USING btree (source_key);


--
-- Name: search_article_source_key_e9dd6701_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_key_e9dd6701_like ON public.search_article USING btree (source_key varchar_pattern_ops);


--
-- Name: search_article_source_path_c11e4163; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_path_c11e4163 ON public.search_article USING btree (source_path);


--
-- Name: search_article_source_path_c11e4163_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_path_c11e4163_like ON public.search_article USING btree (source_path varchar_pattern_ops);


--
-- Name: search_article_source_url_8b6cfc32; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_url_8b6cfc32 ON public.search_article USING btree (source_url);


--
-- Name: search_article_source_url_8b6cfc32_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_source_url_8b6cfc32_like ON public.search_article USING btree (source_url varchar_pattern_ops);


--
-- Name: search_article_status_3b99fc49; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_status_3b99fc49 ON public.search_article USING btree (status);


--
-- Name: search_article_status_3b99fc49_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_status_3b99fc49_like ON public.search_article USING btree (status varchar_pattern_ops);


--
-- Name: search_article_story_cluster_be4b7b53; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_story_cluster_be4b7b53 ON public.search_article USING btree (story_cluster);


--
-- Name: search_article_topics_article_id_123dc0ea; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_topics_article_id_123dc0ea ON public.search_article_topics USING btree (article_id);


--
-- Name: search_article_topics_topic_id_a34150b3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_topics_topic_id_a34150b3 ON public.search_article_topics USING btree (topic_id);


--
-- Name: search_article_updated; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_updated ON public.search_article USING btree (updated);


--
-- Name: search_article_year_e5ae71e7; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_article_year_e5ae71e7 ON public.search_article USING btree (year);


--
-- Name: search_articlelabel_added_by_id_f330c4de; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_articlelabel_added_by_id_f330c4de ON public.search_articlelabel USING btree (added_by_id);


--
-- Name: search_articlelabel_article_id_6cdb184c; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_articlelabel_article_id_6cdb184c ON public.search_articlelabel USING btree (article_id);


--
-- Name: search_articlelabel_label_id_8973eb62; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_articlelabel_label_id_8973eb62 ON public.search_articlelabel USING btree (label_id);


--
-- Name: search_batchsearch_created_4f2be3c6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_batchsearch_created_4f2be3c6 ON public.search_batchsearch USING btree (created);


--
-- Name: search_batchsearch_previous_id_08cdda69; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_batchsearch_previous_id_08cdda69 ON public.search_batchsearch USING btree (previous_id);


--
-- Name: search_batchsearch_user_id_031233b1; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_batchsearch_user_id_031233b1 ON public.search_batchsearch USING btree (user_id);


--
-- Name: search_engine_entry_cluster; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_cluster ON public.search_engine_entry USING btree (cluster) WHERE (cluster IS NOT NULL);


--
-- Name: search_engine_entry_document; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_document ON public.search_engine_entry USING gin (document);


--
-- Name: search_engine_entry_labelled; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_labelled ON public.search_engine_entry USING btree (article_id) WHERE (labels <> '{}'::text[]);


--
-- Name: search_engine_entry_newest; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_newest ON public.search_engine_entry USING btree (published DESC NULLS LAST, article_id DESC);


--
-- Name: search_engine_entry_published; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_published ON public.search_engine_entry USING btree (published DESC, article_id);


--
-- Name: search_engine_entry_title; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_entry_title ON public.search_engine_entry USING gin (title_document);


--
-- Name: search_engine_word_trigrams; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_engine_word_trigrams ON public.search_engine_word USING gin (word public.gin_trgm_ops);


--
-- Name: search_exportrecord_client_45a8d3c0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_exportrecord_client_45a8d3c0 ON public.search_exportrecord USING btree (client);


--
-- Name: search_exportrecord_client_45a8d3c0_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_exportrecord_client_45a8d3c0_like ON public.search_exportrecord USING btree (client varchar_pattern_ops);


--
-- Name: search_exportrecord_created_b503f176; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_exportrecord_created_b503f176 ON public.search_exportrecord USING btree (created);


--
-- Name: search_formerministerslug_minister_id_77a55f05; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_formerministerslug_minister_id_77a55f05 ON public.search_formerministerslug USING btree (minister_id);


--
-- Name: search_formerministerslug_slug_932f2d12_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_formerministerslug_slug_932f2d12_like ON public.search_formerministerslug USING btree (slug varchar_pattern_ops);


--
-- Name: search_label_created_by_id_c6855a17; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_label_created_by_id_c6855a17 ON public.search_label USING btree (created_by_id);


--
-- Name: search_label_slug_fc2c7631_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_label_slug_fc2c7631_like ON public.search_label USING btree (slug varchar_pattern_ops);


--
-- Name: search_labelaction_label_id_8eedde8e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_labelaction_label_id_8eedde8e ON public.search_labelaction USING btree (label_id);


--
-- Name: search_labelaction_user_id_2269e4a6; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_labelaction_user_id_2269e4a6 ON public.search_labelaction USING btree (user_id);


--
-- Name: search_loginfailure_account_6dd347bf; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_loginfailure_account_6dd347bf ON public.search_loginfailure USING btree (account);


--
-- Name: search_loginfailure_account_6dd347bf_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_loginfailure_account_6dd347bf_like ON public.search_loginfailure USING btree (account varchar_pattern_ops);


--
-- Name: search_loginfailure_client_47d9ba46; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_loginfailure_client_47d9ba46 ON public.search_loginfailure USING btree (client);


--
-- Name: search_loginfailure_client_47d9ba46_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_loginfailure_client_47d9ba46_like ON public.search_loginfailure USING btree (client varchar_pattern_ops);


--
-- Name: search_loginfailure_created_de6776b7; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_loginfailure_created_de6776b7 ON public.search_loginfailure USING btree (created);


--
-- Name: search_minister_slug_105ec03f_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_minister_slug_105ec03f_like ON public.search_minister USING btree (slug varchar_pattern_ops);


--
-- Name: search_nearduplicateband_article_id_ef624610; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_nearduplicateband_article_id_ef624610 ON public.search_nearduplicateband USING btree (article_id);


--
-- Name: search_note_article_id_a73ac945; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_note_article_id_a73ac945 ON public.search_note USING btree (article_id);


--
-- Name: search_note_author_id_b1822fb2; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_note_author_id_b1822fb2 ON public.search_note USING btree (author_id);


--
-- Name: search_note_created_c160e2c3; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_note_created_c160e2c3 ON public.search_note USING btree (created);


--
-- Name: search_passwordresetrequest_account_fde210a9; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_passwordresetrequest_account_fde210a9 ON public.search_passwordresetrequest USING btree (account);


--
-- Name: search_passwordresetrequest_account_fde210a9_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_passwordresetrequest_account_fde210a9_like ON public.search_passwordresetrequest USING btree (account varchar_pattern_ops);


--
-- Name: search_passwordresetrequest_client_825c0987; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_passwordresetrequest_client_825c0987 ON public.search_passwordresetrequest USING btree (client);


--
-- Name: search_passwordresetrequest_client_825c0987_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_passwordresetrequest_client_825c0987_like ON public.search_passwordresetrequest USING btree (client varchar_pattern_ops);


--
-- Name: search_passwordresetrequest_created_b095094d; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_passwordresetrequest_created_b095094d ON public.search_passwordresetrequest USING btree (created);


--
-- Name: search_pendingindexchange_article_id_5c6cac67; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_pendingindexchange_article_id_5c6cac67 ON public.search_pendingindexchange USING btree (article_id);


--
-- Name: search_savedsearch_client_fee99748; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_savedsearch_client_fee99748 ON public.search_savedsearch USING btree (client);


--
-- Name: search_savedsearch_client_fee99748_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_savedsearch_client_fee99748_like ON public.search_savedsearch USING btree (client varchar_pattern_ops);


--
-- Name: search_savedsearch_created_84c4dd23; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_savedsearch_created_84c4dd23 ON public.search_savedsearch USING btree (created);


--
-- Name: search_savedsearch_owner_id_d00820fe; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_savedsearch_owner_id_d00820fe ON public.search_savedsearch USING btree (owner_id);


--
-- Name: search_savedsearch_slug_2a8b7892_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_savedsearch_slug_2a8b7892_like ON public.search_savedsearch USING btree (slug varchar_pattern_ops);


--
-- Name: search_star_article_id_7bc5e1d0; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_star_article_id_7bc5e1d0 ON public.search_star USING btree (article_id);


--
-- Name: search_star_user_id_e5f86d8e; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_star_user_id_e5f86d8e ON public.search_star USING btree (user_id);


--
-- Name: search_topic_slug_54de33e6_like; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX search_topic_slug_54de33e6_like ON public.search_topic USING btree (slug varchar_pattern_ops);


--
-- Name: search_article search_engine_article; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_article AFTER INSERT OR DELETE OR UPDATE ON public.search_article FOR EACH ROW EXECUTE FUNCTION public.newsroom_search_article_changed();


--
-- Name: search_engine_entry search_engine_counted_deletes; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_counted_deletes AFTER DELETE ON public.search_engine_entry REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_count_changes();


--
-- Name: search_engine_entry search_engine_counted_inserts; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_counted_inserts AFTER INSERT ON public.search_engine_entry REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_count_changes();


--
-- Name: search_engine_entry search_engine_counted_updates; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_counted_updates AFTER UPDATE ON public.search_engine_entry REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_count_changes();


--
-- Name: search_label search_engine_label_renamed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_label_renamed AFTER UPDATE OF slug ON public.search_label FOR EACH ROW WHEN (((old.slug)::text IS DISTINCT FROM (new.slug)::text)) EXECUTE FUNCTION public.newsroom_search_label_renamed();


--
-- Name: search_articlelabel search_engine_labels_added; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_labels_added AFTER INSERT ON public.search_articlelabel REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_labels_changed();


--
-- Name: search_articlelabel search_engine_labels_removed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_labels_removed AFTER DELETE ON public.search_articlelabel REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_labels_changed();


--
-- Name: search_article_ministers search_engine_ministers_added; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_ministers_added AFTER INSERT ON public.search_article_ministers REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_tags_changed();


--
-- Name: search_article_ministers search_engine_ministers_removed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_ministers_removed AFTER DELETE ON public.search_article_ministers REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_tags_changed();


--
-- Name: search_article_topics search_engine_topics_added; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_topics_added AFTER INSERT ON public.search_article_topics REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_tags_changed();


--
-- Name: search_article_topics search_engine_topics_removed; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER search_engine_topics_removed AFTER DELETE ON public.search_article_topics REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.newsroom_search_tags_changed();


--
-- Name: auth_group_permissions auth_group_permissio_permission_id_84c5c92e_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissio_permission_id_84c5c92e_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_group_permissions auth_group_permissions_group_id_b120cbf9_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_group_permissions
    ADD CONSTRAINT auth_group_permissions_group_id_b120cbf9_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_permission auth_permission_content_type_id_2f476e4b_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_permission
    ADD CONSTRAINT auth_permission_content_type_id_2f476e4b_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_groups auth_user_groups_group_id_97559544_fk_auth_group_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_groups
    ADD CONSTRAINT auth_user_groups_group_id_97559544_fk_auth_group_id FOREIGN KEY (group_id) REFERENCES public.auth_group(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_groups auth_user_groups_user_id_6a12ed8b_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_groups
    ADD CONSTRAINT auth_user_groups_user_id_6a12ed8b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_user_permissions auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permi_permission_id_1fbb5f2c_fk_auth_perm FOREIGN KEY (permission_id) REFERENCES public.auth_permission(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: auth_user_user_permissions auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.auth_user_user_permissions
    ADD CONSTRAINT auth_user_user_permissions_user_id_a95ead1b_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_content_type_id_c4bce8eb_fk_django_co; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_content_type_id_c4bce8eb_fk_django_co FOREIGN KEY (content_type_id) REFERENCES public.django_content_type(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: django_admin_log django_admin_log_user_id_c564eba6_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.django_admin_log
    ADD CONSTRAINT django_admin_log_user_id_c564eba6_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_alert search_alert_owner_id_069ec5d6_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alert
    ADD CONSTRAINT search_alert_owner_id_069ec5d6_fk_auth_user_id FOREIGN KEY (owner_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_alert search_alert_saved_search_id_b1f0d17d_fk_search_savedsearch_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alert
    ADD CONSTRAINT search_alert_saved_search_id_b1f0d17d_fk_search_savedsearch_id FOREIGN KEY (saved_search_id) REFERENCES public.search_savedsearch(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_alertdelivery search_alertdelivery_alert_id_3d6ce668_fk_search_alert_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertdelivery
    ADD CONSTRAINT search_alertdelivery_alert_id_3d6ce668_fk_search_alert_id FOREIGN KEY (alert_id) REFERENCES public.search_alert(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_alertsentarticle search_alertsentarti_delivery_id_343c8532_fk_search_al; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertsentarticle
    ADD CONSTRAINT search_alertsentarti_delivery_id_343c8532_fk_search_al FOREIGN KEY (delivery_id) REFERENCES public.search_alertdelivery(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_alertsentarticle search_alertsentarticle_alert_id_a3df1840_fk_search_alert_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_alertsentarticle
    ADD CONSTRAINT search_alertsentarticle_alert_id_a3df1840_fk_search_alert_id FOREIGN KEY (alert_id) REFERENCES public.search_alert(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_apitoken search_apitoken_user_id_4fe92306_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_apitoken
    ADD CONSTRAINT search_apitoken_user_id_4fe92306_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_article_ministers search_article_minis_article_id_ffc5100e_fk_search_ar; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_ministers
    ADD CONSTRAINT search_article_minis_article_id_ffc5100e_fk_search_ar FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_article_ministers search_article_minis_minister_id_3954489c_fk_search_mi; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_ministers
    ADD CONSTRAINT search_article_minis_minister_id_3954489c_fk_search_mi FOREIGN KEY (minister_id) REFERENCES public.search_minister(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_article_topics search_article_topics_article_id_123dc0ea_fk_search_article_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_topics
    ADD CONSTRAINT search_article_topics_article_id_123dc0ea_fk_search_article_id FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_article_topics search_article_topics_topic_id_a34150b3_fk_search_topic_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_article_topics
    ADD CONSTRAINT search_article_topics_topic_id_a34150b3_fk_search_topic_id FOREIGN KEY (topic_id) REFERENCES public.search_topic(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_articlelabel search_articlelabel_added_by_id_f330c4de_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_articlelabel
    ADD CONSTRAINT search_articlelabel_added_by_id_f330c4de_fk_auth_user_id FOREIGN KEY (added_by_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_articlelabel search_articlelabel_article_id_6cdb184c_fk_search_article_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_articlelabel
    ADD CONSTRAINT search_articlelabel_article_id_6cdb184c_fk_search_article_id FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_articlelabel search_articlelabel_label_id_8973eb62_fk_search_label_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_articlelabel
    ADD CONSTRAINT search_articlelabel_label_id_8973eb62_fk_search_label_id FOREIGN KEY (label_id) REFERENCES public.search_label(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_batchsearch search_batchsearch_previous_id_08cdda69_fk_search_ba; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_batchsearch
    ADD CONSTRAINT search_batchsearch_previous_id_08cdda69_fk_search_ba FOREIGN KEY (previous_id) REFERENCES public.search_batchsearch(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_batchsearch search_batchsearch_user_id_031233b1_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_batchsearch
    ADD CONSTRAINT search_batchsearch_user_id_031233b1_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_feedtoken search_feedtoken_user_id_84c7b002_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_feedtoken
    ADD CONSTRAINT search_feedtoken_user_id_84c7b002_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_formerministerslug search_formerministe_minister_id_77a55f05_fk_search_mi; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_formerministerslug
    ADD CONSTRAINT search_formerministe_minister_id_77a55f05_fk_search_mi FOREIGN KEY (minister_id) REFERENCES public.search_minister(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_label search_label_created_by_id_c6855a17_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_label
    ADD CONSTRAINT search_label_created_by_id_c6855a17_fk_auth_user_id FOREIGN KEY (created_by_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_labelaction search_labelaction_label_id_8eedde8e_fk_search_label_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_labelaction
    ADD CONSTRAINT search_labelaction_label_id_8eedde8e_fk_search_label_id FOREIGN KEY (label_id) REFERENCES public.search_label(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_labelaction search_labelaction_user_id_2269e4a6_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_labelaction
    ADD CONSTRAINT search_labelaction_user_id_2269e4a6_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_nearduplicatesignature search_nearduplicate_article_id_3eaf5c59_fk_search_ar; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_nearduplicatesignature
    ADD CONSTRAINT search_nearduplicate_article_id_3eaf5c59_fk_search_ar FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_nearduplicateband search_nearduplicate_article_id_ef624610_fk_search_ar; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_nearduplicateband
    ADD CONSTRAINT search_nearduplicate_article_id_ef624610_fk_search_ar FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_note search_note_article_id_a73ac945_fk_search_article_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_note
    ADD CONSTRAINT search_note_article_id_a73ac945_fk_search_article_id FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_note search_note_author_id_b1822fb2_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_note
    ADD CONSTRAINT search_note_author_id_b1822fb2_fk_auth_user_id FOREIGN KEY (author_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_savedsearch search_savedsearch_owner_id_d00820fe_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_savedsearch
    ADD CONSTRAINT search_savedsearch_owner_id_d00820fe_fk_auth_user_id FOREIGN KEY (owner_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_star search_star_article_id_7bc5e1d0_fk_search_article_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_star
    ADD CONSTRAINT search_star_article_id_7bc5e1d0_fk_search_article_id FOREIGN KEY (article_id) REFERENCES public.search_article(id) DEFERRABLE INITIALLY DEFERRED;


--
-- Name: search_star search_star_user_id_e5f86d8e_fk_auth_user_id; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.search_star
    ADD CONSTRAINT search_star_user_id_e5f86d8e_fk_auth_user_id FOREIGN KEY (user_id) REFERENCES public.auth_user(id) DEFERRABLE INITIALLY DEFERRED;
