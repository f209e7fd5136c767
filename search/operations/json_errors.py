"""Errors in the caller's format: under /api/ (and /healthz) every error is JSON.

Pages answer HTML, the API answers ``{"error": message}`` (the shape ``search.web.api`` uses),
whoever made the error response: a view, Django's handlers (400, 403, 404, 500), a decorator
(405), the CSRF check (403) or a throttle (429). One middleware, first in the chain, so it sees
the response even when a later middleware failed.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

from search.operations.unavailable import answers_json

MESSAGES = {
    400: "The request could not be read.",
    403: "This request is refused (a form sent without its CSRF token is refused too).",
    404: "There is nothing at this address; see /api/openapi.json.",
    429: "Too many requests; please try again later.",
    500: "Something went wrong on our side; the error has been logged. Please try again.",
    503: "Unavailable for a moment; please try again shortly.",
}
MAX_MESSAGE_CHARACTERS = 500
# What a client needs to act on the answer: which methods, when to retry, how to sign in.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary", "Cache-Control")


def error_message(response: HttpResponse) -> str:
    """A plain-text answer was written for its caller: its words are kept. An HTML page's are
    not (it is a page for people, and may be long)."""
    if is_plain_text(response) and not response.streaming and response.content.strip():
        return response.content.decode(errors="replace").strip()[:MAX_MESSAGE_CHARACTERS]
    if response.status_code == 405:
        return f"This address answers {response.get('Allow', 'other methods')} only."
    if response.status_code in MESSAGES:
        return MESSAGES[response.status_code]
    try:
        return f"{HTTPStatus(response.status_code).phrase}."
    except ValueError:
        return "The request could not be answered."


def media_type(response: HttpResponse) -> str:
    return response.get("Content-Type", "").split(";")[0].strip()


def is_json(response: HttpResponse) -> bool:
    return media_type(response).endswith("json")


def is_plain_text(response: HttpResponse) -> bool:
    return media_type(response) == "text/plain"


def as_json(response: HttpResponse) -> JsonResponse:
    answer = JsonResponse({"error": error_message(response)}, status=response.status_code)
    for header in KEPT_HEADERS:
        if header in response:
            answer[header] = response[header]
    return answer


class JsonErrorsMiddleware:
    """Replaces an HTML (or empty, or plain-text) error response under /api/ with JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code >= 400 and answers_json(request.path) and not is_json(response):
            return as_json(response)
        return response
