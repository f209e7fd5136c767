"""What is distinctive about a search's matches: the panel the search page loads after itself
(htmx), and the same as a page of its own (JavaScript off, or a link to keep)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from search import engine
from search.desk import triage
from search.desk.distinctive import KINDS, Distinctive, distinctive
from search.links import search_url
from search.operations.unavailable import RETRY_AFTER_SECONDS
from search.query import InvalidParameter, SearchQuery

KIND_LABELS = {"word": "Words", "phrase": "Phrases", "minister": "Ministers", "topic": "Topics"}


def distinctive_url(search_query: SearchQuery) -> str:
    query_string = search_query.with_page(1).to_query_string()
    base = reverse("search:distinctive")
    return f"{base}?{query_string}" if query_string else base


def panel_context(found: Distinctive) -> dict:
    """The sample's note and each kind's terms, each with the link that narrows the search."""
    return {
        "sample_note": found.sample_note,
        "groups": [
            {
                "label": KIND_LABELS[kind],
                "terms": [
                    {"term": term.term, "matches": term.matches, "url": search_url(term.narrowed)}
                    for term in found.of_kind(kind)
                ],
            }
            for kind in KINDS
            if found.of_kind(kind)
        ],
    }


@require_safe
@vary_on_headers("HX-Request")
def distinctive_page(request: HttpRequest) -> HttpResponse:
    status, context = 200, {"problem": None}
    try:
        search_query = SearchQuery.from_params(request.GET)
        context |= {"query": search_query, "back_url": search_url(search_query)}
        # As the search page runs it for this reader ("Starred by me", labels).
        context |= panel_context(distinctive(triage.for_reader(search_query, request.user)))
    except InvalidParameter as error:
        status, context["problem"] = 400, error.message
    except engine.IndexUnavailable as error:
        status, context["problem"] = 503, str(error)
    template = "search/distinctive.html" + ("#panel" if request.htmx else "")
    response = render(request, template, context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
