"""What the pages show of near-duplicate stories, as plain data: the "N other versions"
control of a hit, the switch between one hit a story and every copy, and a versions list."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import reverse

from search.links import article_url, search_url
from search.models import Article
from search.query import SearchQuery, SearchResults
from search.stories import clusters


@dataclass(frozen=True)
class VersionsToggle:
    """A hit's other versions: listed on its article page, or expanded in place (htmx)."""

    count: int
    label: str  # "1 other version", "3 other versions"
    url: str  # the article page's list, for a reader without JavaScript
    expand_url: str  # the list alone, swapped in under the hit
    target_id: str


@dataclass(frozen=True)
class CopiesSwitch:
    label: str
    url: str


@dataclass(frozen=True)
class VersionRow:
    title: str
    url: str
    published: object  # datetime.date | None
    source: str


def versions_label(count: int) -> str:
    return f"{count} other version{'' if count == 1 else 's'}"


def versions_toggles(
    articles: list[Article], search_query: SearchQuery
) -> dict[int, VersionsToggle]:
    """article id -> its toggle, for the hits whose story has other published versions
    (none while every copy is shown: they are all in the results then)."""
    if search_query.every_copy:
        return {}
    toggles = {}
    by_id = {article.pk: article for article in articles}
    for article_id, count in clusters.versions_in_stories(stories_of(articles)).items():
        article = by_id[article_id]
        query_string = search_query.to_query_string()
        expand = reverse("search:article-versions", args=[article_id])
        toggles[article_id] = VersionsToggle(
            count=count,
            label=versions_label(count),
            url=f"{article_url(article, search_query)}#versions",
            expand_url=f"{expand}?{query_string}" if query_string else expand,
            target_id=f"versions-{article_id}",
        )
    return toggles


def stories_of(articles: list[Article]) -> dict[int, int]:
    """Article id -> its story, for the articles in one."""
    return {
        article.pk: article.story_cluster
        for article in articles
        if article.story_cluster is not None
    }


def copies_switch(results: SearchResults) -> CopiesSwitch | None:
    """The switch between one hit a story and every copy; absent when no copy is hidden."""
    search_query = results.query
    if search_query.every_copy:
        return CopiesSwitch(
            "Show one article per story",
            search_url(replace(search_query, every_copy=False, page=1)),
        )
    if results.copies is None or results.copies <= results.total:
        return None
    return CopiesSwitch(
        f"Show every copy ({results.copies} articles)",
        search_url(replace(search_query, every_copy=True, page=1)),
    )


def version_rows(article: Article, came_from: SearchQuery) -> list[VersionRow]:
    """The article's other published versions, oldest first, each linking to its page."""
    return [
        VersionRow(
            title=other.title,
            url=article_url(other, came_from),
            published=other.published,
            source=other.source,
        )
        for other in clusters.other_versions(article)
    ]
