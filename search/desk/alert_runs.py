"""What is due, what is new, and sending it exactly once (``manage.py send_alerts``).

A run first sends again what an earlier run left unsent (the SMTP server was down or refused,
or the process died), each when its backoff allows; then checks each alert that is due. A check
compares the search's newest matches with the articles the alert already dealt with; the new
ones are recorded in one transaction with the delivery (its Message-ID and its articles) BEFORE
the mail goes out, and the delivery is marked sent once the SMTP server accepted it. So a crash
loses nothing, and re-sends at most the one mail in flight, with the same Message-ID.

An alert whose delivery waits is not checked: its new matches wait too, for the next mail.
A mail server that refuses the recipient for good (SMTP 5xx for that address) is not asked
again while the owner's address stays the one refused: the refusal is recorded on the alert
(its page says so) and the delivery waits, untried, until the address is corrected. A 4xx or a
server that is down is tried again with backoff, as a mail server would; and as a mail server
gives a message up after its queue lifetime (Postfix's maximal_queue_lifetime), a delivery that
fails so when it is ALERT_MAIL_LIFETIME_DAYS old is given up: never tried again, while the
alert's next matches make a new one. A delivery held for a corrected address is not given up.
Only one run at a time sends (a lock the operating system or PostgreSQL drops with a dead
process), so cron, a systemd timer and ``dev.py serve``'s loop may overlap safely.
"""

from __future__ import annotations

import datetime
import fcntl
import logging
import smtplib
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from search import engine
from search.conf import get_setting
from search.desk.alert_mail import compose
from search.desk.alerts import alert_search_query, matching_rows, may_follow, take_baseline
from search.models import Alert, AlertDelivery, AlertSentArticle

logger = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 30
BACKOFF_CAP = datetime.timedelta(hours=1)
MAIL_DAY = datetime.timedelta(hours=24)
# Any 64-bit number of our own: the PostgreSQL advisory lock of a run.
RUN_LOCK_KEY = 0x4E52_414C_4552_5453


@dataclass
class RunReport:
    sent: int = 0
    waiting: int = 0  # deliveries left for a later attempt
    given_up: int = 0  # deliveries this run stopped trying: they outlived their lifetime
    checked: int = 0
    skipped_busy: bool = False  # another run held the lock
    problems: list[str] = field(default_factory=list)


def run_due(*, now: datetime.datetime) -> RunReport:
    """Send what is due at ``now``: waiting deliveries first, then the alerts' new matches."""
    report = RunReport()
    with one_run_at_a_time() as alone:
        if not alone:
            report.skipped_busy = True
            return report
        smtp = get_connection(timeout=SMTP_TIMEOUT_SECONDS)
        for delivery in deliveries_to_try(now=now):
            deliver(delivery, now=now, smtp=smtp, report=report)
        for alert in due_alerts(now=now):
            report.checked += 1
            try:
                delivery = check(alert, now=now)
            except engine.IndexUnavailable as error:
                report.problems.append(f"alert {alert.pk}: {error}")
                continue
            if delivery is not None:
                deliver(delivery, now=now, smtp=smtp, report=report)
    report.waiting = waiting_deliveries().count()
    return report


def waiting_deliveries() -> QuerySet[AlertDelivery]:
    """Deliveries neither sent nor given up."""
    return AlertDelivery.objects.filter(sent=None, given_up=None)


def deliveries_to_try(*, now: datetime.datetime) -> Iterator[AlertDelivery]:
    """Unsent deliveries whose backoff is over, but none to an address refused for good while
    it is still its owner's."""
    refused_still = Q(alert__refused_address=F("alert__owner__email")) & ~Q(
        alert__refused_address=""
    )
    waiting = waiting_deliveries().filter(next_attempt__lte=now)
    return iter(waiting.exclude(refused_still))


def due_alerts(*, now: datetime.datetime) -> Iterator[Alert]:
    alerts = (
        Alert.objects.filter(active=True, owner__is_active=True)
        .exclude(pk__in=waiting_deliveries().values("alert_id"))
        .select_related("owner", "saved_search")
    )
    return (alert for alert in alerts if is_due(alert, now=now))


def is_due(alert: Alert, *, now: datetime.datetime) -> bool:
    if alert.last_checked is None:
        return True  # its baseline is still to take
    if alert.frequency == Alert.Frequency.DAILY:
        return alert.last_checked < last_digest_time(alert, now=now)
    every = datetime.timedelta(minutes=get_setting("ALERT_CHECK_MINUTES"))
    return now - alert.last_checked >= every


def last_digest_time(alert: Alert, *, now: datetime.datetime) -> datetime.datetime:
    """The latest digest hour, in the alert's time zone, at or before ``now``."""
    zone = zoneinfo.ZoneInfo(alert.time_zone)
    local_day = now.astimezone(zone).date()
    for day in (local_day, local_day - datetime.timedelta(days=1)):
        scheduled = datetime.datetime.combine(day, datetime.time(alert.digest_hour), tzinfo=zone)
        if scheduled <= now:
            return scheduled
    raise AssertionError("yesterday's digest hour is always past")


def check(alert: Alert, *, now: datetime.datetime) -> AlertDelivery | None:
    """Record this alert's new matches with a delivery to send; None when there is nothing
    new, nothing it may show, or its owner's mails for the day are used up (the matches wait).
    Raises engine.IndexUnavailable."""
    search_query = alert_search_query(alert)
    if search_query is None or not may_follow(alert.saved_search, user=alert.owner):
        return None
    if alert.last_checked is None:
        take_baseline(alert, now=now)
        return None
    matches = [row.article.pk for row in matching_rows(search_query)]
    dealt_with = set(
        AlertSentArticle.objects.filter(alert=alert, article_id__in=matches).values_list(
            "article_id", flat=True
        )
    )
    new = [article_id for article_id in matches if article_id not in dealt_with]
    if not new:
        Alert.objects.filter(pk=alert.pk).update(last_checked=now)
        return None
    limit = get_setting("ALERT_MAILS_PER_DAY")
    mails_today = AlertDelivery.objects.filter(
        alert__owner=alert.owner, created__gt=now - MAIL_DAY
    ).count()
    if mails_today >= limit:
        return None
    with transaction.atomic():
        delivery = AlertDelivery.objects.create(
            alert=alert,
            message_id=make_msgid(domain=mail_domain()),
            article_ids=new,
            new_matches=len(new),
            last_of_the_day=mails_today + 1 >= limit,
            created=now,
            next_attempt=now,
        )
        AlertSentArticle.objects.bulk_create(
            [AlertSentArticle(alert=alert, article_id=pk, delivery=delivery) for pk in new]
        )
        Alert.objects.filter(pk=alert.pk).update(last_checked=now)
    return delivery


def deliver(delivery: AlertDelivery, *, now: datetime.datetime, smtp, report: RunReport) -> None:
    """Send one delivery; on an SMTP failure it waits 1, 2, 4 … minutes (at most an hour), or is
    given up once it is as old as its lifetime."""
    alert = Alert.objects.select_related("owner", "saved_search").get(pk=delivery.alert_id)
    message = None
    if alert.active and may_follow(alert.saved_search, user=alert.owner):
        try:
            message = compose(delivery, alert=alert)
        except engine.IndexUnavailable as error:
            retry_later(delivery, now=now, error=str(error), problem=str(error), report=report)
            return
    if message is None:  # stopped, or nothing in it may be shown any more: done, unmailed
        delivery.sent, delivery.last_error = now, "not mailed: nothing it may show"
        delivery.save(update_fields=["sent", "last_error"])
        return
    known = Alert.objects.filter(owner=alert.owner, refused_address=alert.owner.email).first()
    if known is not None:  # another alert of theirs found this address refused: not tried again
        hold(delivery, alert=alert, refusal=known.refusal, since=known.refused_at, report=report)
        return
    delivery.attempts += 1
    try:
        smtp.send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        refusal = permanent_refusal(error)
        if refusal is not None:
            hold(delivery, alert=alert, refusal=refusal, since=now, report=report)
            return
        problem = "the SMTP server did not take it"
        error_text = f"{type(error).__name__}: {error}"
        retry_later(delivery, now=now, error=error_text, problem=problem, report=report)
        return
    delivery.sent = now
    delivery.save(update_fields=["sent", "attempts"])
    if alert.refused_address:  # its owner's address was corrected, and works
        Alert.objects.filter(pk=alert.pk).update(refused_address="", refusal="", refused_at=None)
    report.sent += 1


def permanent_refusal(error: Exception) -> str | None:
    """The mail server's answer when it refused the recipient for good (5xx), else None: a 4xx
    (a full mailbox, greylisting, a busy server) is worth trying again."""
    if not isinstance(error, smtplib.SMTPRecipientsRefused) or not error.recipients:
        return None
    answers = list(error.recipients.values())
    if any(code < 500 for code, _ in answers):
        return None
    code, text = answers[0]
    text = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {text}"[:500]


def hold(
    delivery: AlertDelivery,
    *,
    alert: Alert,
    refusal: str,
    since: datetime.datetime,
    report: RunReport,
) -> None:
    """The recipient is refused for good: the delivery waits, untried, until the owner's address
    changes, and the alert says why."""
    delivery.last_error = f"recipient refused for good: {refusal}"[:500]
    delivery.save(update_fields=["attempts", "last_error"])
    Alert.objects.filter(pk=alert.pk).update(
        refused_address=alert.owner.email, refusal=refusal, refused_at=since
    )
    report.problems.append(f"delivery {delivery.pk}: the recipient's address is refused")
    logger.warning("alert mail %s waits for a corrected address: %s", delivery.pk, refusal)


def retry_later(
    delivery: AlertDelivery, *, now: datetime.datetime, error: str, problem: str, report: RunReport
) -> None:
    """A failure worth trying again: the delivery waits for its backoff, unless it is already as
    old as its lifetime; then it is given up (Postfix decides the same way: at a temporary
    failure, by the time the message has spent in the queue)."""
    lifetime_days = get_setting("ALERT_MAIL_LIFETIME_DAYS")
    if now - delivery.created < datetime.timedelta(days=lifetime_days):
        wait(delivery, now=now, error=error)
        report.problems.append(f"delivery {delivery.pk}: {problem}")
        return
    delivery.given_up = now
    unsent_for = f"{lifetime_days} day{'s' if lifetime_days != 1 else ''}"
    given_up = f"given up: still unsent after {unsent_for}; the last error: {error}"
    delivery.last_error = given_up[:500]
    delivery.save(update_fields=["attempts", "given_up", "last_error"])
    report.given_up += 1
    report.problems.append(f"delivery {delivery.pk}: given up: still unsent after {unsent_for}")
    logger.warning("alert mail %s is given up: %s", delivery.pk, delivery.last_error)


def wait(delivery: AlertDelivery, *, now: datetime.datetime, error: str) -> None:
    backoff = datetime.timedelta(minutes=2 ** min(max(delivery.attempts - 1, 0), 6))
    delivery.next_attempt = now + min(backoff, BACKOFF_CAP)
    delivery.last_error = error[:500]
    delivery.save(update_fields=["attempts", "next_attempt", "last_error"])
    logger.warning("alert mail %s waits until %s: %s", delivery.pk, delivery.next_attempt, error)


def mail_domain() -> str:
    return urlsplit(get_setting("SITE_URL")).hostname or "localhost"


@contextmanager
def one_run_at_a_time() -> Iterator[bool]:
    """True when this process holds the run lock; a dead process's lock is dropped at once."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [RUN_LOCK_KEY])
            alone = cursor.fetchone()[0]
        try:
            yield alone
        finally:
            if alone:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
        return
    # SQLite: one machine holds the database file, so a file lock beside it is enough.
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.DATA_DIR / "send_alerts.lock", "a") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
