"""What accounts own besides their password: API tokens, a feed token, failed sign-ins and
password-reset requests.

Re-exported by ``search.models``, like every table of the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A named credential for scripts; only its SHA-256 is kept (see search.accounts.api_tokens)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    # The token's first characters, shown on the account page so its owner can tell them apart.
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class FeedToken(models.Model):
    """The secret in one user's feed addresses; a new secret revokes every old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    secret = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"feed token of {self.user}"


class CountedAttempt(models.Model):
    """One attempt a throttle counts (search.accounts.allowances): keyed hashes of the account (or
    address) typed and of the client, never either."""

    account = models.CharField(max_length=32, db_index=True)
    client = models.CharField(max_length=32, db_index=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        abstract = True


class LoginFailure(CountedAttempt):
    """One failed sign-in."""

    def __str__(self) -> str:
        return f"failed sign-in at {self.created:%Y-%m-%d %H:%M}"


class PasswordResetRequest(CountedAttempt):
    """One request for a password-reset mail."""

    def __str__(self) -> str:
        return f"password reset asked at {self.created:%Y-%m-%d %H:%M}"
