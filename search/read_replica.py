"""Search reads from a streaming replica, when one is configured; everything else on the primary.

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database. Two things decide,
per request, where a read goes (both are context variables: each request's thread or task
has its own, nothing is shared between threads):

- ``ReadYourWritesMiddleware`` allows replica reads for GET and HEAD requests only, and not
  for a client that wrote in the last ``REPLICA_READ_YOUR_WRITES_SECONDS`` (a successful
  POST, PUT, PATCH or DELETE sets a short-lived cookie): an editor who hides an article and
  searches at once reads the primary, so sees it gone, instead of the replica that may not
  have replayed the commit yet. Everyone else may see a change after the replication lag.
- ``search_reads()`` marks the reads a search makes (the engine's queries, the hits' rows,
  the facets' labels). Only those go to the replica; sessions, logins, the admin and every
  page that is not a search stay on the primary.

``ReplicaRouter`` writes an object read from the replica to the primary: Django would otherwise
write it back to the database it was read from. Migrations never run on the replica (it
replays the primary's). Everything else is left to Django's defaults (``copy_sqlite_archive``
reads a second database through its objects).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from search.conf import get_setting

REPLICA = "replica"
WROTE_COOKIE = "newsroom_wrote_until"
SAFE_METHODS = {"GET", "HEAD"}

replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)
searching: ContextVar[bool] = ContextVar("searching", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def read_database() -> str:
    """The alias a read should use now: the replica inside a search of a request that may."""
    if searching.get() and replica_allowed.get() and replica_configured():
        return REPLICA
    return DEFAULT_DB_ALIAS


@contextmanager
def flag(variable: ContextVar[bool], value: bool) -> Iterator[None]:
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)


def search_reads() -> Iterator[None]:
    """The reads inside are a search's: the replica's, if this request may read from it."""
    return flag(searching, True)


def replica_reads_allowed(allowed: bool = True) -> Iterator[None]:
    return flag(replica_allowed, allowed)


class ReplicaRouter:
    """No opinion (Django's defaults) except for the replica."""

    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if read_database() == REPLICA else None

    def db_for_write(self, model, **hints) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db == REPLICA:
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, first, second, **hints) -> bool | None:
        # The replica is a copy of the primary: the same rows.
        if {first._state.db, second._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool | None:
        return False if db == REPLICA else None


def wrote_recently(request: HttpRequest) -> bool:
    try:
        return float(request.COOKIES.get(WROTE_COOKIE, "0")) > time.time()
    except ValueError:
        return False


class ReadYourWritesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        may_use_replica = request.method in SAFE_METHODS and not wrote_recently(request)
        with replica_reads_allowed(may_use_replica):
            response = self.get_response(request)
        if (
            request.method not in SAFE_METHODS
            and response.status_code < 400
            and replica_configured()
        ):
            seconds = get_setting("REPLICA_READ_YOUR_WRITES_SECONDS")
            response.set_cookie(
                WROTE_COOKIE,
                f"{time.time() + seconds:.3f}",
                max_age=int(seconds) + 1,
                httponly=True,
                samesite="Lax",
            )
        return response
