"""One hit a story on the tantivy index: counting stories, and each story's first copy on a page.

The stories with more than one matching copy (``repeated_stories``) come from one aggregation
of the ``story`` fast field over the matches that are in a story (``copies:1``,
``schema.copies_flag``): a few percent of an archive, so its cost grows with the matching
copies rather than with the matches (docs/scaling.md). The rest is confined to those stories:
a count of stories is the count of matches less each one's extra copies, and so is each facet
value's and month's (``surplus``, over their copies alone). tantivy's aggregations refuse
answers of more than 65,000 buckets, so bigger ones are asked for in parts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

import tantivy
from tantivy import Occur, Query

ALL_BUCKETS = 1_000_000_000  # a terms aggregation's size: every value, none cut per segment
STORIES_PER_REQUEST = 2_000  # stories whose copies' values are read in one aggregation
EVERY_STORY = (0, 2**62)  # story numbers are article ids


def too_many_buckets(error: ValueError) -> bool:
    return "bucket limit" in str(error)


def every_value(field_name: str, **options) -> dict:
    return {
        "terms": {"field": field_name, "size": ALL_BUCKETS, "segment_size": ALL_BUCKETS, **options}
    }


def repeated_stories(
    searcher: tantivy.Searcher, schema: tantivy.Schema, query: Query, stories: tuple | None = None
) -> dict[int, int]:
    """The stories with more than one copy among the matches of ``query``, and how many of
    their copies match (of the stories numbered ``stories`` (lowest, highest) only: a range
    halved while tantivy finds the answer too big). Only articles in a story are looked at."""
    in_stories = [(Occur.Must, query), (Occur.Must, Query.term_query(schema, "copies", 1))]
    if stories is not None:
        in_range = Query.range_query(schema, "story", tantivy.FieldType.Integer, *stories)
        in_stories.append((Occur.Must, in_range))
    within = Query.boolean_query(in_stories)
    try:
        found = searcher.aggregate(within, {"stories": every_value("story", min_doc_count=2)})
    except ValueError as error:
        lowest, highest = stories or EVERY_STORY
        if not too_many_buckets(error) or lowest == highest:
            raise
        middle = lowest + (highest - lowest) // 2
        return repeated_stories(searcher, schema, query, (lowest, middle)) | repeated_stories(
            searcher, schema, query, (middle + 1, highest)
        )
    return stories_of(found["stories"])


def stories_of(aggregated: dict) -> dict[int, int]:
    """A story terms aggregation's answer as story -> copies."""
    return {int(bucket["key"]): bucket["doc_count"] for bucket in aggregated["buckets"]}


def count_stories(matches: int, repeated: dict[int, int]) -> int:
    """How many stories ``matches`` documents are versions of."""
    return matches - sum(copies - 1 for copies in repeated.values())


def surplus(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    stories: Iterable[int],
    fields: tuple[str, ...],
) -> dict[str, Counter]:
    """Per field and value: the matching copies of these stories that have it beyond the first
    of each story, which a count of articles has more than a count of stories."""
    extra: dict[str, Counter] = {name: Counter() for name in fields}
    # Each value's stories with two copies or more that have it: counted in tantivy, where
    # each story's values would be a sub-aggregation per story (ten times slower).
    request = {
        name: {**every_value(name), "aggs": {"copies": every_value("story", min_doc_count=2)}}
        for name in fields
    }
    for found in aggregated_in_parts(searcher, schema, query, stories, request):
        for name in fields:
            for bucket in found[name]["buckets"]:
                copies = bucket["copies"]["buckets"]
                extra[name][bucket["key"]] += sum(story["doc_count"] - 1 for story in copies)
    return extra


def month_surplus(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    stories: Iterable[int],
    month_of: Callable[[float], str | None],
) -> Counter:
    """``surplus`` by month (of the ``day`` field): a story's copies of two days of one month
    count once in it."""
    extra: Counter = Counter()
    request = {"stories": {**every_value("story"), "aggs": {"days": every_value("day")}}}
    for found in aggregated_in_parts(searcher, schema, query, stories, request):
        for story in found["stories"]["buckets"]:
            months: Counter = Counter()
            for bucket in story["days"]["buckets"]:
                months[month_of(bucket["key"])] += bucket["doc_count"]
            for month, copies in months.items():
                extra[month] += copies - 1
    return extra


def aggregated_in_parts(
    searcher, schema, query: Query, stories: Iterable[int], request: dict
) -> Iterator[dict]:
    """``request`` over the matches of ``query`` that are copies of these stories, asked for
    ``STORIES_PER_REQUEST`` stories at a time (fewer when the answer is still too big)."""
    pending = sorted(stories)
    while pending:
        part, pending = pending[:STORIES_PER_REQUEST], pending[STORIES_PER_REQUEST:]
        yield from aggregated_part(searcher, schema, query, part, request)


def aggregated_part(searcher, schema, query, part: list[int], request: dict) -> Iterator[dict]:
    these = Query.term_set_query(schema, "story", part)
    within = Query.boolean_query([(Occur.Must, query), (Occur.Must, these)])
    try:
        yield searcher.aggregate(within, request)
    except ValueError as error:
        if not too_many_buckets(error) or len(part) == 1:
            raise
        half = len(part) // 2
        yield from aggregated_part(searcher, schema, query, part[:half], request)
        yield from aggregated_part(searcher, schema, query, part[half:], request)


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
    most = end + sum(copies - 1 for copies in repeated.values())
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
