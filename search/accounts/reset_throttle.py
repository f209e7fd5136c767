"""Password-reset requests, counted per address typed and per client: each one mails a link, so
an open form would let anyone flood a reader's inbox, or the site's mail server, from a script.

Requests are counted whether or not the address has an account, so the answers never tell which
addresses exist; the table keeps keyed hashes, never the addresses.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from search.accounts.allowances import (
    OverAllowance,
    count_alone,
    seconds_until_allowed,
    try_again_in,
)
from search.conf import get_setting
from search.models.accounts import PasswordResetRequest

RESET_WINDOW = timedelta(hours=1)


class TooManyResets(OverAllowance):
    pass


def address_key(email: str) -> str:
    address = email.strip().casefold()
    return salted_hmac("newsroom.reset_throttle.address", address).hexdigest()[:32]


def reset_allowance_use(*, email: str, client: str) -> None:
    """Count one reset request, or raise TooManyResets when the address or the client made
    their hour's allowance already (counted and added alone: ``count_alone``)."""
    now = timezone.now()
    account = address_key(email)
    limits = [
        ({"account": account}, get_setting("PASSWORD_RESETS_PER_ADDRESS")),
        ({"client": client}, get_setting("PASSWORD_RESETS_PER_CLIENT")),
    ]
    with transaction.atomic():
        count_alone(PasswordResetRequest, account, client)
        PasswordResetRequest.objects.filter(created__lt=now - RESET_WINDOW).delete()
        for match, limit in limits:
            requests = PasswordResetRequest.objects.filter(**match)
            wait = seconds_until_allowed(requests, limit=limit, window=RESET_WINDOW, now=now)
            if wait is not None:
                raise TooManyResets(
                    "Too many requests for a password-reset link. " + try_again_in(wait),
                    retry_after_seconds=wait,
                )
        PasswordResetRequest.objects.create(account=account, client=client)
