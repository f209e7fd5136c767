"""Feed tokens: the secret in one user's feed addresses, so a feed reader (which cannot sign
in) reads their feeds in private mode.

The token is ``<user id>.<HMAC of a random secret>``: the database alone does not give it away
(the HMAC needs SECRET_KEY), and the account page can show the addresses again at any time.
Revoking deletes the secret; the next page that shows feed addresses makes a new one.
"""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.utils.crypto import constant_time_compare, salted_hmac

from search.account_models import FeedToken

FEED_TOKEN_PARAMETER = "token"


def token_from_secret(user_id: int, secret: str) -> str:
    signature = salted_hmac("newsroom.feed_tokens", f"{user_id}:{secret}").hexdigest()[:40]
    return f"{user_id}.{signature}"


def feed_token_for(*, user: AbstractBaseUser) -> str:
    """The user's current feed token, made on first use."""
    row, _ = FeedToken.objects.get_or_create(
        user=user, defaults={"secret": secrets.token_urlsafe(32)}
    )
    return token_from_secret(user.pk, row.secret)


def feed_token_revoke(*, user: AbstractBaseUser) -> bool:
    deleted, _ = FeedToken.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_feed_token(token: str) -> AbstractBaseUser | None:
    user_id, _, _ = token.partition(".")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18):
        return None
    row = (
        FeedToken.objects.select_related("user")
        .filter(user_id=int(user_id), user__is_active=True)
        .first()
    )
    if row is None or not constant_time_compare(token, token_from_secret(row.user_id, row.secret)):
        return None
    return row.user


def accepts_feed_token(view):
    """Marks a view a feed reader may open with ``?token=`` (see search.access)."""
    view.accepts_feed_token = True
    return view
