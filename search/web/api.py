"""The JSON API: the contract the pages, scripts and tests share (see openapi.py)."""

from __future__ import annotations

from dataclasses import replace

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from search import engine, selectors
from search.desk import timeline, triage
from search.desk.distinctive import distinctive
from search.links import search_url
from search.models import Article
from search.operations.unavailable import RETRY_AFTER_SECONDS
from search.query import InvalidParameter, PageOutOfRange, SearchQuery, SearchResults
from search.stories import clusters
from search.web import openapi, story_pages
from search.web.understanding import understood


def error_response(status: int, message: str, parameter: str | None = None) -> JsonResponse:
    body = {"error": message}
    if parameter:
        body["parameter"] = parameter
    return JsonResponse(body, status=status)


def article_summary(request: HttpRequest, article: Article) -> dict:
    return {
        **article_fields(request, article),
        "ministers": [{"slug": m.slug, "name": m.name} for m in article.ministers.all()],
        "topics": [{"slug": t.slug, "label": t.label} for t in article.topics.all()],
    }


def hit_summary(request: HttpRequest, row: selectors.ResultRow) -> dict:
    """A hit as ``article_summary`` gives it, its tags read from the row."""
    return {
        **article_fields(request, row.article),
        "ministers": [{"slug": tag.slug, "name": tag.name} for tag in row.ministers],
        "topics": [{"slug": tag.slug, "label": tag.name} for tag in row.topics],
    }


def article_fields(request: HttpRequest, article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "year": article.year,
        "url": request.build_absolute_uri(article.get_absolute_url()),
    }


def search_payload(request: HttpRequest, page: selectors.SearchPage) -> dict:
    results = page.results
    articles = [row.article for row in page.rows]
    other_versions = clusters.versions_in_stories(story_pages.stories_of(articles))
    hit_triage = triage_payloads(request, [row.article.pk for row in page.rows])
    return {
        "query": results.query.q,
        "total": results.total,
        "copies": results.copies,
        "page": results.query.page,
        "pages": results.pages,
        "per_page": results.query.per_page,
        "took_ms": results.took_ms,
        "hits": [
            {
                **hit_summary(request, row),
                "title_highlighted": row.title_highlighted,
                "snippet": row.snippet,
                "other_versions": other_versions.get(row.article.pk, 0),
                **hit_triage.get(row.article.pk, {}),
            }
            for row in page.rows
        ],
        "facets": {
            name: [
                {"value": o.value, "label": o.label, "count": o.count, "selected": o.selected}
                for o in options
            ]
            for name, options in page.facets.items()
        },
        "suggestion": results.suggestion,
        "notices": results.notices,
        "relaxed": relaxed_payload(request, results),
        "understood": understood_payload(request, results),
        "date_histogram": date_histogram_payload(page),
    }


def triage_payloads(request: HttpRequest, article_ids: list[int]) -> dict[int, dict]:
    """Each hit's labels and number of notes, for a reader who may see them."""
    if not triage.may_read(request.user):
        return {}
    labels = triage.labels_by_article(article_ids)
    notes = triage.note_counts(request.user, article_ids)
    return {
        pk: {
            "labels": [{"name": label.name, "slug": label.slug} for label in labels.get(pk, [])],
            "notes": notes.get(pk, 0),
        }
        for pk in article_ids
    }


def relaxed_payload(request: HttpRequest, results: SearchResults) -> dict | None:
    """A search answered with most of its words: which, and the search requiring them all."""
    relaxed = results.relaxed
    if relaxed is None:
        return None
    every_word = replace(results.query, q=relaxed.every_word_q, page=1)
    return {
        "message": relaxed.message,
        "words": list(relaxed.words),
        "minimum": relaxed.minimum,
        "every_word_total": relaxed.every_word_total,
        "every_word_q": relaxed.every_word_q,
        "every_word_url": request.build_absolute_uri(
            f"{reverse('search:api-search')}?{every_word.to_query_string()}"
        ),
    }


def understood_payload(request: HttpRequest, results: SearchResults) -> dict | None:
    """How the query was read: the line, and each part with the search without it."""
    reading = understood(results)
    if reading is None:
        return None
    api = reverse("search:api-search")
    return {
        "text": reading.text,
        "parts": [
            {
                "kind": part.kind,
                "text": part.text,
                "detail": part.detail,
                "without": part.without,
                "without_url": request.build_absolute_uri(
                    f"{api}?{replace(results.query, q=part.without, page=1).to_query_string()}"
                ),
            }
            for part in reading.parts
        ],
    }


def date_histogram_payload(page: selectors.SearchPage) -> dict | None:
    """The timeline's periods (those without matches too) and counts, or None when not
    counted. The API gives no links per period, so the chart itself is not drawn."""
    histogram = page.results.date_histogram
    if histogram is None:
        return None
    counts = {bucket.value: bucket.count for bucket in histogram.buckets}
    shown = timeline.periods(page.query, histogram) if histogram.buckets else []
    return {
        "interval": histogram.interval,
        "buckets": [
            {
                "period": period.key,
                "label": period.label,
                "start": period.first.isoformat(),
                "end": period.last.isoformat(),
                "count": counts.get(period.key, 0),
                "selected": timeline.is_selected(page.query, period, histogram.interval),
            }
            for period in shown
        ],
    }


@require_safe
def search_api(request: HttpRequest) -> JsonResponse:
    try:
        search_query = triage.for_reader(SearchQuery.from_params(request.GET), request.user)
        found = selectors.run_search(search_query, tags_on_articles=False)
        page = triage.without_hidden_facets(found, request.user)
        wanted = request.GET.get("distinctive") == "1"
        terms = distinctive_payload(request, search_query) if wanted else None
    except PageOutOfRange as error:  # as the search page does: that page does not exist
        return error_response(404, error.message, error.name)
    except InvalidParameter as error:
        return error_response(400, error.message, error.name)
    except engine.IndexUnavailable as error:  # damaged, missing, or busy (SearchBusy)
        response = error_response(503, str(error))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    payload = search_payload(request, page)
    if terms is not None:
        payload["distinctive"] = terms
    return JsonResponse(payload)


def distinctive_payload(request: HttpRequest, search_query: SearchQuery) -> list[dict]:
    return [
        {
            "term": term.term,
            "kind": term.kind,
            "score": term.score,
            "matches": term.matches,
            "url": request.build_absolute_uri(search_url(term.narrowed)),
        }
        for term in distinctive(search_query).terms
    ]


def not_found_api(request: HttpRequest, rest: str) -> JsonResponse:
    """Any other path under /api/ (``/api/articles/abc``) answers JSON too, never a page."""
    return error_response(404, f"There is no API endpoint /api/{rest}; see /api/openapi.json.")


@require_safe
def article_api(request: HttpRequest, article_id: int) -> JsonResponse:
    article = selectors.public_article(article_id, include_hidden=request.user.is_staff)
    if article is None:
        return error_response(404, f"No article {article_id}.")
    payload = {
        **article_summary(request, article),
        "body": article.body,
        "source": article.source,
        "more_like_this": [
            {
                "id": other.pk,
                "title": other.title,
                "url": request.build_absolute_uri(other.get_absolute_url()),
            }
            for other in selectors.similar_articles(article) or []
        ],
        "versions": [
            {
                "id": other.pk,
                "title": other.title,
                "published": other.published.isoformat() if other.published else None,
                "source": other.source,
                "url": request.build_absolute_uri(other.get_absolute_url()),
            }
            for other in clusters.other_versions(article)
        ],
    }
    return JsonResponse(payload)


@require_safe
def openapi_document(request: HttpRequest) -> JsonResponse:
    return JsonResponse(openapi.document(server_url=request.build_absolute_uri("/")))
