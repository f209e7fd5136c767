"""The embedded engine: a Whoosh index in a directory on this machine (the default).

Implements the contract in ``search.engine.contract``; the app reaches it only through
``search.engine``. Whoosh's private parts are confined to ``internals``. It imports the shared
root's neutral modules and ``search.engine``'s own, never a room.
"""

from search.engine.whoosh.distinctive import term_counts as term_counts
from search.engine.whoosh.internals import check_whoosh_version
from search.engine.whoosh.searching import CACHE
from search.engine.whoosh.searching import highlight as highlight
from search.engine.whoosh.searching import indexed_versions as indexed_versions
from search.engine.whoosh.searching import more_like_this as more_like_this
from search.engine.whoosh.searching import search as search
from search.engine.whoosh.storage import live_generation_dir
from search.engine.whoosh.storage import require_current_schema as require_current_schema
from search.engine.whoosh.writing import open_writer as open_writer
from search.engine.whoosh.writing import rebuild as rebuild


def keeps_itself_current() -> bool:
    """No: the index is files on this machine, written after each commit from the queue."""
    return False


def check_installation() -> None:
    check_whoosh_version()


def index_exists() -> bool:
    return live_generation_dir() is not None


def reset() -> None:
    CACHE.reset()
