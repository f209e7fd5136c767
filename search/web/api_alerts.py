"""The JSON API of alerts: ``GET /api/alerts`` lists yours, ``POST /api/alerts`` turns one on,
changes or stops it. Writing needs an API token (``Authorization: Bearer``): a token is no
cookie a browser sends by itself, so the POST needs no CSRF token (see openapi.py)."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from search.accounts.access import writes_with_api_token
from search.desk import alerts
from search.models import Alert, SavedSearch
from search.web.api import error_response


def alert_payload(request: HttpRequest, alert: Alert) -> dict:
    saved_search = alert.saved_search
    return {
        "id": alert.pk,
        "saved_search": {
            "slug": saved_search.slug,
            "name": saved_search.name,
            "url": request.build_absolute_uri(f"/s/{saved_search.slug}/"),
        },
        "frequency": alert.frequency,
        "digest_hour": alert.digest_hour,
        "time_zone": alert.time_zone,
        "active": alert.active,
        "created": alert.created.isoformat(),
        "last_checked": alert.last_checked.isoformat() if alert.last_checked else None,
        "mail_refused": refusal_payload(alert),
        "mail_given_up": given_up_payload(alert),
    }


def refusal_payload(alert: Alert) -> dict | None:
    refused = alerts.refused_mail(alert)
    if refused is None:
        return None
    since = refused.since.isoformat() if refused.since else None
    return {"address": refused.address, "status": refused.status, "since": since}


def given_up_payload(alert: Alert) -> dict | None:
    given_up = alerts.given_up_mail(alert)
    if given_up is None:
        return None
    return {
        "new_matches": given_up.new_matches,
        "found": given_up.found.isoformat(),
        "given_up": given_up.given_up.isoformat(),
    }


@writes_with_api_token
@csrf_exempt  # a POST is accepted with an API token only (below), never with a session cookie
@require_http_methods(["GET", "HEAD", "POST"])
def alerts_api(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return error_response(401, "Sign in, or send an API token (Authorization: Bearer …).")
    if request.method == "POST":
        if not getattr(request, "signed_in_by_token", False):
            return error_response(403, "Send an API token (Authorization: Bearer …) to write.")
        return alert_post(request)
    mine = Alert.objects.filter(owner=request.user).select_related("owner", "saved_search")
    return JsonResponse({"alerts": [alert_payload(request, alert) for alert in mine]})


def alert_post(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "The body is not JSON.")
    if not isinstance(body, dict):
        return error_response(400, "The body is a JSON object.")
    saved_search = SavedSearch.objects.filter(slug=str(body.get("saved_search", ""))).first()
    if saved_search is None or not alerts.may_follow(saved_search, user=request.user):
        return error_response(
            404, "There is no saved search with this slug that you may follow.", "saved_search"
        )
    existing = Alert.objects.filter(owner=request.user, saved_search=saved_search).first()
    schedule = {
        "frequency": body.get("frequency", existing.frequency if existing else "arrive"),
        "digest_hour": body.get("digest_hour", existing.digest_hour if existing else 8),
        "time_zone": body.get("time_zone", existing.time_zone if existing else "UTC"),
    }
    active = body.get("active", True)
    if not isinstance(schedule["digest_hour"], int) or not isinstance(active, bool):
        return error_response(400, "digest_hour is a whole number and active true or false.")
    try:
        if existing is not None and not active:
            alerts.alert_stop(existing)
            alert = existing
        elif active:
            alert = alerts.alert_turn_on(
                owner=request.user, saved_search=saved_search, now=timezone.now(), **schedule
            )
        else:
            return error_response(404, "You have no alert on this saved search.", "saved_search")
    except alerts.AlertRefused as error:
        return error_response(400, error.message)
    alert.refresh_from_db()
    status = 200 if existing is not None else 201
    return JsonResponse(alert_payload(request, alert), status=status)
