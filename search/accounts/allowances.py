"""How often a client (or an account) may do something: a count of its recent rows in the
database that every process and node shares (the cache is per process, so a limit kept there
would multiply by the number of workers and nodes).

Each limited action keeps its own rows (saved searches, export records, failed sign-ins,
password-reset requests); this module reads their timestamps, lets one request at a time
count them (`count_alone`), and words the refusal.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone


class OverAllowance(Exception):
    """Refused for now: ``message`` says why and how long to wait (``retry_after_seconds``)."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = retry_after_seconds


def seconds_until_allowed(
    rows: QuerySet, *, limit: int, window: timedelta, now: datetime | None = None
) -> int | None:
    """None while fewer than ``limit`` of ``rows`` (which have a ``created`` column) are from
    the last ``window``; else the seconds until the oldest of the last ``limit`` leaves it."""
    now = now or timezone.now()
    recent = rows.filter(created__gte=now - window).order_by("-created")
    created = list(recent.values_list("created", flat=True)[:limit])
    if len(created) < limit:
        return None
    return max(1, math.ceil((created[-1] + window - now).total_seconds()))


def try_again_in(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}."


def count_alone(model: type[Model], *keys: str) -> None:
    """Inside the transaction that counts and then adds a row of ``model``: wait for any other
    transaction counting the same keys, so parallel requests cannot all pass the count. SQLite's
    transactions take the write lock first, which already does it; on PostgreSQL a
    transaction-scoped advisory lock a key does (taken in one order: no deadlock)."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"{model._meta.db_table}:{key}"],
            )
