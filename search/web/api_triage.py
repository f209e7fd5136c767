"""The JSON API of triage: an article's star, labels and notes (search.desk.triage).

Reading goes by the user's session or API token; writing (POST, DELETE) takes an API token
only: a token is no cookie a browser sends by itself, so these need no CSRF token (the pages
write through their own forms, with one). Only published articles answer; a hidden one is 404.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from search.accounts.access import writes_with_api_token
from search.desk import triage
from search.models import Article, Label, Note
from search.web.api import error_response

SIGN_IN = "Sign in, or send an API token (Authorization: Bearer …)."
TOKEN_TO_WRITE = "Send an API token (Authorization: Bearer …) to write."


def label_payload(label: Label) -> dict:
    return {"name": label.name, "slug": label.slug, "colour": label.colour_hex}


def note_payload(note: Note) -> dict:
    return {
        "id": note.pk,
        "author": note.author.get_username(),
        "text": note.text,
        "shared": note.shared,
        "created": note.created.isoformat(),
        "updated": note.updated.isoformat(),
    }


def refusal(request: HttpRequest, *, writes: bool) -> JsonResponse | None:
    """An answer when this request may not read (or write) triage; None when it may."""
    if writes:
        if not request.user.is_authenticated:
            return error_response(401, SIGN_IN)
        if not getattr(request, "signed_in_by_token", False):
            return error_response(403, TOKEN_TO_WRITE)
    elif not triage.may_read(request.user):
        return error_response(401, SIGN_IN)
    return None


def published_article(article_id: int) -> Article | None:
    return triage.visible_articles().filter(pk=article_id).first()


def json_body(request: HttpRequest) -> dict | JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "The body is not JSON.")
    if not isinstance(body, dict):
        return error_response(400, "The body is a JSON object.")
    return body


def refused(error: triage.TriageRefused) -> JsonResponse:
    response = error_response(error.status, error.message)
    if error.retry_after_seconds:
        response["Retry-After"] = str(error.retry_after_seconds)
    return response


@writes_with_api_token
@csrf_exempt  # written with an API token only (refusal), never with a session cookie
@require_http_methods(["POST", "DELETE"])
def star_api(request: HttpRequest, article_id: int) -> JsonResponse:
    answer = refusal(request, writes=True)
    if answer is not None:
        return answer
    article = published_article(article_id)
    if article is None:
        return error_response(404, "There is no such article.")
    starred = triage.star_set(user=request.user, article=article, starred=request.method == "POST")
    return JsonResponse({"article": article.pk, "starred": starred})


def labels_answer(article: Article, *, status: int = 200) -> JsonResponse:
    labels = triage.labels_by_article([article.pk]).get(article.pk, [])
    return JsonResponse(
        {"article": article.pk, "labels": [label_payload(label) for label in labels]},
        status=status,
    )


@writes_with_api_token
@csrf_exempt  # written with an API token only (refusal), never with a session cookie
@require_http_methods(["GET", "HEAD", "POST"])
def labels_api(request: HttpRequest, article_id: int) -> JsonResponse:
    answer = refusal(request, writes=request.method == "POST")
    if answer is not None:
        return answer
    article = published_article(article_id)
    if article is None:
        return error_response(404, "There is no such article.")
    if request.method != "POST":
        return labels_answer(article)
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    if not isinstance(body.get("label"), str):
        return error_response(400, 'Send {"label": "its name"}.')
    try:
        label = triage.label_named(
            name=body["label"], user=request.user, colour=str(body.get("colour", ""))
        )
        added = triage.label_add(user=request.user, article=article, label=label)
    except triage.TriageRefused as error:
        return refused(error)
    return labels_answer(article, status=201 if added else 200)


@writes_with_api_token
@csrf_exempt  # written with an API token only (refusal), never with a session cookie
@require_http_methods(["DELETE"])
def label_remove_api(request: HttpRequest, article_id: int, label: str) -> JsonResponse:
    answer = refusal(request, writes=True)
    if answer is not None:
        return answer
    article = published_article(article_id)
    if article is None:
        return error_response(404, "There is no such article.")
    found = (
        Label.objects.filter(slug=label).first() or Label.objects.filter(name__iexact=label).first()
    )
    if found is None:
        return error_response(404, "There is no label of this name or slug.")
    triage.label_remove(user=request.user, article=article, label=found)
    return labels_answer(article)


@writes_with_api_token
@csrf_exempt  # written with an API token only (refusal), never with a session cookie
@require_http_methods(["GET", "HEAD", "POST"])
def notes_api(request: HttpRequest, article_id: int) -> JsonResponse:
    answer = refusal(request, writes=request.method == "POST")
    if answer is not None:
        return answer
    article = published_article(article_id)
    if article is None:
        return error_response(404, "There is no such article.")
    if request.method != "POST":
        notes = triage.readable_notes(request.user).filter(article=article)
        return JsonResponse(
            {
                "article": article.pk,
                "notes": [note_payload(n) for n in notes.select_related("author")],
            }
        )
    body = json_body(request)
    if isinstance(body, JsonResponse):
        return body
    if not isinstance(body.get("text"), str) or not isinstance(body.get("shared", False), bool):
        return error_response(400, 'Send {"text": "…", "shared": true or false}.')
    try:
        note = triage.note_create(
            user=request.user, article=article, text=body["text"], shared=body.get("shared", False)
        )
    except triage.TriageRefused as error:
        return refused(error)
    return JsonResponse(note_payload(note), status=201)
