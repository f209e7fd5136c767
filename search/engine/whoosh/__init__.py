"""The embedded engine: a Whoosh index in a directory on this machine (the default).

Implements the contract in ``search.engine.contract``; the app reaches it only through
``search.engine``. Whoosh's private parts are confined to ``internals``.
"""

from search.engine.whoosh.searching import (
    CACHE,
    highlight,
    indexed_versions,
    more_like_this,
    search,
)
from search.engine.whoosh.storage import live_generation_dir, require_current_schema
from search.engine.whoosh.writing import open_writer, rebuild


def index_exists() -> bool:
    return live_generation_dir() is not None


def reset() -> None:
    CACHE.reset()


__all__ = [
    "highlight",
    "index_exists",
    "indexed_versions",
    "more_like_this",
    "open_writer",
    "rebuild",
    "require_current_schema",
    "reset",
    "search",
]
