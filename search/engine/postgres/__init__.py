"""The PostgreSQL engine: search in the shared database, no index on any node's disk.

Implements the contract in ``search.engine.contract`` (``SEARCH_ENGINE=postgres``); its tables,
text search configurations, triggers and indexes are made by migrations 0006 to 0015, and can
be read in one place in ``schema.sql`` beside this file (generated from a migrated database and
checked by ``tests/engine/test_postgres_schema.py``). Several app servers on one database all
see every change at its commit.

The app reaches it only through ``search.engine``; it imports the shared root's neutral
modules and ``search.engine``'s own, never a room.
"""

from search.engine.postgres.distinctive import term_counts as term_counts
from search.engine.postgres.searching import highlight as highlight
from search.engine.postgres.searching import search as search
from search.engine.postgres.similar import more_like_this as more_like_this
from search.engine.postgres.writing import deferring_entry_refresh as deferring_entry_refresh
from search.engine.postgres.writing import index_exists as index_exists
from search.engine.postgres.writing import indexed_versions as indexed_versions
from search.engine.postgres.writing import open_writer as open_writer
from search.engine.postgres.writing import rebuild as rebuild
from search.engine.postgres.writing import require_current_schema as require_current_schema
from search.engine.postgres.writing import reset as reset


def keeps_itself_current() -> bool:
    """Yes: the migration's triggers write an article's entry in the article's transaction."""
    return True


def check_installation() -> None:
    """Nothing to check at start-up: the database's extensions are checked by its migration,
    and a missing server answers each request with a clear error."""
