"""One hit a story on the tantivy index: counting stories, and each story's first copy on a page.

Only the matches that are in a story (``copies:1``, ``schema.copies_flag``: a few percent of
an archive) can be repeated copies. They are read once (``in_stories``): one search for their
addresses, then their story, year and day from fast fields, so the repeated stories and the
years' and months' surplus are counted here, and the matching query runs once for all of them.
A count of stories is the count of matches less each story's extra copies, and so is each
facet value's and month's (``surplus``). Ministers, topics and labels are text, which only an
aggregation reads: theirs is counted over the matches in a story (the query matched again
there only: a phrase compiled with ``phrases_within`` reads positions for those articles
alone), or from a settled commit's story table (``story_table``). tantivy's aggregations
refuse answers of more than 65,000 buckets, so bigger ones are asked for in parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
import tantivy
from tantivy import Occur, Query

ALL_BUCKETS = 1_000_000_000  # a terms aggregation's size: every value, none cut per segment
NUMERIC_FIELDS = ("year",)  # read per copy from fast fields; the others by an aggregation


def too_many_buckets(error: ValueError) -> bool:
    return "bucket limit" in str(error)


def every_value(field_name: str, **options) -> dict:
    return {
        "terms": {"field": field_name, "size": ALL_BUCKETS, "segment_size": ALL_BUCKETS, **options}
    }


def stories_of(aggregated: dict) -> dict[int, int]:
    """A story terms aggregation's answer as story -> copies."""
    return {int(bucket["key"]): bucket["doc_count"] for bucket in aggregated["buckets"]}


def in_a_story(schema: tantivy.Schema) -> Query:
    return Query.term_query(schema, "copies", 1)


def no_values() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class StoryCopies:
    """The matches that are in a story, each one's story, year and day (in one order; days
    only when asked for), and the stories with more than one of them (story -> matching
    copies)."""

    stories: np.ndarray = field(default_factory=no_values)
    years: np.ndarray = field(default_factory=no_values)
    days: np.ndarray = field(default_factory=no_values)
    repeated: dict[int, int] = field(default_factory=dict)
    rows: np.ndarray | None = None  # their rows in a ``story_table.StoryTable``


def story_copies(
    stories: np.ndarray, years: np.ndarray, days: np.ndarray, *, rows: np.ndarray | None = None
) -> StoryCopies:
    numbers, copies = np.unique(stories, return_counts=True)
    several = copies > 1
    repeated = dict(zip(numbers[several].tolist(), copies[several].tolist(), strict=True))
    return StoryCopies(stories, years, days, repeated, rows)


def in_stories(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, *, days: bool = True
) -> StoryCopies:
    """The matches of ``query`` that are in a story (``query`` may already ask for
    ``in_a_story``: the compiled query with it inside each phrase matches faster)."""
    flagged = searcher.doc_freq("copies", 1)  # deleted documents too: never fewer than match
    if not flagged:
        return StoryCopies()
    within = Query.boolean_query([(Occur.Must, query), (Occur.Must, in_a_story(schema))])
    found = searcher.search(within, limit=flagged, count=False).hits
    addresses = [address for _score, address in found]

    def values(field_name: str) -> np.ndarray:
        return np.array(searcher.fast_field_values(field_name, addresses), dtype=np.int64)

    return story_copies(values("story"), values("year"), values("day") if days else no_values())


def of_years(copies: StoryCopies, years: set[int]) -> StoryCopies:
    """Those of ``copies`` published in ``years`` (the matches with a year filter are the
    matches without it in those years)."""
    kept = np.isin(copies.years, sorted(years))
    days = copies.days[kept] if len(copies.days) else copies.days
    rows = copies.rows[kept] if copies.rows is not None else None
    return story_copies(copies.stories[kept], copies.years[kept], days, rows=rows)


def repeated_stories(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query
) -> dict[int, int]:
    """The stories with more than one copy among the matches of ``query``, and how many of
    their copies match."""
    return in_stories(searcher, schema, query, days=False).repeated


def extra_in(repeated: dict[int, int]) -> int:
    """The copies of these stories beyond the first of each."""
    return sum(repeated.values()) - len(repeated)


def count_stories(matches: int, repeated: dict[int, int]) -> int:
    """How many stories ``matches`` documents are versions of."""
    return matches - extra_in(repeated)


VALUE_BITS = 20  # a value below 2**20 (a year, a month's number) and a story in one integer


def extra_copies(stories: np.ndarray, values: np.ndarray) -> Counter:
    """Per value (one a copy, in the order of ``stories``; 0 <= value < 2**20): the copies of
    a story that have it beyond the first of that story."""
    pairs, copies = np.unique((stories << VALUE_BITS) | values, return_counts=True)
    several = copies > 1
    found, inverse = np.unique(pairs[several] & ((1 << VALUE_BITS) - 1), return_inverse=True)
    extra = np.bincount(inverse, weights=copies[several] - 1).astype(np.int64)
    return Counter(dict(zip(found.tolist(), extra.tolist(), strict=True)))


def surplus(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    copies: StoryCopies,
    fields: tuple[str, ...],
) -> dict[str, Counter]:
    """Per field and value: the matching copies of repeated stories that have it beyond the
    first of each story, which a count of articles has more than a count of stories
    (``copies``: the matches of ``query`` in a story)."""
    if not copies.repeated:
        return {name: Counter() for name in fields}
    extra = {
        name: extra_copies(copies.stories, copies.years)
        for name in fields
        if name in NUMERIC_FIELDS
    }
    texts = tuple(name for name in fields if name not in NUMERIC_FIELDS)
    extra |= {name: Counter() for name in texts}
    # Each value's stories with two copies or more that have it, counted in tantivy over the
    # matches in a story (a story with one of them there adds nothing: min_doc_count).
    request = {
        name: {**every_value(name), "aggs": {"copies": every_value("story", min_doc_count=2)}}
        for name in texts
    }
    if request:
        within = Query.boolean_query([(Occur.Must, query), (Occur.Must, in_a_story(schema))])
        for found in aggregated_in_parts(
            searcher, schema, within, sorted(copies.repeated), request
        ):
            for name in texts:
                for bucket in found[name]["buckets"]:
                    stories = bucket["copies"]["buckets"]
                    copies_of_it = sum(map(itemgetter("doc_count"), stories))
                    extra[name][bucket["key"]] += copies_of_it - len(stories)
    return extra


def month_surplus(copies: StoryCopies, month_of: Callable[[int], str | None]) -> Counter:
    """``surplus`` by month (of the ``day`` field, read with ``days``): a story's copies of two
    days of one month count once in it."""
    if not copies.repeated:
        return Counter()
    days, each_copys = np.unique(copies.days, return_inverse=True)
    months = [month_of(day) for day in days.tolist()]
    numbers = {month: number for number, month in enumerate(dict.fromkeys(months))}
    by_number = list(numbers)
    month_numbers = np.array([numbers[month] for month in months], dtype=np.int64)[each_copys]
    extra = extra_copies(copies.stories, month_numbers)
    return Counter({by_number[number]: n for number, n in extra.items()})


def aggregated_in_parts(
    searcher, schema, within: Query, stories: list[int], request: dict
) -> Iterator[dict]:
    """``request`` over the matches ``within``: all at once, or (while tantivy finds the answer
    too big) those of each half of the range of ``stories`` (sorted) apart."""
    try:
        found = searcher.aggregate(within, request)
    except ValueError as error:
        if not too_many_buckets(error) or len(stories) < 2:
            raise
        half = len(stories) // 2
        for part in (stories[:half], stories[half:]):
            bounds = Query.range_query(
                schema, "story", tantivy.FieldType.Integer, part[0], part[-1]
            )
            narrower = Query.boolean_query([(Occur.Must, within), (Occur.Must, bounds)])
            yield from aggregated_in_parts(searcher, schema, narrower, part, request)
        return
    yield found


def one_per_story(
    searcher: tantivy.Searcher,
    query: Query,
    *,
    ordering: dict,
    start: int,
    end: int,
    repeated: dict[int, int],
) -> list[tuple]:
    """Hits ``start`` to ``end`` (``(key, address)``, in the order ``ordering`` asks) with only
    the first copy of each story: the best scoring, or the first in the date order."""
    if not repeated:
        return searcher.search(query, limit=end - start, count=False, offset=start, **ordering).hits
    # Each story's later copies are left out, so more hits than the page are read: twice the
    # page first, more while copies keep some of it out, never more than could be left out.
    most = end + extra_in(repeated)
    limit = min(most, 2 * end)
    while True:
        found = searcher.search(query, limit=limit, count=False, **ordering).hits
        kept = first_copies(searcher, found, repeated, end)
        if len(kept) == end or len(found) < limit or limit == most:
            return kept[start:end]
        limit = min(most, 4 * limit)


def first_copies(searcher, found: list[tuple], repeated: dict[int, int], end: int) -> list[tuple]:
    stories = searcher.fast_field_values("story", [address for _key, address in found])
    seen: set[int] = set()
    kept = []
    for hit, story in zip(found, stories, strict=True):
        if story in repeated:
            if story in seen:
                continue
            seen.add(story)
        kept.append(hit)
        if len(kept) == end:
            break
    return kept
