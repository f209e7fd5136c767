"""The PostgreSQL engine: search in the shared database, no index on any node's disk.

Implements the contract in ``search.engine.contract`` (``SEARCH_ENGINE=postgres``); its tables,
text search configurations and triggers come from migrations ``0006_postgres_search`` and
``0009_pgscale_vocabulary``. Several app servers on one database all see every change at its
commit.
"""

from search.engine.postgres.searching import highlight as highlight
from search.engine.postgres.searching import search as search
from search.engine.postgres.similar import more_like_this as more_like_this
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
