"""Read side: engine results joined with the database rows the pages and the API show."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import models

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


@dataclass(frozen=True)
class Tag:
    """A minister or topic of a hit: what its chip shows and the slug it filters by."""

    slug: str
    name: str


@dataclass(frozen=True)
class ResultRow:
    article: Article
    title_highlighted: str
    snippet: str
    ministers: tuple[Tag, ...] = ()
    topics: tuple[Tag, ...] = ()


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


def run_search(search_query: SearchQuery, *, tags_on_articles: bool = True) -> SearchPage:
    """Search, then load the hits' articles (public ones only) and label the facets.

    Each row carries its ministers and topics as ``Tag``s. With ``tags_on_articles`` its
    article also answers ``article.ministers.all()`` without a query of its own (exports,
    mail and feeds read them there); the pages and the API read the rows' tags, which
    costs two plain queries instead of Django's prefetching.

    Raises ``engine.IndexUnavailable`` and ``query.InvalidParameter`` (page out of range).
    """
    with read_replica.search_reads():
        return search_page(search_query, tags_on_articles=tags_on_articles)


def search_page(search_query: SearchQuery, *, tags_on_articles: bool = True) -> SearchPage:
    search_query = replace(search_query, ministers=current_minister_slugs(search_query.ministers))
    results = engine.search(search_query)
    ids = [hit.id for hit in results.hits]
    articles = Article.objects.filter(pk__in=ids, status="published").defer(*HIT_ROW_DEFERRED)
    if tags_on_articles:
        articles = {
            article.pk: article for article in articles.prefetch_related("ministers", "topics")
        }
        ministers = {
            pk: tuple(Tag(m.slug, m.name) for m in article.ministers.all())
            for pk, article in articles.items()
        }
        topics = {
            pk: tuple(Tag(t.slug, t.label) for t in article.topics.all())
            for pk, article in articles.items()
        }
    else:
        articles = {article.pk: article for article in articles}
        ministers = tags_by_article(Article.ministers.through, "minister", "name", list(articles))
        topics = tags_by_article(Article.topics.through, "topic", "label", list(articles))
    # The index follows the database after each commit; a hit hidden a moment ago is skipped.
    rows = [
        ResultRow(
            articles[hit.id],
            hit.title_highlighted,
            hit.snippet,
            ministers=ministers.get(hit.id, ()),
            topics=topics.get(hit.id, ()),
        )
        for hit in results.hits
        if hit.id in articles
    ]
    return SearchPage(results=results, rows=rows, facets=label_facets(results, search_query))


def tags_by_article(
    through: type[models.Model], tag: str, name: str, article_ids: list[int]
) -> dict[int, tuple[Tag, ...]]:
    """Article id -> its tags of one kind (``through``: the articles' m2m table to them), in
    the order of their names, as prefetching gives them."""
    if not article_ids:
        return {}
    found: dict[int, list[Tag]] = {}
    pairs = (
        through.objects.filter(article_id__in=article_ids)
        .order_by(f"{tag}__{name}", f"{tag}_id")
        .values_list("article_id", f"{tag}__slug", f"{tag}__{name}")
    )
    for article_id, slug, label in pairs:
        found.setdefault(article_id, []).append(Tag(slug, label))
    return {article_id: tuple(tags) for article_id, tags in found.items()}


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
    names = facet_names(results)
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
            )
            for count in counts
        ]
    return facets


# The names facet values show are kept this long: the engine contract has no index version
# to key them on. An editor's change drops them at once in its own process (search.signals);
# other processes show the change within this time.
FACET_NAMES_SECONDS = 60
FACET_NAMES_KEY = "facet-names"
NAMED_FACETS = ("minister", "topic", "label")


def facet_names(results: SearchResults) -> dict[str, dict[str, str]]:
    """Facet -> value (slug) -> the name shown: kept, and loaded again when a value is not
    among the kept names (a minister an import has just made)."""
    names = cache.get(FACET_NAMES_KEY)
    if names is None or any(
        count.value not in names[facet]
        for facet in NAMED_FACETS
        for count in results.facets.get(facet, ())
    ):
        names = {
            "minister": dict(Minister.objects.order_by().values_list("slug", "name")),
            "topic": dict(Topic.objects.order_by().values_list("slug", "label")),
            "label": dict(Label.objects.order_by().values_list("slug", "name")),
        }
        cache.set(FACET_NAMES_KEY, names, FACET_NAMES_SECONDS)
    return names


def forget_facet_names() -> None:
    cache.delete(FACET_NAMES_KEY)


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
