"""A database that cannot answer now: 503 with what happened, never a 500.

Two faults are expected in service and are not bugs: SQLite stays locked by another writer
past the connection's timeout (``NEWSROOM_SQLITE_TIMEOUT``), and the data directory is
read-only (settings then open SQLite read-only, so only writes fail). Everything else still
reaches Django's 500 handling and the error log with its traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

BUSY = "The archive is busy with another change; please try again in a moment."
READ_ONLY = "The archive is read-only right now, so nothing can be saved; reading still works."
RETRY_AFTER_SECONDS = 5


def database_problem(error: BaseException) -> str | None:
    """What a reader should be told about ``error``, or None when it is not a known fault."""
    if not isinstance(error, OperationalError):
        return None
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return BUSY
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    return None


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        # htmx swaps a 503 into the results region: give it the message alone.
        template = "503.html#problem" if getattr(request, "htmx", False) else "503.html"
        response = render(request, template, {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turns a busy or read-only database into a 503 page (or JSON for the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        message = database_problem(exception)
        if message is None:
            return None
        logger.warning("%s %s answered 503: %s", request.method, request.path, exception)
        return unavailable_response(request, message)
