"""The search engine boundary: the only package that imports Whoosh.

Write side: ``open_writer`` (upsert/delete by article id), ``rebuild``.
Read side: ``search``, ``more_like_this``, ``indexed_versions``; ``query_terms`` and
``highlight_text`` mark a query's words in other text (escaped, with <mark>).
Upkeep: ``require_current_schema`` (raises IndexOutdated: the index needs a rebuild).
Everything speaks engine-neutral types (``search.documents``, ``search.query``).
"""

from search.engine.searching import (
    highlight_text,
    indexed_versions,
    more_like_this,
    query_terms,
    search,
)
from search.engine.storage import (
    IndexOutdated,
    IndexUnavailable,
    live_generation_dir,
    require_current_schema,
)
from search.engine.writing import IndexBusy, IndexWriter, open_writer, rebuild

__all__ = [
    "IndexBusy",
    "IndexOutdated",
    "IndexUnavailable",
    "IndexWriter",
    "highlight_text",
    "indexed_versions",
    "live_generation_dir",
    "more_like_this",
    "open_writer",
    "query_terms",
    "rebuild",
    "require_current_schema",
    "search",
]
