"""Saved searches: a name and a search state behind a short, unguessable link.

Services write (``saved_search_create``); the readers answer what a saved search finds now.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.http import QueryDict

from search import engine, selectors
from search.models import Minister, SavedSearch, Topic
from search.query import InvalidParameter, SearchQuery

# Lower-case letters and digits without the look-alikes (l, o, 0, 1): easy to read out or
# type from paper. 31**8 ≈ 8.5e11 slugs, so a collision is rare; we retry when one happens.
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
SLUG_LENGTH = 8
SLUG_ATTEMPTS = 10


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


def saved_search_create(*, name: str, search_query: SearchQuery) -> SavedSearch:
    """Store the search (from its first page) under a fresh random slug."""
    query_string = search_query.with_page(1).to_query_string()
    for _ in range(SLUG_ATTEMPTS):
        slug = new_slug()
        try:
            with transaction.atomic():
                return SavedSearch.objects.create(
                    name=name.strip(), slug=slug, query_string=query_string
                )
        except IntegrityError:
            if not SavedSearch.objects.filter(slug=slug).exists():
                raise  # not a slug collision
    raise RuntimeError(f"No free slug after {SLUG_ATTEMPTS} attempts; is the table full?")


def search_query_from_string(query_string: str) -> SearchQuery:
    """Raises InvalidParameter when the query string is not a valid search."""
    return SearchQuery.from_params(QueryDict(query_string))


def saved_search_query(saved_search: SavedSearch) -> SearchQuery:
    """The stored state; raises InvalidParameter when an edited query string is not valid."""
    return search_query_from_string(saved_search.query_string)


@dataclass(frozen=True)
class SavedSearchSummary:
    saved_search: SavedSearch
    description: str
    total: int | None  # None: the count could not be taken (see problem)
    problem: str = ""


def summarise(saved_searches: list[SavedSearch]) -> list[SavedSearchSummary]:
    """Each saved search with a readable description and how many articles it finds now."""
    summaries = []
    for saved_search in saved_searches:
        try:
            search_query = saved_search_query(saved_search)
        except InvalidParameter as error:
            summaries.append(SavedSearchSummary(saved_search, "", None, error.message))
            continue
        description = describe(search_query)
        try:
            total = selectors.count_results(search_query)
        except engine.IndexUnavailable as error:
            summaries.append(SavedSearchSummary(saved_search, description, None, str(error)))
            continue
        summaries.append(SavedSearchSummary(saved_search, description, total))
    return summaries


SORT_DESCRIPTIONS = {
    "relevance": "most relevant first",
    "newest": "newest first",
    "oldest": "oldest first",
}


def describe(search_query: SearchQuery) -> str:
    """A short human description of a search: words, filters and order."""
    parts = []
    if search_query.q.strip():
        parts.append(f"“{search_query.q.strip()}”")
    ministers = Minister.objects.filter(slug__in=search_query.ministers)
    topics = Topic.objects.filter(slug__in=search_query.topics)
    names = dict(ministers.values_list("slug", "name"))
    labels = dict(topics.values_list("slug", "label"))
    parts += [f"minister: {names.get(slug, slug)}" for slug in search_query.ministers]
    parts += [f"topic: {labels.get(slug, slug)}" for slug in search_query.topics]
    parts += [f"year: {year}" for year in search_query.years]
    if search_query.date_from:
        parts.append(f"from {search_query.date_from.isoformat()}")
    if search_query.date_to:
        parts.append(f"to {search_query.date_to.isoformat()}")
    if search_query.sort:
        parts.append(SORT_DESCRIPTIONS[search_query.sort])
    return ", ".join(parts) or "all articles"
