"""How many exports a client may start: a per-client hourly allowance, kept in the database.

Counted in the database (``search.accounts.allowances``), as saved searches are.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from search.accounts.allowances import (
    OverAllowance,
    count_alone,
    seconds_until_allowed,
    try_again_in,
)
from search.conf import get_setting
from search.models import ExportRecord

RATE_WINDOW = timedelta(hours=1)


class TooManyExports(OverAllowance):
    pass


def export_allowance_use(*, client: str) -> None:
    """Count one export for ``client``, or raise TooManyExports when its hour is used up."""
    limit = get_setting("EXPORTS_PER_CLIENT_PER_HOUR")
    if limit <= 0:
        raise TooManyExports("Exporting searches is switched off on this site.", 3600)
    now = timezone.now()
    with transaction.atomic():
        count_alone(ExportRecord, client)
        ExportRecord.objects.filter(created__lt=now - RATE_WINDOW).delete()
        exports = ExportRecord.objects.filter(client=client)
        wait = seconds_until_allowed(exports, limit=limit, window=RATE_WINDOW, now=now)
        if wait is not None:
            raise TooManyExports(
                f"You have exported {limit} searches in the last hour, the most allowed. "
                + try_again_in(wait),
                retry_after_seconds=wait,
            )
        ExportRecord.objects.create(client=client)
