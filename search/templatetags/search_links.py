"""Links to searches and articles from templates whose context has no ready-made URL."""

from __future__ import annotations

from django import template

from search import links
from search.models import Article
from search.query import SearchQuery

register = template.Library()


@register.simple_tag
def filter_url(facet: str, value: str) -> str:
    """The search for everything with this one minister, topic or year."""
    return links.search_url(SearchQuery().toggled(facet, value))


@register.simple_tag
def article_url(article: Article, search_query: SearchQuery | None = None) -> str:
    return links.article_url(article, search_query)


@register.simple_tag
def search_url(search_query: SearchQuery) -> str:
    return links.search_url(search_query)
