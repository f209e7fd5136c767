"""The articles in a story with what collapsing counts of each, read once per index commit.

Collapsing needs, of the matches that are in a story (``copies:1``, a few percent of an
archive), each one's story, year and day, which fast fields give a search at once, and its
ministers, topics and labels, which only an aggregation counts: at 1,000,000 articles that
aggregation is most of what collapsing costs a search. So a process reads the tags of every
article in a story once for a commit (one search per tag value: a few dozen), kept as arrays
by article id, and a search then reads only which of those articles match (their ids) and
counts the rest here.

Reading the table costs ~100-150 ms of CPU at 1,000,000 articles, what the aggregation costs
three or four searches of common words, so it is read only for a commit that has been live for
``SETTLED`` seconds in this process: searches right after a commit (and one during which a
commit landed) count by aggregation as before (``collapsing.surplus``). During an import (a
commit every few seconds) a process reads the table about once a commit.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import tantivy
from tantivy import Occur, Query

from search.engine.tantivy import collapsing
from search.engine.tantivy.collapsing import StoryCopies, every_value

SETTLED = 2.0  # seconds a commit has been live in this process before its table is read
TAG_FIELDS = ("ministers", "topics", "labels")


@dataclass(frozen=True)
class StoryTable:
    """Every article in a story, by article id (sorted): its story, year, day, and its tags
    (row ``n``'s codes are ``codes[starts[n]:starts[n + 1]]``; a code is an index of
    ``tags``: (field, value))."""

    ids: np.ndarray
    stories: np.ndarray
    years: np.ndarray
    days: np.ndarray
    starts: np.ndarray
    codes: np.ndarray
    tags: tuple[tuple[str, str], ...]


def values(searcher, field_name: str, addresses: list) -> np.ndarray:
    return np.array(searcher.fast_field_values(field_name, addresses), dtype=np.int64)


def addresses_of(searcher, query: Query, most: int) -> list:
    return [address for _score, address in searcher.search(query, limit=most, count=False).hits]


def read_table(searcher: tantivy.Searcher, schema: tantivy.Schema) -> StoryTable:
    in_a_story = collapsing.in_a_story(schema)
    addresses = addresses_of(searcher, in_a_story, max(1, searcher.doc_freq("copies", 1)))
    ids = values(searcher, "id", addresses)
    order = np.argsort(ids)
    columns = {name: values(searcher, name, addresses)[order] for name in ("story", "year", "day")}
    ids = ids[order]
    found = searcher.aggregate(in_a_story, {name: every_value(name) for name in TAG_FIELDS})
    tags, rows, codes = [], [], []
    for name in TAG_FIELDS:
        for bucket in found[name]["buckets"]:
            having = Query.term_query(schema, name, bucket["key"])
            these = Query.boolean_query([(Occur.Must, in_a_story), (Occur.Must, having)])
            their_ids = values(searcher, "id", addresses_of(searcher, these, bucket["doc_count"]))
            rows.append(np.searchsorted(ids, their_ids))
            codes.append(np.full(len(their_ids), len(tags), dtype=np.int64))
            tags.append((name, bucket["key"]))
    rows_of_tags = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    by_row = np.argsort(rows_of_tags, kind="stable")
    return StoryTable(
        ids=ids,
        stories=columns["story"],
        years=columns["year"],
        days=columns["day"],
        starts=np.searchsorted(rows_of_tags[by_row], np.arange(len(ids) + 1)),
        codes=(np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64))[by_row],
        tags=tuple(tags),
    )


def in_stories(
    table: StoryTable, searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query
) -> StoryCopies:
    """``collapsing.in_stories`` with the numbers from the table (the rows kept for
    ``surplus``)."""
    within = Query.boolean_query([(Occur.Must, query), (Occur.Must, collapsing.in_a_story(schema))])
    found = addresses_of(searcher, within, max(1, len(table.ids)))
    rows = np.searchsorted(table.ids, values(searcher, "id", found))
    return collapsing.story_copies(
        table.stories[rows], table.years[rows], table.days[rows], rows=rows
    )


def surplus(table: StoryTable, copies: StoryCopies, fields: tuple[str, ...]) -> dict[str, Counter]:
    """``collapsing.surplus`` counted from the table (``copies`` from its ``in_stories``)."""
    extra = {name: Counter() for name in fields}
    if not copies.repeated:
        return extra
    if "year" in extra:
        extra["year"] = collapsing.extra_copies(copies.stories, copies.years)
    rows = copies.rows
    lengths = table.starts[rows + 1] - table.starts[rows]
    ends = np.cumsum(lengths)
    each = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - lengths, lengths)
    codes = table.codes[np.repeat(table.starts[rows], lengths) + each]
    # Each story's copies with each tag, counted in one array (stories x tags).
    stories, story_of_copy = np.unique(copies.stories, return_inverse=True)
    keys = np.repeat(story_of_copy, lengths) * len(table.tags) + codes
    with_tag = np.bincount(keys, minlength=len(stories) * len(table.tags))
    beyond_first = np.maximum(with_tag.reshape(len(stories), len(table.tags)) - 1, 0).sum(axis=0)
    for code in np.flatnonzero(beyond_first).tolist():
        name, value = table.tags[code]
        if name in extra:
            extra[name][value] += int(beyond_first[code])
    return extra


class StoryTables:
    """This process's table of the commit its searches read (one lock, one commit)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._commit = None
        self._seen = 0.0
        self._table: StoryTable | None = None

    def table(self, commit, read: Callable[[], StoryTable]) -> StoryTable | None:
        """The commit's table, read now if the commit has settled; None: count without."""
        if commit is None:
            return None
        now = time.monotonic()
        with self._lock:
            if commit != self._commit:
                self._commit, self._seen, self._table = commit, now, None
            if self._table is not None or now - self._seen < SETTLED:
                return self._table
        table = read()
        with self._lock:
            if commit == self._commit:
                self._table = table
        return table

    def forget(self) -> None:
        with self._lock:
            self._commit, self._table = None, None


TABLES = StoryTables()
