"""Read side: engine results joined with the database rows the pages and the API show."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from search import engine, read_replica
from search.models import Article, FormerMinisterSlug, Label, Minister, Topic
from search.query import SearchQuery, SearchResults

logger = logging.getLogger(__name__)

FACET_LABELS = {"minister": "Minister", "topic": "Topic", "year": "Year", "label": "Label"}


@dataclass(frozen=True)
class FacetOption:
    value: str | int
    label: str
    count: int
    selected: bool
    toggle_query: SearchQuery  # the search with this value added or removed


@dataclass(frozen=True)
class ResultRow:
    article: Article
    title_highlighted: str
    snippet: str


@dataclass
class SearchPage:
    results: SearchResults
    rows: list[ResultRow]
    facets: dict[str, list[FacetOption]]

    @property
    def query(self) -> SearchQuery:
        return self.results.query


# A hit row shows title, date and tags (the snippet comes from the index): the raw input
# (whole HTML pages), the body and the cleaner's notes stay in the database.
HIT_ROW_DEFERRED = ("raw", "body", "removed", "cleaning_overrides", "source_metadata")


def run_search(search_query: SearchQuery) -> SearchPage:
    """Search, then load the hits' articles (public ones only) and label the facets.

    Raises ``engine.IndexUnavailable`` and ``query.InvalidParameter`` (page out of range).
    """
    with read_replica.search_reads():
        return search_page(search_query)


def search_page(search_query: SearchQuery) -> SearchPage:
    search_query = replace(search_query, ministers=current_minister_slugs(search_query.ministers))
    results = engine.search(search_query)
    articles = (
        Article.objects.filter(pk__in=[hit.id for hit in results.hits], status="published")
        .defer(*HIT_ROW_DEFERRED)
        .prefetch_related("ministers", "topics")
        .in_bulk()
    )
    # The index follows the database after each commit; a hit hidden a moment ago is skipped.
    rows = [
        ResultRow(articles[hit.id], hit.title_highlighted, hit.snippet)
        for hit in results.hits
        if hit.id in articles
    ]
    return SearchPage(results=results, rows=rows, facets=label_facets(results, search_query))


def count_results(search_query: SearchQuery) -> int:
    """How many articles a search finds now (no hit rows, one highlighted hit at most)."""
    with read_replica.search_reads():
        search_query = replace(
            search_query,
            page=1,
            per_page=1,
            ministers=current_minister_slugs(search_query.ministers),
        )
        return engine.search(search_query).total


def current_minister_slugs(slugs: tuple[str, ...]) -> tuple[str, ...]:
    """Map the slug of a merged (or renamed) minister to the minister who has its articles now.

    Saved links keep working after a merge; a live minister's slug always wins.
    """
    if not slugs:
        return slugs
    live = set(Minister.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    if live.issuperset(slugs):
        return slugs
    former = dict(
        FormerMinisterSlug.objects.filter(slug__in=set(slugs) - live).values_list(
            "slug", "minister__slug"
        )
    )
    return tuple(dict.fromkeys(former.get(slug, slug) for slug in slugs))


def label_facets(results: SearchResults, search_query: SearchQuery) -> dict[str, list[FacetOption]]:
    names = {
        "minister": dict(Minister.objects.values_list("slug", "name")),
        "topic": dict(Topic.objects.values_list("slug", "label")),
        "label": dict(Label.objects.values_list("slug", "name"))
        if results.facets.get("label")
        else {},
    }
    facets = {}
    for facet, counts in results.facets.items():
        selected = set(search_query.selected(facet))
        labels = names.get(facet, {})
        facets[facet] = [
            FacetOption(
                value=count.value,
                label=labels.get(count.value, str(count.value)),
                count=count.count,
                selected=count.value in selected,
                toggle_query=search_query.toggled(facet, count.value),
            )
            for count in counts
        ]
    return facets


def public_article(article_id: int, *, include_hidden: bool = False) -> Article | None:
    articles = Article.objects.prefetch_related("ministers", "topics")
    if not include_hidden:
        articles = articles.filter(status=Article.Status.PUBLISHED)
    return articles.filter(pk=article_id).first()


def similar_articles(article: Article, *, limit: int = 5) -> list[Article] | None:
    """The articles most like this one, or None when the index cannot be asked now (the
    article itself needs only the database, so its page still answers)."""
    try:
        ids = engine.more_like_this(article.pk, limit=limit)
    except engine.IndexUnavailable as error:
        logger.warning("Similar articles to %s left out: %s", article.pk, error)
        return None
    found = Article.objects.filter(pk__in=ids, status=Article.Status.PUBLISHED).in_bulk()
    return [found[pk] for pk in ids if pk in found]
