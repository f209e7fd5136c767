"""Failed sign-ins, counted per account name and per client, in the database every process and
node shares (the cache is per process; django-axes would be a second copy of this table).

The authentication backend refuses while either count is over its limit, so every form that
signs in (ours and the admin's) is throttled; our form also says how long to wait. Failures are
counted for any name typed, existing or not, so the answer never tells which accounts exist.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from search.accounts.allowances import (
    OverAllowance,
    count_alone,
    seconds_until_allowed,
    try_again_in,
)
from search.accounts.clients import request_client_key
from search.conf import get_setting
from search.models.accounts import LoginFailure


class LoginThrottled(OverAllowance):
    pass


def account_key(username: str) -> str:
    """A keyed hash of the name as typed (case-folded): the table never holds account names."""
    name = username.strip().casefold()
    return salted_hmac("newsroom.login_throttle.account", name).hexdigest()[:32]


def login_client_key(request: HttpRequest | None) -> str:
    # Sign-ins without a request (tests, scripts) share one key.
    return request_client_key(request) if request is not None else "no-request"


def failure_window() -> timedelta:
    return timedelta(minutes=get_setting("LOGIN_FAILURE_WINDOW_MINUTES"))


def require_login_allowance(*, username: str, client: str) -> None:
    """Raises LoginThrottled while the account name or the client failed too often lately."""
    limits = [
        ({"account": account_key(username)}, get_setting("LOGIN_FAILURES_PER_ACCOUNT")),
        ({"client": client}, get_setting("LOGIN_FAILURES_PER_CLIENT")),
    ]
    for match, limit in limits:
        failures = LoginFailure.objects.filter(**match)
        wait = seconds_until_allowed(failures, limit=limit, window=failure_window())
        if wait is not None:
            raise LoginThrottled(
                "Too many failed attempts to sign in. " + try_again_in(wait),
                retry_after_seconds=wait,
            )


def record_login_failure(*, username: str, client: str) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(created__lt=now - failure_window()).delete()
    LoginFailure.objects.create(account=account_key(username), client=client)


def forget_login_failures(*, username: str) -> None:
    """After a good sign-in the account starts afresh (the client's count stays)."""
    LoginFailure.objects.filter(account=account_key(username)).delete()


def claim_login_attempt(*, username: str, client: str) -> None:
    """Count this attempt as a failure before the password is checked (a good password takes
    it back), or raise LoginThrottled. Checking and counting are one step for each account
    and client: parallel attempts (a password check takes ~0.3 s) cannot all pass the check
    before any is counted (``count_alone``)."""
    with transaction.atomic():
        count_alone(LoginFailure, account_key(username), client)
        require_login_allowance(username=username, client=client)
        record_login_failure(username=username, client=client)


class ThrottledModelBackend(ModelBackend):
    """Django's own backend, refusing (PermissionDenied) while the sign-in is throttled."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        try:
            claim_login_attempt(username=username, client=login_client_key(request))
        except LoginThrottled as error:
            if request is not None:
                request.login_throttled = error  # for the form's message (its check came first)
            raise PermissionDenied from None  # authenticate() stops here and answers None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            forget_login_failures(username=username)
        return user
