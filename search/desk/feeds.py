"""Atom feeds: each saved search's newest matching articles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from search import selectors
from search.desk.saved_searches import describe, saved_search_query
from search.links import saved_search_feed_url, saved_search_url
from search.models import Article, SavedSearch
from search.query import InvalidParameter, SearchQuery
from search.text import strip_unsafe_characters

FEED_ITEMS = 20
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class FeedSource:
    saved_search: SavedSearch
    search_query: SearchQuery | None  # None: the stored query string is not valid
    problem: str = ""


def safe_value(value):
    """A feed's or an entry's value (text, a list of categories, a date) with its text safe."""
    if isinstance(value, str):
        return strip_unsafe_characters(value)
    if isinstance(value, list | tuple):
        return [safe_value(item) for item in value]
    return value


class SafeAtomFeed(Atom1Feed):
    """Atom whose every text is XML: Django's writer raises on a control character (a 500 for
    every request of the feed) and would write a lone surrogate or U+FFFF that no reader
    parses. Rows are cleaned on the way in; this keeps any other text from breaking a feed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*map(safe_value, args), **{k: safe_value(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs) -> None:
        super().add_item(*map(safe_value, args), **{k: safe_value(v) for k, v in kwargs.items()})


class SavedSearchFeed(Feed):
    """Newest first, public articles only (the index holds no hidden ones, and the selector
    filters again). Raises engine.IndexUnavailable; the view turns that into a 503."""

    feed_type = SafeAtomFeed
    author_name = "Newsroom"

    def get_object(self, request, slug: str) -> FeedSource:
        saved = SavedSearch.objects.get(slug=slug)  # DoesNotExist: the Feed view answers 404
        try:
            return FeedSource(saved, saved_search_query(saved))
        except InvalidParameter as error:
            return FeedSource(saved, None, error.message)

    def title(self, source: FeedSource) -> str:
        return f"{source.saved_search.name} · Newsroom"

    def subtitle(self, source: FeedSource) -> str:
        if source.search_query is None:
            return f"This saved search is broken ({source.problem}); an editor can fix it."
        return f"The newest articles matching {describe(source.search_query)}."

    def link(self, source: FeedSource) -> str:
        return saved_search_url(source.saved_search)

    def feed_url(self, source: FeedSource) -> str:
        return saved_search_feed_url(source.saved_search)

    def items(self, source: FeedSource) -> list[Article]:
        if source.search_query is None:
            return []
        newest = replace(source.search_query, sort="newest", page=1, per_page=FEED_ITEMS)
        return [row.article for row in selectors.run_search(newest).rows]

    def item_title(self, article: Article) -> str:
        return article.title

    def item_description(self, article: Article) -> str:
        text = " ".join(article.body.split())
        if len(text) > SUMMARY_CHARS:
            text = text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"
        return escape(text)  # Atom summary type="html": plain text escaped once

    def item_link(self, article: Article) -> str:
        return article.get_absolute_url()

    def item_pubdate(self, article: Article) -> datetime.datetime:
        if article.published:
            return datetime.datetime.combine(article.published, datetime.time(), datetime.UTC)
        return article.created

    def item_updateddate(self, article: Article) -> datetime.datetime:
        return article.updated

    def item_categories(self, article: Article) -> list[str]:
        return [topic.label for topic in article.topics.all()]
