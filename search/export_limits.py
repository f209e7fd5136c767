"""How many exports a client may start: a per-client hourly allowance, kept in the database.

The default cache is per process (no CACHES setting), so a limit kept there would multiply by
the number of workers and nodes; the database is shared by all of them, as for saved searches.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from search.conf import get_setting
from search.models import ExportRecord

RATE_WINDOW = timedelta(hours=1)


class TooManyExports(Exception):
    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = retry_after_seconds


def export_allowance_use(*, client: str) -> None:
    """Count one export for ``client``, or raise TooManyExports when its hour is used up."""
    limit = get_setting("EXPORTS_PER_CLIENT_PER_HOUR")
    if limit <= 0:
        raise TooManyExports("Exporting searches is switched off on this site.", 3600)
    now = timezone.now()
    with transaction.atomic():
        ExportRecord.objects.filter(created__lt=now - RATE_WINDOW).delete()
        recent = ExportRecord.objects.filter(client=client).order_by("-created")
        started = list(recent.values_list("created", flat=True)[:limit])
        if len(started) >= limit:
            wait = (started[-1] + RATE_WINDOW - now).total_seconds()
            minutes = max(1, math.ceil(wait / 60))
            raise TooManyExports(
                f"You have exported {limit} searches in the last hour, the most allowed. "
                f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}.",
                retry_after_seconds=max(1, math.ceil(wait)),
            )
        ExportRecord.objects.create(client=client)
