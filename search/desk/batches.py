"""Batch searches: up to 1,000 queries with the same filters, answered by a runner.

A batch is stored "queued"; the ``run_batches`` command (started beside the web server by
``dev.py serve``) claims it, answers its queries one by one and saves the rows as it goes,
touching ``heartbeat``. A runner that dies leaves the batch "running" with the rows it saved:
once the heartbeat is older than ``STALE_AFTER``, the next runner takes it up from there.

Each query is one counted search (``counting.counted``) of every copy, with the search page's
filters: its total is the matches, and the engine counts the stories among them, their first
and last dates and the matches per year (the year facet). A query with a problem gets its
message in its row and the others still run.
"""

from __future__ import annotations

import csv
import datetime
import io
import time
from dataclasses import replace

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from search import engine
from search.desk.counting import counted
from search.links import search_url
from search.models import BatchSearch
from search.query import InvalidParameter, SearchQuery, SearchResults

MAX_QUERIES = 1000
MOST_WAITING_PER_USER = 5  # one runner answers batches in turn: nobody queues everyone out
MAX_QUERY_CHARACTERS = 2000
STALE_AFTER = datetime.timedelta(seconds=60)
SAVE_EVERY_SECONDS = 0.5  # the page polls each second: fresher rows would not be seen
BUSY_ATTEMPTS = (
    4  # each waits up to COSTLY_SEARCH_WAIT (5 s): a query stays well within STALE_AFTER
)
UNAVAILABLE_MESSAGE = "The search index is not available right now: run the batch again later."
BUSY_MESSAGE = "Costly searches kept every turn taken: run the batch again later."


class BatchProblem(ValueError):
    """Queries that cannot make a batch, said so the user can fix them."""


def read_queries(*, text: str = "", csv_text: str = "") -> list[dict[str, str]]:
    """``{"query", "label"}`` from lines of text, or from a CSV with a header row naming a
    ``query`` column (and a ``label`` column if wanted). Blank lines are skipped."""
    if csv_text.strip():
        queries = queries_from_csv(csv_text)
    else:
        queries = [{"query": line.strip(), "label": ""} for line in text.splitlines()]
    return checked_queries(queries)


def checked_queries(queries: list[dict[str, str]]) -> list[dict[str, str]]:
    """The queries with words in them; raises ``BatchProblem`` for none, too many, too long."""
    queries = [entry for entry in queries if entry["query"]]
    if not queries:
        raise BatchProblem("Give at least one query: one a line, or a CSV with a query column.")
    if len(queries) > MAX_QUERIES:
        raise BatchProblem(
            f"A batch holds up to {MAX_QUERIES:,} queries; this one has {len(queries):,}. "
            "Split it in several batches."
        )
    for number, entry in enumerate(queries, start=1):
        if len(entry["query"]) > MAX_QUERY_CHARACTERS:
            raise BatchProblem(
                f"Query {number} is longer than {MAX_QUERY_CHARACTERS:,} characters."
            )
    return queries


def queries_from_csv(csv_text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(csv_text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in next(reader, [])]
    if "query" not in header:
        raise BatchProblem(
            'The CSV needs a header row naming a "query" column '
            '(and a "label" column if you want one).'
        )
    query_at = header.index("query")
    label_at = header.index("label") if "label" in header else None

    def cell(cells: list[str], at: int | None) -> str:
        return cells[at].strip() if at is not None and len(cells) > at else ""

    return [{"query": cell(cells, query_at), "label": cell(cells, label_at)} for cells in reader]


def batch_filters(params) -> SearchQuery:
    """The filters every query of a batch gets (no words, sort or page); raises
    ``InvalidParameter``."""
    filters = SearchQuery.from_params(params)
    return SearchQuery(
        ministers=filters.ministers,
        topics=filters.topics,
        years=filters.years,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


def stored_filters(batch: BatchSearch) -> SearchQuery:
    return batch_filters(QueryDict(batch.filters))


def batch_create(
    *,
    user: AbstractBaseUser,
    queries: list[dict[str, str]],
    filters: SearchQuery,
    name: str = "",
    previous: BatchSearch | None = None,
) -> BatchSearch:
    """Raises ``BatchProblem`` when the user has ``MOST_WAITING_PER_USER`` not done yet."""
    waiting = BatchSearch.objects.filter(user=user).exclude(status=BatchSearch.Status.DONE)
    if waiting.count() >= MOST_WAITING_PER_USER:
        raise BatchProblem(
            f"You have {MOST_WAITING_PER_USER} batches waiting or running: start this one "
            "when one of them is done."
        )
    return BatchSearch.objects.create(
        user=user,
        name=name.strip()[:200],
        queries=queries,
        filters=filters.to_query_string(),
        previous=previous,
    )


def batch_run_again(*, batch: BatchSearch) -> BatchSearch:
    """The same queries and filters, queued again; its table shows what changed."""
    return batch_create(
        user=batch.user,
        queries=batch.queries,
        filters=stored_filters(batch),
        name=batch.name,
        previous=batch,
    )


def claim_next_batch() -> BatchSearch | None:
    """The oldest batch waiting (or left running by a runner that died), now this runner's.

    Claimed by compare-and-set on (status, heartbeat): two runners never take the same one.
    """
    now = timezone.now()
    waiting = BatchSearch.objects.filter(
        Q(status=BatchSearch.Status.QUEUED)
        | Q(status=BatchSearch.Status.RUNNING, heartbeat__lt=now - STALE_AFTER)
    ).order_by("created", "id")
    for pk, status, heartbeat in waiting.values_list("pk", "status", "heartbeat")[:10]:
        claimed = BatchSearch.objects.filter(pk=pk, status=status, heartbeat=heartbeat).update(
            status=BatchSearch.Status.RUNNING, heartbeat=now
        )
        if claimed:
            return BatchSearch.objects.get(pk=pk)
    return None


def run_batch(batch: BatchSearch) -> None:
    """Answer the queries not answered yet, saving the rows as they come; then done."""
    filters = stored_filters(batch)
    rows = list(batch.rows)
    saved_at = time.monotonic()
    for entry in batch.queries[len(rows) :]:
        rows.append(answer(entry, filters))
        if time.monotonic() - saved_at >= SAVE_EVERY_SECONDS:
            if not save_rows(batch, rows):
                return  # deleted meanwhile
            saved_at = time.monotonic()
    BatchSearch.objects.filter(pk=batch.pk).update(
        rows=rows,
        status=BatchSearch.Status.DONE,
        heartbeat=timezone.now(),
        finished=timezone.now(),
    )


def save_rows(batch: BatchSearch, rows: list[dict]) -> bool:
    return bool(BatchSearch.objects.filter(pk=batch.pk).update(rows=rows, heartbeat=timezone.now()))


def run_waiting_batches() -> int:
    """Run every batch waiting now, one after the other; how many ran."""
    ran = 0
    while (batch := claim_next_batch()) is not None:
        run_batch(batch)
        ran += 1
    return ran


def answer(entry: dict[str, str], filters: SearchQuery) -> dict:
    """One row of the table: the query's counts, or its problem in ``message``."""
    search_query = replace(filters, q=entry["query"])
    row = {
        "query": entry["query"],
        "label": entry.get("label", ""),
        "matches": None,
        "stories": None,
        "first": None,
        "last": None,
        "per_year": {},
        "message": "",
        "url": search_url(search_query),
    }
    try:
        found = taking_turns(replace(search_query, every_copy=True))
    except InvalidParameter as error:
        return {**row, "message": error.message}
    except engine.SearchBusy:
        return {**row, "message": BUSY_MESSAGE}
    except engine.IndexUnavailable:
        return {**row, "message": UNAVAILABLE_MESSAGE}
    years = set(filters.years)
    return {
        **row,
        "matches": found.total,
        "stories": found.stories,
        "first": found.first_published.isoformat() if found.first_published else None,
        "last": found.last_published.isoformat() if found.last_published else None,
        "per_year": {
            str(count.value): count.count
            for count in sorted(found.facets.get("year", []), key=lambda c: c.value)
            if count.count and (not years or count.value in years)
        },
        "message": " ".join(notices(found)),
    }


def taking_turns(search_query: SearchQuery) -> SearchResults:
    """A search that waits for a costly search's turn as long as it takes (within reason):
    a batch is not a reader at the page, so it may wait where the page answers "busy"."""
    for attempt in range(BUSY_ATTEMPTS):
        try:
            return counted(search_query)
        except engine.SearchBusy:
            if attempt == BUSY_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def notices(results: SearchResults) -> list[str]:
    said = list(results.notices)
    if results.relaxed is not None:
        said.append(results.relaxed.message)
    return said
