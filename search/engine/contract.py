"""What every search engine module provides: the protocol ``search.engine`` delegates to.

An engine is a module (``search.engine.whoosh``, ``search.engine.postgres``), chosen by the
``SEARCH_ENGINE`` setting, and checked by the one contract suite
(tests/engine/test_engine_contract.py).
Everything crosses this boundary as engine-neutral values: ``IndexDocument`` in,
``SearchQuery`` / ``SearchResults`` (``search.query``) and the query tree
(``search.query_language``) out. Failures are ``search.engine.errors``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from search.documents import IndexDocument
from search.query import SearchQuery, SearchResults

# What a search past its time budget (setting SEARCH_TIME_BUDGET) says along with what it has.
CUT_SHORT_NOTICE = (
    "This search took too long and was cut short: some words were not searched, so results "
    "may be missing. Try fewer or more specific words."
)


@dataclass(frozen=True)
class TermCount:
    """A word or a two-word phrase of some articles: ``term`` as written (the commonest form,
    lowercased), ``key`` as indexed; in how many of those articles (``foreground``) and of the
    whole archive (``background``) it is."""

    term: str
    key: str
    foreground: int
    background: int


@dataclass(frozen=True)
class TermCounts:
    """What ``term_counts`` answers: the articles counted, the archive's size, and the words
    and phrases in at least ``min_matches`` of the articles (commonest first, capped)."""

    sampled: int
    archive: int
    words: list[TermCount]
    phrases: list[TermCount]


class IndexWriter(Protocol):
    def upsert(self, document: IndexDocument) -> None: ...

    def delete(self, article_id: int) -> None: ...


class SearchEngine(Protocol):
    # Read side
    def search(self, search_query: SearchQuery) -> SearchResults:
        """Hits of the requested page (escaped snippets with <mark>), total, facet counts,
        notices and a suggestion; raises PageOutOfRange past the last page. With
        ``per_page=0``: no hits, and the stories and first/last dates of the matches too
        (not when cut short)."""

    def more_like_this(self, article_id: int, *, limit: int) -> list[int]: ...

    def highlight(self, texts: list[str], q: str) -> list[str]:
        """Each text escaped, with the words ``q`` looks for (outside NOT) in <mark>."""

    def term_counts(
        self, article_ids: Sequence[int], *, q: str, min_matches: int, deadline: float
    ) -> TermCounts:
        """The words and two-word phrases (stop words, numbers and the words ``q`` searches
        for left out) of the indexed articles ``article_ids``, each with how many of them and
        how many articles of the archive have it; terms whose archive count was not reached
        by ``deadline`` (``time.monotonic()``) are left out."""

    # Write side
    def open_writer(self, *, timeout: float) -> AbstractContextManager[IndexWriter]:
        """A writer committed on success and cancelled on error; IndexBusy on timeout."""

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        *,
        procs: int = 1,
        on_document: Callable[[], None] | None = None,
    ) -> object:
        """A complete new index from ``documents``; readers see the old one until it is done."""

    def keeps_itself_current(self) -> bool:
        """True when the engine's entries change in the article's own transaction (the
        PostgreSQL engine's triggers): then nothing is queued for it
        (``search.operations.index_sync``)."""

    # Upkeep
    def check_installation(self) -> None:
        """Raise, saying what to install, when the libraries it needs are not as expected
        (run at start-up: the app then refuses to start)."""

    def index_exists(self) -> bool: ...

    def require_current_schema(self) -> None:
        """Raise IndexUnavailable / IndexOutdated when the index needs a rebuild."""

    def indexed_versions(self) -> dict[int, str]:
        """Article id -> the version (``IndexDocument.version``) the index holds."""

    def reset(self) -> None:
        """Forget what this process keeps open (tests; a changed index location)."""
