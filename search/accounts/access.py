"""Who may see what: private mode (NEWSROOM_PRIVATE) and the credentials a request may carry.

One middleware covers every URL, those added later included: in private mode, only the
sign-in, sign-out and password-reset pages and ``/healthz`` are open (static files are served
before any middleware, by WhiteNoise). Everything else needs a signed-in user, who may also be
named by a credential instead of a session:

- ``Authorization: Bearer <API token>`` on a GET or HEAD outside the admin, and on a POST to a
  view marked ``writes_with_api_token`` (alerts); a token is never sent by a browser on its own,
  so it needs no CSRF protection. A wrong or revoked token answers 401.
- ``?token=<feed token>`` on a view marked ``accepts_feed_token`` (the feeds); a wrong or
  revoked token answers 404, as an address that does not exist.

An anonymous request is sent to the sign-in page; under ``/api/`` it gets a JSON 401 instead,
and an htmx request is told (``HX-Redirect``) to load the sign-in page as a whole page.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve, reverse

from search.accounts.api_tokens import user_for_api_token
from search.accounts.feed_tokens import FEED_TOKEN_PARAMETER, user_for_feed_token
from search.conf import get_setting

OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "search:healthz",
        # A mail's one-click unsubscribe (RFC 8058): its signed token names the one alert.
        "search:alert-unsubscribe",
    }
)
TOKEN_METHODS = frozenset({"GET", "HEAD"})
# A signed-in session is saved again (so its idle time starts again) at most this often.
SESSION_REFRESH_SECONDS = 60


def is_private() -> bool:
    return bool(get_setting("PRIVATE"))


class PrivateArchiveMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        refusal = sign_in_by_token(request, view=match.func if match else None)
        if refusal is not None:
            return refusal
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return self.get_response(request)
        if is_private() and not request.user.is_authenticated:
            return refuse_anonymous(request)
        keep_session_alive(request)
        return self.get_response(request)


def sign_in_by_token(request: HttpRequest, *, view) -> HttpResponse | None:
    """Sets request.user from an API or feed token; a response when the token is no good."""
    authorization = request.headers.get("Authorization", "")
    scheme, _, api_token = authorization.partition(" ")
    if (
        scheme.lower() == "bearer"
        and (request.method in TOKEN_METHODS or getattr(view, "writes_with_api_token", False))
        and not request.path_info.startswith("/admin/")
    ):
        user = user_for_api_token(api_token.strip())
        if user is None:
            return token_refused()
        request.user = reading_only(user)
        request.signed_in_by_token = True
        return None
    feed_token = request.GET.get(FEED_TOKEN_PARAMETER)
    if feed_token is not None and getattr(view, "accepts_feed_token", False):
        user = user_for_feed_token(feed_token)
        if user is None:
            raise Http404("There is no feed at this address (has its token been revoked?).")
        request.user = reading_only(user)
        request.signed_in_by_token = True
    return None


def writes_with_api_token(view):
    """Marks an API view that also takes POSTs with an API token (it refuses a session's POST,
    which would need CSRF protection): ``POST /api/alerts``."""
    view.writes_with_api_token = True
    return view


def reading_only(user):
    """A token reads as a reader, whoever made it: an editor's token in a script must not
    show hidden articles (views show them to staff). This request's copy only; never saved."""
    user.is_staff = user.is_superuser = False
    return user


def token_refused() -> JsonResponse:
    response = JsonResponse(
        {"error": "This API token is not valid: it is mistyped or was revoked."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="newsroom", error="invalid_token"'
    return response


def refuse_anonymous(request: HttpRequest) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {
                "error": "This archive is private: sign in, or send an API token "
                "(Authorization: Bearer …) made on your account page."
            },
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="newsroom"'
        return response
    login = redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
    if getattr(request, "htmx", False):
        response = HttpResponse(status=401)
        response["HX-Redirect"] = login["Location"]
        return response
    return login


def keep_session_alive(request: HttpRequest) -> None:
    """A signed-in session expires SESSION_COOKIE_AGE after its last save: touching it now and
    then (not on every request, which would write a row each time) makes that an idle time."""
    if getattr(request, "signed_in_by_token", False) or not request.user.is_authenticated:
        return
    now = int(time.time())
    refresh_every = min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)
    if now - request.session.get("seen", 0) >= refresh_every:
        request.session["seen"] = now
