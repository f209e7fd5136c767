"""The search engine boundary: the one thing the rest of the app imports for search.

The engine is picked by the ``SEARCH_ENGINE`` setting (``"whoosh"``, the default, or a dotted
module path), resolved when first used; ``contract.SearchEngine`` says what it provides.

The engine is the only room that imports a search library (whoosh, psycopg). It may import
the shared root's neutral modules only: ``search.conf``, ``search.documents``, ``search.query``,
``search.query_language`` and ``search.read_replica``; nothing outside ``search/engine/``
imports its subpackages (``whoosh/``, ``postgres/``), only this facade and ``errors``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import lru_cache

from django.conf import settings

from search.documents import IndexDocument
from search.engine.contract import IndexWriter as IndexWriter
from search.engine.contract import SearchEngine
from search.engine.contract import TermCounts as TermCounts
from search.engine.costly import costly_search_slot, is_costly
from search.engine.errors import IndexBusy as IndexBusy
from search.engine.errors import IndexOutdated as IndexOutdated
from search.engine.errors import IndexUnavailable as IndexUnavailable
from search.engine.errors import SearchBusy as SearchBusy
from search.query import SearchQuery, SearchResults
from search.query_language import parse

ENGINES = {
    "whoosh": "search.engine.whoosh",
    "postgres": "search.engine.postgres",
    "tantivy": "search.engine.tantivy",
}


@lru_cache(maxsize=4)
def load_engine(name: str) -> SearchEngine:
    return importlib.import_module(ENGINES.get(name, name))


def current() -> SearchEngine:
    return load_engine(getattr(settings, "SEARCH_ENGINE", "whoosh"))


def search(search_query: SearchQuery) -> SearchResults:
    """Raises SearchBusy (an IndexUnavailable) when a costly search finds no free slot."""
    if is_costly(parse(search_query.q).tree):
        with costly_search_slot():
            return current().search(search_query)
    return current().search(search_query)


def more_like_this(article_id: int, *, limit: int) -> list[int]:
    return current().more_like_this(article_id, limit=limit)


def highlight(texts: list[str], q: str) -> list[str]:
    return current().highlight(texts, q)


def term_counts(
    article_ids: Sequence[int], *, q: str, min_matches: int, deadline: float
) -> TermCounts:
    """Costly whatever the query (it reads a sample's text, up to the time budget), so it
    always takes a costly search's turn: raises SearchBusy when none comes free."""
    with costly_search_slot():
        return current().term_counts(article_ids, q=q, min_matches=min_matches, deadline=deadline)


def open_writer(*, timeout: float) -> AbstractContextManager[IndexWriter]:
    return current().open_writer(timeout=timeout)


def rebuild(
    documents: Iterable[IndexDocument],
    *,
    procs: int = 1,
    on_document: Callable[[], None] | None = None,
) -> None:
    current().rebuild(documents, procs=procs, on_document=on_document)


def deferring_entry_refresh() -> AbstractContextManager[set[int]]:
    """Within: a batch's many writes of an article do not each rewrite its search entry; the
    articles whose ids are added to the yielded set are refreshed once on leaving, in the same
    transaction. Only an engine kept current by its database's triggers (PostgreSQL) has
    anything to defer; elsewhere the set is ignored (the index queue refreshes after commit)."""
    deferring = getattr(current(), "deferring_entry_refresh", None)
    return deferring() if deferring else nullcontext(set())


def keeps_itself_current() -> bool:
    return current().keeps_itself_current()


def check_installation() -> None:
    current().check_installation()


def index_exists() -> bool:
    return current().index_exists()


def require_current_schema() -> None:
    current().require_current_schema()


def indexed_versions() -> dict[int, str]:
    return current().indexed_versions()


def reset() -> None:
    current().reset()
