"""Alerts on saved searches: turning them on, changing and stopping them, and who may have one.

A signed-in user with a mail address may follow their own saved searches and the listed ones,
up to ALERTS_PER_USER. Turning one on records what the search already finds (the baseline):
only what matches later is mailed. What is due and what is sent: ``search.desk.alert_runs``.
"""

from __future__ import annotations

import contextlib
import datetime
import zoneinfo
from dataclasses import dataclass, replace
from functools import cache

from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from search import engine, selectors
from search.conf import get_setting
from search.desk.saved_search_access import LISTED
from search.desk.saved_searches import saved_search_query
from search.models import Alert, AlertDelivery, AlertSentArticle, SavedSearch
from search.query import MAX_PER_PAGE, InvalidParameter, PageOutOfRange, SearchQuery

# Each check compares this many of the newest matches with what was sent: an article imported
# with an older date than all of them is not mailed (a search that broad is no alert).
WATCHED_MATCHES = 1000
UNSUBSCRIBE_SALT = "alert-unsubscribe"
FREQUENCIES = dict(Alert.Frequency.choices)


class AlertRefused(Exception):
    """An alert that cannot be turned on or changed, with a message for its user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@cache
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones() - {"localtime"}))


def may_follow(saved_search: SavedSearch, *, user: AbstractBaseUser) -> bool:
    """Their own saved searches and the listed ones (the same rule when mails are sent)."""
    return user.is_active and (
        saved_search.owner_id == user.pk or saved_search.visibility == LISTED
    )


def followable_saved_searches(*, user: AbstractBaseUser) -> list[SavedSearch]:
    searches = SavedSearch.objects.filter(Q(owner=user) | Q(visibility=LISTED))
    return list(searches.order_by("name", "id"))


def alert_turn_on(
    *,
    owner: AbstractBaseUser,
    saved_search: SavedSearch,
    frequency: str,
    digest_hour: int,
    time_zone: str,
    now: datetime.datetime,
) -> Alert:
    """A new alert (or this search's alert turned on again), baseline taken.

    Raises AlertRefused with a message for the user."""
    if not may_follow(saved_search, user=owner):
        raise AlertRefused("You may only follow your own saved searches and the listed ones.")
    if not owner.email:
        raise AlertRefused("Your account has no mail address: ask an editor to add one.")
    require_valid_schedule(frequency=frequency, digest_hour=digest_hour, time_zone=time_zone)
    with transaction.atomic():
        alert = Alert.objects.filter(owner=owner, saved_search=saved_search).first()
        if alert is None:
            limit = get_setting("ALERTS_PER_USER")
            if Alert.objects.filter(owner=owner).count() >= limit:
                raise AlertRefused(
                    f"You have reached the limit of {limit} alerts: stop one to follow this search."
                )
            alert = Alert(owner=owner, saved_search=saved_search)
        alert.frequency, alert.digest_hour, alert.time_zone = frequency, digest_hour, time_zone
        alert.active = True
        alert.save()
    if alert.last_checked is None:
        with contextlib.suppress(engine.IndexUnavailable):  # the first run takes it instead
            take_baseline(alert, now=now)
    return alert


def alert_change(
    alert: Alert, *, frequency: str, digest_hour: int, time_zone: str, active: bool
) -> Alert:
    require_valid_schedule(frequency=frequency, digest_hour=digest_hour, time_zone=time_zone)
    alert.frequency, alert.digest_hour, alert.time_zone = frequency, digest_hour, time_zone
    alert.active = active
    alert.save(update_fields=["frequency", "digest_hour", "time_zone", "active"])
    return alert


def alert_stop(alert: Alert) -> None:
    """Turned off, keeping what was sent: turned on again, it mails only what is new."""
    alert.active = False
    alert.save(update_fields=["active"])


def require_valid_schedule(*, frequency: str, digest_hour: int, time_zone: str) -> None:
    if frequency not in FREQUENCIES:
        raise AlertRefused("Choose “As they arrive” or “Daily digest”.")
    if not 0 <= digest_hour <= 23:
        raise AlertRefused("The digest hour is from 0 to 23.")
    if time_zone not in time_zone_names():
        raise AlertRefused("Choose a time zone from the list, such as Europe/Paris.")


def take_baseline(alert: Alert, *, now: datetime.datetime) -> None:
    """What the search finds now counts as already sent. Raises engine.IndexUnavailable."""
    query = alert_search_query(alert)
    ids = matching_ids(query) if query is not None else []
    with transaction.atomic():
        AlertSentArticle.objects.bulk_create(
            [AlertSentArticle(alert=alert, article_id=article_id) for article_id in ids],
            ignore_conflicts=True,
        )
        alert.last_checked = now
        alert.save(update_fields=["last_checked"])


def matching_rows(search_query: SearchQuery) -> list[selectors.ResultRow]:
    """The search's newest matches (published articles only, as on its page), up to
    WATCHED_MATCHES. Raises engine.IndexUnavailable."""
    newest = replace(search_query, sort="newest", per_page=MAX_PER_PAGE)
    rows: list[selectors.ResultRow] = []
    for page in range(1, WATCHED_MATCHES // MAX_PER_PAGE + 1):
        try:
            found = selectors.run_search(newest.with_page(page))
        except PageOutOfRange:
            break
        rows += found.rows
        if page >= found.results.pages:
            break
    return rows


def matching_ids(search_query: SearchQuery) -> list[int]:
    return [row.article.pk for row in matching_rows(search_query)]


def alert_search_query(alert: Alert):
    """The saved search's query as the alert's owner may run it ("Starred by me" and "With
    notes" are theirs), or None when an editor left it invalid."""
    # triage imports this module (every match of a search, for a label action): a cycle
    # if imported at the top.
    from search.desk.triage import for_reader

    try:
        return for_reader(saved_search_query(alert.saved_search), alert.owner)
    except InvalidParameter:
        return None


@dataclass(frozen=True)
class RefusedMail:
    """What the alert's owner is told: their address, the SMTP status the mail server answered
    (the rest of its answer may name its machines), and since when."""

    address: str
    status: str
    since: datetime.datetime | None


def refused_mail(alert: Alert) -> RefusedMail | None:
    """The owner's address when the mail server refused it for good and it is still theirs."""
    if not alert.refused_address or alert.refused_address != alert.owner.email:
        return None
    status = alert.refusal.split(" ", 1)[0]
    return RefusedMail(address=alert.refused_address, status=status, since=alert.refused_at)


@dataclass(frozen=True)
class GivenUpMail:
    """What the alert's owner is told of a mail given up: how many new matches it held, when
    they were found and when the mail was given up (the server's answers stay in the admin)."""

    new_matches: int
    found: datetime.datetime
    given_up: datetime.datetime


def given_up_mail(alert: Alert) -> GivenUpMail | None:
    """The alert's latest mail when it was given up (its mail server never took it): said until
    a later mail of the alert is written."""
    latest = AlertDelivery.objects.filter(alert=alert).order_by("-created", "-id").first()
    if latest is None or latest.given_up is None:
        return None
    return GivenUpMail(
        new_matches=latest.new_matches, found=latest.created, given_up=latest.given_up
    )


def unsubscribe_token(alert: Alert) -> str:
    """Signed with the site's secret: stops this one alert, for anyone holding the mail."""
    return signing.dumps(alert.pk, salt=UNSUBSCRIBE_SALT)


def alert_for_unsubscribe_token(token: str) -> Alert | None:
    try:
        alert_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Alert.objects.select_related("saved_search").filter(pk=alert_id).first()


def site_url(path: str) -> str:
    """An absolute link for a mail, on the site's own address (SITE_URL)."""
    return get_setting("SITE_URL").rstrip("/") + path


def unsubscribe_url(alert: Alert) -> str:
    return site_url(reverse("search:alert-unsubscribe", args=[unsubscribe_token(alert)]))
