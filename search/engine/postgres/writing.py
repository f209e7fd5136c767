"""The write side: the writer, the atomic rebuild, and what the upkeep commands read.

Articles reach ``search_engine_entry`` in their own transaction through the triggers the
migration installs; this writer is the contract's way in (engine-neutral documents, as
``search.operations.index_sync`` applies them after each commit), and is serialised like the
embedded engine's: one writer at a time (a transaction-scoped advisory lock), ``IndexBusy`` when the
lock is not had within the timeout.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import connections, transaction
from django.db.utils import OperationalError

from search.documents import IndexDocument
from search.engine.errors import IndexBusy, IndexUnavailable
from search.engine.postgres import browse_counts
from search.engine.postgres.connection import (
    SETUP_HINT,
    WRITE_DATABASE,
    reading,
    require_postgresql,
    writing,
)

WRITER_LOCK = 7_301_013  # pg_advisory_xact_lock key: "the search index's writer"
LOCK_NOT_AVAILABLE = "55P03"
COPY_BATCH = 1000
# As migration 0011 sets it: the text and tsvector out of the rows the facet counts read.
TOAST_TUPLE_TARGET = 128
COLUMNS = (
    "article_id", "title", "body", "published", "year", "ministers", "topics", "cluster", "labels"
)  # fmt: skip
UPSERT = f"""
    INSERT INTO search_engine_entry AS e ({", ".join(COLUMNS)})
    VALUES ({", ".join(["%s"] * len(COLUMNS))})
    ON CONFLICT (article_id) DO UPDATE SET
        title = EXCLUDED.title, body = EXCLUDED.body, published = EXCLUDED.published,
        year = EXCLUDED.year, ministers = EXCLUDED.ministers, topics = EXCLUDED.topics,
        cluster = EXCLUDED.cluster, labels = EXCLUDED.labels
    WHERE (e.title, e.body, e.published, e.year, e.ministers, e.topics, e.cluster, e.labels)
        IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.body, EXCLUDED.published, EXCLUDED.year,
                          EXCLUDED.ministers, EXCLUDED.topics, EXCLUDED.cluster, EXCLUDED.labels)
"""
# The queue (search.operations.index_sync) brings every article the triggers already indexed:
# an entry that already says the same is left alone, without parsing its text again.
UNCHANGED = """
    SELECT EXISTS (SELECT 1 FROM search_engine_entry WHERE article_id = %s
        AND (title, body, published, year, ministers, topics, cluster, labels)
            IS NOT DISTINCT FROM (%s, %s, %s::date, %s::smallint, %s::text[], %s::text[],
                                  %s::bigint, %s::text[]))
"""
# New words become "did you mean" candidates at once; their counts are exact after a rebuild.
ADD_WORDS = """
    INSERT INTO search_engine_word (word, documents)
    SELECT lexeme, 1 FROM unnest(to_tsvector('newsroom_words', %s))
    WHERE length(lexeme) >= 2
    ON CONFLICT (word) DO NOTHING
"""
WORDS_OF_ENTRIES = """
    SELECT word, ndoc FROM ts_stat(
        'SELECT to_tsvector(''newsroom_words'', title || '' '' || left(body, 250000)) FROM {table}'
    ) WHERE length(word) >= 2
"""


def row(document: IndexDocument) -> list:
    # PostgreSQL text cannot hold NUL characters.
    return [
        document.id,
        document.title.replace("\x00", ""),
        document.body.replace("\x00", ""),
        document.published,
        document.year,
        list(document.ministers),
        list(document.topics),
        document.cluster or None,  # NULL while the article has no other versions
        list(document.labels),
    ]


class Writer:
    def __init__(self, cursor):
        self.cursor = cursor

    def upsert(self, document: IndexDocument) -> None:
        values = row(document)
        self.cursor.execute(UNCHANGED, values)
        if not self.cursor.fetchone()[0]:
            self.cursor.execute(UPSERT, values)
        # Also for an entry the triggers wrote: they leave the vocabulary to the writer.
        self.cursor.execute(ADD_WORDS, [f"{values[1]} {values[2][:250_000]}"])

    def delete(self, article_id: int) -> None:
        self.cursor.execute("DELETE FROM search_engine_entry WHERE article_id = %s", [article_id])


@contextmanager
def open_writer(*, timeout: float) -> Iterator[Writer]:
    """A writer whose changes commit together on success and roll back on error."""
    with transaction.atomic(using=WRITE_DATABASE), writing() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'")
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [WRITER_LOCK])
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                raise IndexBusy(f"the search index stayed locked for {timeout:g}s") from error
            raise
        yield Writer(cursor)


def rebuild(
    documents: Iterable[IndexDocument],
    *,
    procs: int = 1,
    on_document: Callable[[], None] | None = None,
) -> int:
    """New tables filled beside the live ones, then swapped in by one short transaction:
    readers see the old index, whole, until the swap commits, and the new one after it.

    ``procs`` is ignored: PostgreSQL builds the GIN index with its own workers.
    Changes the triggers make to the live table meanwhile are not carried over:
    ``index_sync.rebuild_index`` re-applies the articles changed while it ran.
    """
    suffix = uuid.uuid4().hex[:8]
    entries, words = f"search_engine_entry_{suffix}", f"search_engine_word_{suffix}"
    counts = f"search_engine_count_{suffix}"
    with writing() as cursor:
        try:
            cursor.execute(
                f"CREATE TABLE {entries} (LIKE search_engine_entry INCLUDING ALL EXCLUDING INDEXES)"
                f" WITH (toast_tuple_target = {TOAST_TUPLE_TARGET})"
            )
            count = copy_documents(cursor, entries, documents, on_document)
            cursor.execute(f"ALTER TABLE {entries} ADD PRIMARY KEY (article_id)")
            cursor.execute(f"CREATE INDEX {entries}_document ON {entries} USING gin (document)")
            cursor.execute(f"CREATE INDEX {entries}_title ON {entries} USING gin (title_document)")
            cursor.execute("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'rum')")
            if cursor.fetchone()[0]:  # the phrases' positions (migration 0014)
                cursor.execute(
                    f"CREATE INDEX {entries}_positions ON {entries}"
                    " USING rum (document rum_tsvector_ops)"
                )
            cursor.execute(
                f"CREATE INDEX {entries}_published ON {entries} (published DESC, article_id)"
            )
            cursor.execute(
                f"CREATE INDEX {entries}_newest ON {entries}"
                " (published DESC NULLS LAST, article_id DESC)"
            )
            cursor.execute(
                f"CREATE INDEX {entries}_cluster ON {entries} (cluster) WHERE cluster IS NOT NULL"
            )
            # The labels facet reads only these (migration 0023).
            cursor.execute(
                f"CREATE INDEX {entries}_labelled ON {entries} (article_id) WHERE labels <> '{{}}'"
            )
            cursor.execute(
                f"CREATE TABLE {words} (LIKE search_engine_word INCLUDING ALL EXCLUDING INDEXES)"
            )
            cursor.execute(f"INSERT INTO {words} {WORDS_OF_ENTRIES.format(table=entries)}")
            cursor.execute(f"ALTER TABLE {words} ADD PRIMARY KEY (word)")
            cursor.execute(
                f"CREATE INDEX {words}_trigrams ON {words} USING gin (word gin_trgm_ops)"
            )
            # Browsing's counts (migration 0015), then the triggers that keep them from now on.
            cursor.execute(f"CREATE TABLE {counts} (LIKE search_engine_count)")
            cursor.execute(
                f"INSERT INTO {counts} (year, month, kind, tag, n)"
                + browse_counts.COUNTS_OF.format(table=entries)
            )
            cursor.execute(browse_counts.TRIGGERS.format(table=entries))
            cursor.execute(f"ANALYZE {entries}, {words}")
            with transaction.atomic(using=WRITE_DATABASE):
                swaps = (
                    ("search_engine_entry", entries),
                    ("search_engine_word", words),
                    ("search_engine_count", counts),
                )
                for live, built in swaps:
                    cursor.execute(f"DROP TABLE {live}")
                    cursor.execute(f"ALTER TABLE {built} RENAME TO {live}")
        except BaseException:
            cursor.execute(f"DROP TABLE IF EXISTS {entries}, {words}, {counts}")
            raise
    return count


def copy_documents(cursor, table: str, documents, on_document) -> int:
    """COPY the documents, ``COPY_BATCH`` a statement: the documents may be read from the
    database on this same connection, which a COPY in progress holds."""
    count = 0
    documents = iter(documents)
    while batch := list(itertools.islice(documents, COPY_BATCH)):
        with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for document in batch:
                copy.write_row(row(document))
        count += len(batch)
        if on_document is not None:
            for _document in batch:
                on_document()
    return count


def index_exists() -> bool:
    connection = connections[WRITE_DATABASE]
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('search_engine_entry') IS NOT NULL")
        return cursor.fetchone()[0]


def require_current_schema() -> None:
    """The schema is the migration's: present once ``migrate`` ran, current by construction."""
    require_postgresql(WRITE_DATABASE)
    if not index_exists():
        raise IndexUnavailable(f"The search tables are missing: {SETUP_HINT}.")


def indexed_versions() -> dict[int, str]:
    """Article id -> the version of what the engine holds, computed as the documents' own."""
    versions = {}
    with reading() as cursor:
        cursor.execute(f"SELECT {', '.join(COLUMNS)} FROM search_engine_entry")
        while rows := cursor.fetchmany(1000):
            for (
                article_id,
                title,
                body,
                published,
                _year,
                ministers,
                topics,
                cluster,
                labels,
            ) in rows:
                document = IndexDocument(
                    article_id,
                    title,
                    body,
                    published,
                    tuple(ministers),
                    tuple(topics),
                    cluster or 0,
                    tuple(labels),
                )
                versions[article_id] = document.version
    return versions


def reset() -> None:
    """Nothing to forget: the engine keeps no state in the process."""


@contextmanager
def deferring_entry_refresh() -> Iterator[set[int]]:
    """Within: the triggers leave the search entries alone (a transaction-local setting,
    migration 0024), and on leaving, the entry of each article id added to the yielded set is
    refreshed once, in the same transaction. An import writes an article row and its tag rows
    in several statements; the triggers would write its entry after each."""
    refreshed: set[int] = set()
    with transaction.atomic(using=WRITE_DATABASE):
        with writing() as cursor:
            cursor.execute("SELECT set_config('newsroom.deferred_entries', 'on', true)")
        yield refreshed
        with writing() as cursor:
            cursor.execute("SELECT set_config('newsroom.deferred_entries', 'off', true)")
            cursor.execute(
                "SELECT newsroom_search_refresh(id) FROM unnest(%s::bigint[]) AS id",
                [sorted(refreshed)],
            )
