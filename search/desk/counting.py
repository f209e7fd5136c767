"""One search counted, not shown: what batches and comparisons read from the engine.

The same path as the search page (the engine facade, so a costly query takes its turn in
``engine.costly``; merged ministers' old slugs mapped as the page maps them), with no hit to
fetch or highlight (``per_page=0``: the engine counts the stories and first and last dates
instead).
"""

from __future__ import annotations

from dataclasses import replace

from search import engine, read_replica, selectors
from search.query import SearchQuery, SearchResults


def counted(search_query: SearchQuery) -> SearchResults:
    """Raises ``engine.IndexUnavailable`` (``SearchBusy`` when no costly turn came)."""
    with read_replica.search_reads():
        search_query = replace(
            search_query,
            page=1,
            per_page=0,
            ministers=selectors.current_minister_slugs(search_query.ministers),
        )
        return engine.search(search_query)
