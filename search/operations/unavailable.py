"""A database that cannot answer now: 503 with what happened, never a 500.

The faults expected in service, which are not bugs: SQLite stays locked by another writer past
the connection's timeout (``NEWSROOM_SQLITE_TIMEOUT``); the data directory is read-only (SQLite
is then opened read-only, so only writes fail: ``newsroom/sqlite/base.py``); the SQLite file is
missing, damaged or holds no tables (an operator restores a backup); a PostgreSQL server cannot
be reached (down, restarting, or a connection cut by it or a pooler). Everything else still
reaches Django's 500 handling and the error log with its traceback. The messages never name a
file, a host or a user: the details go to the server log.

A fault raised in a view is answered by the middleware; one raised in another middleware (the
session, a private archive's token lookup) has already become a 500 response by then, so the
500 handler (``server_error``) asks the same question of the exception being handled.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults

logger = logging.getLogger(__name__)

BUSY = "The archive is busy with another change; please try again in a moment."
READ_ONLY = "The archive is read-only right now, so nothing can be saved; reading still works."
RESTORE = "an operator must restore it from a backup (manage.py restore)"
MISSING = f"The archive's database cannot be opened (missing or unreadable); {RESTORE}."
DAMAGED = f"The archive's database is damaged; {RESTORE}."
EMPTY = f"The archive's database holds no tables; {RESTORE}, or migrate a new one."
UNREACHABLE = "The archive's database cannot be reached right now; please try again shortly."
# PostgreSQL SQLSTATEs that mean the connection, not the statement, failed: class 08
# (connection exception) and the server shutting down or starting up.
CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
RETRY_AFTER_SECONDS = 5


def database_problem(error: BaseException | None) -> str | None:
    """What a reader should be told about ``error``, or None when it is not a known fault."""
    if not isinstance(error, DatabaseError):
        return None
    text = str(error).lower()
    if not isinstance(error, OperationalError):
        # SQLite's SQLITE_NOTADB and SQLITE_CORRUPT: the file is not (or no longer) a database.
        return DAMAGED if "not a database" in text or "malformed" in text else None
    if connection_lost(error):
        return UNREACHABLE
    if "locked" in text or "busy" in text:
        return BUSY
    if "readonly" in text or "read-only" in text:
        return READ_ONLY
    if "unable to open database file" in text:
        return MISSING
    if "malformed" in text or "not a database" in text:
        return DAMAGED
    if text.startswith("no such table") and not sqlite_is_migrated():
        return EMPTY
    return None  # a table missing from a migrated database is a bug: a 500 with its traceback


def sqlite_is_migrated() -> bool:
    """Whether the SQLite database has Django's table of migrations (a file replaced by an
    empty one has no tables at all)."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        return True
    try:
        return "django_migrations" in connection.introspection.table_names()
    except DatabaseError:
        return False


def connection_lost(error: OperationalError) -> bool:
    """True when PostgreSQL could not be reached: psycopg's error for a failed connect has no
    SQLSTATE (the server never answered); a connection cut later has one of class 08."""
    cause = error.__cause__
    if not type(cause).__module__.startswith("psycopg"):
        return False
    state = getattr(cause, "sqlstate", None)
    return state is None or state.startswith(CONNECTION_STATES)


def wants_json(request: HttpRequest) -> bool:
    return answers_json(request.path) or "application/json" in request.headers.get("Accept", "")


def answers_json(path: str) -> bool:
    """The API and the health check answer JSON, errors included; pages answer HTML."""
    return path.startswith("/api/") or path == HEALTH_PATH


HEALTH_PATH = "/healthz"


def unavailable_response(request: HttpRequest, message: str) -> HttpResponse:
    if request.path == HEALTH_PATH:
        # The health check's own shape: its view never ran (a middleware failed first).
        body = {"status": "unavailable", "database": message, "index": "not checked"}
        response = JsonResponse(body, status=503)
    elif wants_json(request):
        response = JsonResponse({"error": message}, status=503)
    else:
        # htmx swaps a 503 into the results region: give it the message alone.
        template = "503.html#problem" if getattr(request, "htmx", False) else "503.html"
        response = render(request, template, {"message": message}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler: a known database fault (raised outside a view) still gets its 503;
    anything else Django's own (500.html without context processors, which may read the
    database that just failed)."""
    message = database_problem(sys.exc_info()[1])
    if message is not None:
        return unavailable_response(request, message)
    return defaults.server_error(request)


class DatabaseUnavailableMiddleware:
    """Turns a database fault (busy, read-only, missing, damaged, unreachable) into a 503 page,
    or JSON for the API and the health check."""

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
