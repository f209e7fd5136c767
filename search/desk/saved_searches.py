"""Saved searches: a name and a search state behind a short, unguessable link.

Services write (``saved_search_create``); the readers answer what a saved search finds now.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import QueryDict

from search import engine, selectors
from search.accounts.allowances import (
    OverAllowance,
    count_alone,
    seconds_until_allowed,
    try_again_in,
)
from search.conf import get_setting
from search.models import Minister, SavedSearch, Topic
from search.query import InvalidParameter, SearchQuery
from search.text import strip_unsafe_characters

# Lower-case letters and digits without the look-alikes (l, o, 0, 1): easy to read out or
# type from paper. 31**8 ≈ 8.5e11 slugs, so a collision is rare; we retry when one happens.
SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
SLUG_LENGTH = 8
SLUG_ATTEMPTS = 10


def new_slug() -> str:
    return "".join(secrets.choice(SLUG_ALPHABET) for _ in range(SLUG_LENGTH))


RATE_WINDOW = timedelta(hours=1)


class TooManySaves(OverAllowance):
    """This client saved as many searches as it may in the last hour."""


def saved_search_create(
    *,
    name: str,
    search_query: SearchQuery,
    client: str,
    owner: AbstractBaseUser | None = None,
    visibility: str = "listed",
) -> SavedSearch:
    """Store the search (from its first page) under a fresh random slug.

    Anonymous saves (no ``owner``) are listed and limited per client: raises TooManySaves when
    ``client`` (see search.accounts.clients) saved its hourly allowance. A signed-in owner,
    whose account an operator made, is not limited. The saved rows themselves are the count,
    in the database every process and node shares; on
    SQLite the transaction starts with the write lock (IMMEDIATE), so the count and the insert
    are one step however many processes serve.

    The name and the words lose the characters no output can carry (``search.text``): they
    would break the search's feed.
    """
    # Stored as it will be read back: parsing drops the unsafe characters (search.query).
    query_string = search_query_from_string(
        search_query.with_page(1).to_query_string()
    ).to_query_string()
    with transaction.atomic():
        if owner is None:
            require_allowance(client=client)
        for _ in range(SLUG_ATTEMPTS):
            slug = new_slug()
            try:
                with transaction.atomic():
                    return SavedSearch.objects.create(
                        name=strip_unsafe_characters(name).strip(),
                        slug=slug,
                        query_string=query_string,
                        client=client,
                        owner=owner,
                        visibility=visibility if owner is not None else "listed",
                    )
            except IntegrityError:
                if not SavedSearch.objects.filter(slug=slug).exists():
                    raise  # not a slug collision
    raise RuntimeError(f"No free slug after {SLUG_ATTEMPTS} attempts; is the table full?")


def require_allowance(*, client: str) -> None:
    limit = get_setting("SAVES_PER_CLIENT_PER_HOUR")
    if limit <= 0:
        raise TooManySaves("Saving searches is switched off on this site.", 3600)
    count_alone(SavedSearch, client)  # the caller's transaction then adds the row
    saves = SavedSearch.objects.filter(client=client, owner=None)
    wait = seconds_until_allowed(saves, limit=limit, window=RATE_WINDOW)
    if wait is not None:
        raise TooManySaves(
            f"You have saved {limit} searches in the last hour, the most allowed. "
            + try_again_in(wait),
            retry_after_seconds=wait,
        )


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
    total: int | None  # None: not counted yet, or it could not be (then see problem)
    problem: str = ""


# How long a count is kept and shown without searching again. The engine contract has no
# cheap "index version" yet to key counts on; until it has, a count may lag an edit by this.
COUNT_CACHE_SECONDS = 60


def count_cache_key(query_string: str) -> str:
    digest = hashlib.sha256(query_string.encode()).hexdigest()
    return f"saved-search-count:{digest}"


def summarise(saved_searches: list[SavedSearch]) -> list[SavedSearchSummary]:
    """Each saved search with a readable description and its count if one was taken in the
    last COUNT_CACHE_SECONDS. Never searches: one slow saved search must not hold up the list
    (the page asks for the missing counts one by one, see ``count_summary``)."""
    summaries = []
    for saved_search in saved_searches:
        try:
            search_query = saved_search_query(saved_search)
        except InvalidParameter as error:
            summaries.append(SavedSearchSummary(saved_search, "", None, error.message))
            continue
        total = cache.get(count_cache_key(saved_search.query_string))
        summaries.append(SavedSearchSummary(saved_search, describe(search_query), total))
    return summaries


def count_summary(saved_search: SavedSearch) -> SavedSearchSummary:
    """The saved search counted now (and the count kept for the list)."""
    try:
        search_query = saved_search_query(saved_search)
    except InvalidParameter as error:
        return SavedSearchSummary(saved_search, "", None, error.message)
    description = describe(search_query)
    try:
        total = selectors.count_results(search_query)
    except engine.IndexUnavailable as error:
        return SavedSearchSummary(saved_search, description, None, str(error))
    cache.set(count_cache_key(saved_search.query_string), total, COUNT_CACHE_SECONDS)
    return SavedSearchSummary(saved_search, description, total)


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
