"""Alerts on saved searches, mailed to a real SMTP server (aiosmtpd on a local port) and read
back with the ``email`` package: only new matches, both parts, one-click unsubscribe, retries
while the server is down, a killed run, digests at the user's hour, limits, visibility."""

from __future__ import annotations

import asyncio
import datetime
import email
import os
import signal
import subprocess
import sys
import threading
from email import policy
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client

from search.desk import alerts, triage
from search.desk.alert_runs import is_due, one_run_at_a_time, run_due
from search.models import Alert, AlertDelivery, Article, SavedSearch, Topic
from search.operations import index_sync
from tests.conftest import on_every_engine

T0 = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
LATER = T0 + 10 * MINUTE


class Inbox:
    """What the SMTP server accepted; ``hold_first`` keeps the first message's answer back."""

    def __init__(self, *, hold_first: bool = False, refuse: int = 0) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.refusals_left = refuse
        self.first_arrived = threading.Event()
        self.release = threading.Event()
        if not hold_first:
            self.release.set()

    async def handle_DATA(self, server, session, envelope):
        if self.refusals_left:
            self.refusals_left -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.first_arrived.set()
        while not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


def start_smtp(inbox: Inbox, port: int) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller


@pytest.fixture
def inbox(smtp_port):
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    yield inbox
    controller.stop()


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


def saved(owner, q: str, *, name: str = "", visibility: str = "private") -> SavedSearch:
    return SavedSearch.objects.create(
        name=name or q, slug=f"s{SavedSearch.objects.count()}", query_string=f"q={q}",
        owner=owner, visibility=visibility,
    )  # fmt: skip


def turn_on(owner, saved_search, *, now=T0, **schedule) -> Alert:
    schedule = {"frequency": "arrive", "digest_hour": 8, "time_zone": "UTC", **schedule}
    return alerts.alert_turn_on(owner=owner, saved_search=saved_search, now=now, **schedule)


def add_article(capture, title: str, *, status: str = "published", day: int = 1) -> Article:
    with capture(execute=True):
        article = Article.objects.create(
            title=title,
            body=f"{title}. The walrus delegation met in the capital.",
            raw="-",
            content_hash=title,
            source_url="https://wire.example.com/story",
            published=datetime.date(2026, 11, day),
            status=status,
        )
        article.topics.add(Topic.objects.first())
    return article


def set_status(capture, article: Article, status: str) -> None:
    with capture(execute=True):
        article.status = status
        article.save()


def parts(message) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html


def test_an_alert_on_starred_by_me_mails_only_what_its_owner_starred(
    seeded, rita, inbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    search = saved(rita, "walrus")
    search.query_string = "q=walrus&starred=1"
    search.save()
    turn_on(rita, search)
    assert run_due(now=LATER).sent == 0, "the baseline"
    add_article(capture, "Walrus nobody starred", day=5)
    assert run_due(now=LATER + 10 * MINUTE).sent == 0 and inbox.messages == []
    starred = add_article(capture, "Walrus rita starred", day=6)
    with capture(execute=True):
        triage.star_set(user=rita, article=starred, starred=True)
    assert run_due(now=LATER + 20 * MINUTE).sent == 1
    plain, _ = parts(inbox.messages[0])
    assert "Walrus rita starred" in plain and "nobody starred" not in plain


@on_every_engine
def test_only_new_matches_are_mailed_never_hidden_ones_never_again_after_an_edit(
    seeded, rita, inbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    old = add_article(capture, "Walrus census begins")
    alert = turn_on(rita, saved(rita, "walrus", name="Walrus <watch>"))
    assert run_due(now=LATER).sent == 0 and inbox.messages == [], "the baseline is not mailed"

    new = add_article(capture, "Walrus <script>alert(1)</script> summit", day=5)
    hidden = add_article(capture, "Walrus secret memo", status="hidden", day=6)
    with capture(execute=True):
        Article.objects.filter(pk=old.pk).update(title="Walrus census begins, edited")
        old.refresh_from_db()
        old.save()
    report = run_due(now=LATER + 10 * MINUTE)
    assert report.sent == 1
    [message] = inbox.messages
    plain, html = parts(message)
    assert message["To"] == "rita@example.org"
    assert message["Subject"] == "1 new article: Walrus <watch>"
    assert "Walrus <script>alert(1)</script> summit" in plain
    assert "Walrus &lt;script&gt;alert(1)&lt;/script&gt; summit" in html
    assert "<script>" not in html and "Walrus &lt;watch&gt;" in html
    assert "<mark>Walrus</mark>" in html, "the snippet's words are marked"
    assert "5 November 2026" in plain and "wire.example.com" in plain
    assert Topic.objects.first().label in plain
    assert f"https://news.example.org/articles/{new.pk}/" in plain
    assert "https://news.example.org/s/" in plain  # all the matches
    assert "secret memo" not in plain + html and "census" not in plain + html
    unsubscribe = message["List-Unsubscribe"].strip()  # folded: a long line
    assert unsubscribe.startswith("<https://news.example.org/alerts/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] == AlertDelivery.objects.get(alert=alert).message_id

    assert run_due(now=LATER + 20 * MINUTE).sent == 0, "nothing new: no mail"
    set_status(capture, hidden, "published")
    run_due(now=LATER + 30 * MINUTE)
    assert len(inbox.messages) == 2
    plain, _ = parts(inbox.messages[1])
    assert "Walrus secret memo" in plain and "summit" not in plain, "newly unhidden only"
    assert len(set(inbox.message_ids())) == 2


def test_unsubscribe_works_without_signing_in_and_stops_that_alert_only(
    seeded, rita, inbox, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}
    walrus = turn_on(rita, saved(rita, "walrus"))
    other = turn_on(rita, saved(rita, "cyber"))
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    run_due(now=LATER)
    path = urlsplit(inbox.messages[0]["List-Unsubscribe"].strip().strip("<>")).path

    anonymous = Client(enforce_csrf_checks=True)
    page = anonymous.get(path)
    assert page.status_code == 200 and "Stop this alert" in page.content.decode()
    assert Alert.objects.get(pk=walrus.pk).active, "a GET (a link scanner) stops nothing"
    # RFC 8058: the mail provider POSTs this body, with no cookie and no CSRF token.
    response = anonymous.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "is stopped" in response.content.decode()
    assert not Alert.objects.get(pk=walrus.pk).active
    assert Alert.objects.get(pk=other.pk).active
    assert anonymous.post(path[:-3] + "xx/").status_code == 404, "a forged token"


def test_a_down_smtp_server_is_retried_with_backoff_and_the_matches_wait(
    seeded, rita, smtp_port, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alert = turn_on(rita, saved(rita, "walrus"))
    add_article(capture, "Walrus summit")
    report = run_due(now=LATER)  # nothing listens on the port
    assert (report.sent, report.waiting) == (0, 1)
    delivery = AlertDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.next_attempt == LATER + MINUTE
    assert "ConnectionRefusedError" in delivery.last_error

    assert run_due(now=LATER + 30 * datetime.timedelta(seconds=1)).waiting == 1
    assert AlertDelivery.objects.get().attempts == 1, "not before its backoff"
    run_due(now=LATER + MINUTE)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.next_attempt == LATER + 3 * MINUTE

    add_article(capture, "Walrus treaty", day=7)  # while the mail waits, this waits too
    inbox = Inbox()
    controller = start_smtp(inbox, smtp_port)
    try:
        report = run_due(now=LATER + 3 * MINUTE)
        assert report.sent == 1 and report.waiting == 0
        assert inbox.message_ids() == [delivery.message_id], "the same mail, once"
        assert "Walrus summit" in parts(inbox.messages[0])[0]
        run_due(now=LATER + 10 * MINUTE)
        assert len(inbox.messages) == 2 and "Walrus treaty" in parts(inbox.messages[1])[0]
    finally:
        controller.stop()
    assert AlertDelivery.objects.filter(alert=alert, sent=None).count() == 0


def test_a_refusing_smtp_server_is_retried_until_it_takes_the_mail(
    seeded, rita, smtp_port, django_capture_on_commit_callbacks
):
    turn_on(rita, saved(rita, "walrus"))
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    inbox = Inbox(refuse=2)
    controller = start_smtp(inbox, smtp_port)
    try:
        assert run_due(now=LATER).waiting == 1
        assert "SMTPDataError" in AlertDelivery.objects.get().last_error
        assert run_due(now=LATER + MINUTE).waiting == 1
        assert run_due(now=LATER + 3 * MINUTE).sent == 1
        [message] = inbox.messages
        assert message["Message-ID"] == AlertDelivery.objects.get(attempts=3).message_id
    finally:
        controller.stop()


@pytest.mark.django_db(transaction=True)
def test_a_run_killed_mid_mail_loses_nothing_and_resends_only_that_mail(
    transactional_db, seeded, smtp_port, settings, django_capture_on_commit_callbacks
):
    rita = User.objects.create_user("rita", "rita@example.org", "a long pass phrase")
    omar = User.objects.create_user("omar", "omar@example.org", "a long pass phrase")
    turn_on(rita, saved(rita, "walrus"))
    turn_on(omar, saved(omar, "walrus"))
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    Alert.objects.update(last_checked=T0)  # checked long ago: due now
    inbox = Inbox(hold_first=True)
    controller = start_smtp(inbox, smtp_port)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": f"sqlite:///{settings.DATABASES['default']['NAME']}",
        "NEWSROOM_DATA_DIR": str(settings.DATA_DIR),
        "NEWSROOM_INDEX_DIR": settings.NEWSROOM["INDEX_DIR"],
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
    }
    run = subprocess.Popen(
        [sys.executable, "manage.py", "send_alerts"], env=environment, cwd=settings.BASE_DIR
    )
    try:
        assert inbox.first_arrived.wait(120), "the run never reached the SMTP server"
        run.send_signal(signal.SIGKILL)
        run.wait(30)
    finally:
        inbox.release.set()
    try:
        [in_flight] = inbox.message_ids()
        assert AlertDelivery.objects.get(message_id=in_flight).sent is None
        call_command("send_alerts", verbosity=0)
        received = inbox.message_ids()
        assert received.count(in_flight) == 2, "the mail in flight, sent again as itself"
        assert len(received) == 3 and len(set(received)) == 2, "the other alert's mail, once"
        assert sorted(message["To"] for message in inbox.messages[1:]) == [
            "omar@example.org",
            "rita@example.org",
        ]
        assert AlertDelivery.objects.filter(sent=None).count() == 0
        call_command("send_alerts", verbosity=0)
        assert len(inbox.messages) == 3
    finally:
        controller.stop()


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (datetime.datetime(2026, 12, 6, 22, 59, tzinfo=datetime.UTC), False),
        (datetime.datetime(2026, 12, 6, 23, 0, tzinfo=datetime.UTC), True),  # 08:00 in Tokyo
        (datetime.datetime(2026, 12, 7, 3, 0, tzinfo=datetime.UTC), True),
    ],
)
def test_a_daily_digest_is_due_at_the_users_hour_in_their_time_zone(rita, now, due):
    alert = Alert(
        owner=rita, frequency="daily", digest_hour=8, time_zone="Asia/Tokyo",
        last_checked=datetime.datetime(2026, 12, 6, 0, 30, tzinfo=datetime.UTC),
    )  # fmt: skip
    assert is_due(alert, now=now) is due
    alert.last_checked = datetime.datetime(2026, 12, 6, 23, 5, tzinfo=datetime.UTC)
    assert is_due(alert, now=datetime.datetime(2026, 12, 7, 22, 0, tzinfo=datetime.UTC)) is False


def test_as_they_arrive_is_checked_every_few_minutes(rita):
    alert = Alert(owner=rita, frequency="arrive", last_checked=T0)
    assert not is_due(alert, now=T0 + 4 * MINUTE)
    assert is_due(alert, now=T0 + 5 * MINUTE)


def test_a_daily_digest_mails_what_arrived_since_the_last_one(
    seeded, rita, inbox, django_capture_on_commit_callbacks
):
    evening = datetime.datetime(2026, 12, 6, 20, 0, tzinfo=datetime.UTC)
    turn_on(rita, saved(rita, "walrus"), now=evening, frequency="daily", time_zone="Europe/Paris")
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    add_article(django_capture_on_commit_callbacks, "Walrus treaty", day=2)
    assert run_due(now=evening + 60 * MINUTE).sent == 0
    run_due(now=datetime.datetime(2026, 12, 7, 7, 0, tzinfo=datetime.UTC))  # 08:00 in Paris
    [digest] = inbox.messages
    assert digest["Subject"].startswith("2 new articles")


def test_limits_on_alerts_and_on_mails_a_day_are_said(
    seeded, rita, inbox, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM = {**settings.NEWSROOM, "ALERTS_PER_USER": 2, "ALERT_MAILS_PER_DAY": 1}
    turn_on(rita, saved(rita, "walrus"))
    turn_on(rita, saved(rita, "treaty"))
    with pytest.raises(alerts.AlertRefused, match="You have reached the limit of 2 alerts"):
        turn_on(rita, saved(rita, "cyber"))
    add_article(django_capture_on_commit_callbacks, "Walrus treaty")
    report = run_due(now=LATER)
    assert report.sent == 1, "one mail a day: the other alert's matches wait"
    plain, html = parts(inbox.messages[0])
    assert "You have reached the limit of 1 alert mails a day" in plain
    assert "limit of 1 alert mails a day" in html
    assert run_due(now=LATER + 60 * MINUTE).sent == 0
    assert run_due(now=LATER + datetime.timedelta(hours=24, minutes=1)).sent == 1
    assert "Walrus treaty" in parts(inbox.messages[1])[0]


def test_nothing_for_an_inactive_user_nor_from_a_search_they_may_no_longer_see(
    seeded, rita, inbox, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM = {**settings.NEWSROOM, "PRIVATE": True}
    omar = User.objects.create_user("omar", "omar@example.org", "a long pass phrase")
    listed = saved(omar, "walrus", visibility="listed")
    turn_on(rita, listed)
    turn_on(omar, saved(omar, "walrus"))
    User.objects.filter(pk=omar.pk).update(is_active=False)
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    assert run_due(now=LATER).sent == 1
    assert [message["To"] for message in inbox.messages] == ["rita@example.org"]
    SavedSearch.objects.filter(pk=listed.pk).update(visibility="private")
    add_article(django_capture_on_commit_callbacks, "Walrus treaty", day=3)
    assert run_due(now=LATER + 10 * MINUTE).sent == 0, "omar's search is private now"
    with pytest.raises(alerts.AlertRefused, match="your own saved searches and the listed"):
        turn_on(rita, SavedSearch.objects.get(pk=listed.pk))


@on_every_engine
def test_a_run_while_another_runs_does_nothing(seeded, rita, inbox):
    """Another process's run, played by a thread with its own database connection."""
    held, finish = threading.Event(), threading.Event()
    outcome = []

    def other_run() -> None:
        try:
            with one_run_at_a_time() as alone:
                outcome.append(alone)
                held.set()
                finish.wait(60)
        finally:
            connection.close()

    other = threading.Thread(target=other_run)
    other.start()
    try:
        assert held.wait(60) and outcome == [True]
        assert run_due(now=LATER).skipped_busy
    finally:
        finish.set()
        other.join(60)
    assert not run_due(now=LATER).skipped_busy


def test_rebuilt_index_keeps_alerts_quiet(seeded, rita, inbox):
    """A rebuild changes nothing an alert sees: the same articles match, none is new."""
    turn_on(rita, saved(rita, "cyber"))
    index_sync.rebuild_index()
    assert run_due(now=LATER).sent == 0
