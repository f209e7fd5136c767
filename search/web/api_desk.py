"""The JSON API of the research desk: batch searches and comparisons over time (see
openapi.py). A batch is its user's: a script sends an API token, which may create batches
(``POST /api/batch``) as well as read."""

from __future__ import annotations

import json
from functools import wraps

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST, require_safe

from search import engine
from search.accounts.access import writes_with_api_token
from search.desk import batch_tables, batches, comparisons
from search.models import BatchSearch
from search.operations.unavailable import RETRY_AFTER_SECONDS
from search.query import InvalidParameter
from search.web.api import error_response
from search.web.batch_views import batch_status

SIGN_IN = (
    "Batches are kept for their user: sign in, or send an API token (Authorization: Bearer …)."
)
FILTER_NAMES = ("minister", "topic", "year", "from", "to")


def token_or_csrf(view):
    """A POST signed by an API token needs no CSRF token (a browser never sends the header by
    itself); one riding on a session cookie does."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs):
        if getattr(request, "signed_in_by_token", False):
            return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return writes_with_api_token(checked)


@token_or_csrf
@require_POST
def batch_create_api(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return error_response(401, SIGN_IN)
    try:
        body = json.loads(request.body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error_response(400, 'The body must be JSON: {"queries": [...], "filters": {...}}.')
    if not isinstance(body, dict):
        return error_response(400, 'The body must be a JSON object with a "queries" list.')
    queries = body.get("queries")
    if not isinstance(queries, list) or not all(isinstance(q, str) for q in queries):
        return error_response(400, "queries must be a list of strings.", "queries")
    try:
        filters = batches.batch_filters(filter_params(body.get("filters") or {}))
        batch = batches.batch_create(
            user=request.user,
            queries=batches.checked_queries([{"query": q.strip(), "label": ""} for q in queries]),
            filters=filters,
            name=str(body.get("name") or ""),
        )
    except batches.BatchProblem as error:
        return error_response(400, str(error), "queries")
    except InvalidParameter as error:
        return error_response(400, error.message, error.name)
    return JsonResponse({"id": batch.pk, "status": batch_status(batch)}, status=201)


def filter_params(filters) -> QueryDict:
    """``{"minister": "x" | [...], "year": 2024, "from": "2024-01-01", ...}`` as URL params."""
    if not isinstance(filters, dict):
        raise InvalidParameter("filters", "filters must be an object")
    unknown = set(filters) - set(FILTER_NAMES)
    if unknown:
        raise InvalidParameter(
            "filters",
            f"unknown filters: {', '.join(sorted(unknown))} (known: {', '.join(FILTER_NAMES)})",
        )
    params = QueryDict(mutable=True)
    for name, value in filters.items():
        for item in value if isinstance(value, list) else [value]:
            params.appendlist(name, str(item))
    return params


@require_safe
def batch_api(request: HttpRequest, batch_id: int) -> JsonResponse:
    if not request.user.is_authenticated:
        return error_response(401, SIGN_IN)
    batch = BatchSearch.objects.select_related("previous").filter(pk=batch_id).first()
    if batch is None or batch.user_id != request.user.pk:
        return error_response(404, f"You have no batch {batch_id}.")
    site = request.build_absolute_uri("/").rstrip("/")
    return JsonResponse(
        {
            "id": batch.pk,
            "status": batch_status(batch),
            "answered": batch.progress,
            "queries": len(batch.queries),
            "rows": batch_tables.json_rows(batch, site),
        }
    )


@require_safe
def compare_api(request: HttpRequest) -> JsonResponse:
    try:
        comparison = comparisons.compare(comparisons.CompareState.from_params(request.GET))
    except InvalidParameter as error:
        return error_response(400, error.message, error.name)
    except engine.IndexUnavailable as error:
        response = error_response(503, str(error))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse(comparisons.payload(comparison))
