"""The counts of searches without words (browsing, filters alone), kept per index commit.

Browsing counts every article of the archive: facets, years and the stories of a million
articles take a quarter of a second, and the answer is the same until the next commit. So each
process keeps the counts of its last few such searches on the commit it reads (``KEPT``), and
the first one after a commit counts again. A commit is known by its generation and the bytes
of its ``meta.json`` (its segments and deletes), read before and after the searcher is taken:
when they differ a commit landed meanwhile, and nothing is kept or reused.

Counts only: hits are always read from the index. A reader's own filters (stars, notes: the
ids in ``only_ids``) are never kept.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from search.engine.tantivy import checksums, storage
from search.engine.tantivy.counting import Counted
from search.query import SearchQuery

KEPT = 32  # searches' counts kept for the current commit

Commit = tuple[Path, bytes]


def current_commit() -> Commit | None:
    """The live generation and its ``meta.json`` (None: missing or unreadable)."""
    path = storage.live_generation_dir()
    if path is None:
        return None
    try:
        return path, (path / checksums.META).read_bytes()
    except OSError:
        return None


def browsing_key(search_query: SearchQuery, *, has_words: bool) -> SearchQuery | None:
    """What a search's counts depend on, or None when they are not kept: a search with words,
    or with a reader's own ids."""
    if has_words or search_query.only_ids is not None:
        return None
    count_only = not search_query.per_page
    return replace(search_query, q="", sort="", page=1, per_page=0 if count_only else 1)


class CommitCounts:
    """Counted searches of one commit (the last one a search here read), the least recently
    used dropped beyond ``size``; shared by a process's threads under one lock."""

    def __init__(self, size: int = KEPT) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._commit: Commit | None = None
        self._kept: OrderedDict[SearchQuery, Counted] = OrderedDict()

    def get(self, commit: Commit | None, key: SearchQuery | None) -> Counted | None:
        if commit is None or key is None:
            return None
        with self._lock:
            if commit != self._commit:
                return None
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def put(self, commit: Commit | None, key: SearchQuery | None, counted: Counted) -> None:
        if commit is None or key is None:
            return
        with self._lock:
            if commit != self._commit:
                self._commit, self._kept = commit, OrderedDict()
            self._kept[key] = counted
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)

    def forget(self) -> None:
        with self._lock:
            self._commit, self._kept = None, OrderedDict()


KEPT_COUNTS = CommitCounts()
