"""Feed tokens: the secret in one user's feed addresses, so a feed reader (which cannot sign
in) reads their feeds in private mode.

The token is ``<user id>.<HMAC of the user's secret>``: the database alone does not give it
away (the HMAC needs SECRET_KEY), and the account page can show the addresses again at any time.
A user who never revoked has no row and the empty secret, so showing feed addresses (a GET)
writes nothing; revoking (a POST) stores a new random secret, which ends every older address.
"""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.utils.crypto import constant_time_compare, salted_hmac

from search.models.accounts import FeedToken

FEED_TOKEN_PARAMETER = "token"


def token_from_secret(user_id: int, secret: str) -> str:
    signature = salted_hmac("newsroom.feed_tokens", f"{user_id}:{secret}").hexdigest()[:40]
    return f"{user_id}.{signature}"


def current_secret(user_id: int) -> str:
    return FeedToken.objects.filter(user_id=user_id).values_list("secret", flat=True).first() or ""


def feed_token_for(*, user: AbstractBaseUser) -> str:
    """The user's current feed token (reading only)."""
    return token_from_secret(user.pk, current_secret(user.pk))


def feed_token_revoke(*, user: AbstractBaseUser) -> None:
    """Every feed address the user had stops working; the pages show new ones."""
    FeedToken.objects.update_or_create(user=user, defaults={"secret": secrets.token_urlsafe(32)})


def user_for_feed_token(token: str) -> AbstractBaseUser | None:
    user_id, _, _ = token.partition(".")
    if not (user_id.isascii() and user_id.isdigit() and len(user_id) <= 18):
        return None
    user = get_user_model().objects.filter(pk=int(user_id), is_active=True).first()
    if user is None or not constant_time_compare(
        token, token_from_secret(user.pk, current_secret(user.pk))
    ):
        return None
    return user


def accepts_feed_token(view):
    """Marks a view a feed reader may open with ``?token=`` (see search.accounts.access)."""
    view.accepts_feed_token = True
    return view
