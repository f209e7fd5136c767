"""URLs of the pages, built from the search state (the URL query string is the state)."""

from __future__ import annotations

from django.urls import reverse

from search.models import Article, SavedSearch
from search.query import SearchQuery


def search_url(search_query: SearchQuery) -> str:
    """The search page showing this state, at its canonical URL."""
    query_string = search_query.to_query_string()
    base = reverse("search:search")
    return f"{base}?{query_string}" if query_string else base


def article_url(article: Article, search_query: SearchQuery | None = None) -> str:
    """The article page, carrying the search it was reached from (for highlights and 'back')."""
    query_string = search_query.to_query_string() if search_query else ""
    base = article.get_absolute_url()
    return f"{base}?{query_string}" if query_string else base


def saved_search_url(saved_search: SavedSearch) -> str:
    return reverse("search:saved-search", args=[saved_search.slug])


def saved_search_feed_url(saved_search: SavedSearch) -> str:
    return reverse("search:saved-search-feed", args=[saved_search.slug])
