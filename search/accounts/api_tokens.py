"""API tokens for scripts: created and revoked by their owner, sent as ``Authorization: Bearer``.

A token is 32 random bytes, so a plain SHA-256 of it is as good as a slow password hash (there
is nothing to guess) and lets a request find its token by an indexed lookup. Only the digest
and the first characters (to tell tokens apart) are kept; the token is shown once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from search.models.accounts import ApiToken

TOKEN_PREFIX = "nrt_"
SHOWN_CHARACTERS = 10
# last_used is written at most this often per token: reading the API should not write a row.
LAST_USED_PRECISION = timedelta(minutes=10)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """The new token's row and the token itself, which is never stored or shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user, name=name.strip(), digest=token_digest(token), prefix=token[:SHOWN_CHARACTERS]
    )
    return row, token


def api_token_revoke(*, user: AbstractBaseUser, token_id: int) -> bool:
    """Delete one of the user's tokens; False when they have no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def user_for_api_token(token: str) -> AbstractBaseUser | None:
    """The active user the token belongs to, or None (unknown, revoked, or user inactive)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used is None or now - row.last_used > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=row.pk).update(last_used=now)
    return row.user
