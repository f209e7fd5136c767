"""A recipient the mail server refuses, through a real SMTP server (aiosmtpd on a local port):
for good (550) the address is not tried again and its owner is told on their alerts page (and
in the API's alerts) until it is corrected; for now (451) the mail is tried again with backoff,
as a mail server would, and given up, as a mail server would, once it is
ALERT_MAIL_LIFETIME_DAYS old; its owner and editors are told."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, User

from search.desk.alert_runs import run_due
from search.models import Alert, AlertDelivery
from tests.desk.test_alerts import LATER, MINUTE, Inbox, add_article, parts, saved, start_smtp
from tests.desk.test_alerts import turn_on as alert_on
from tests.web.test_api import check_against_openapi

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


class RefusingInbox(Inbox):
    """Answers RCPT TO for the addresses in ``refuse`` with their answer, and notes each ask."""

    def __init__(self, refuse: dict[str, str]) -> None:
        super().__init__()
        self.refuse = refuse
        self.asked: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.asked.append(address)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@gone.example.org", "a long pass phrase")


def serving(refuse: dict[str, str], port: int):
    inbox = RefusingInbox(refuse)
    return inbox, start_smtp(inbox, port)


def test_an_address_refused_for_good_is_not_tried_again_and_its_owner_is_told(
    seeded, rita, smtp_port, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    walrus = alert_on(rita, saved(rita, "walrus"))
    treaty = alert_on(rita, saved(rita, "treaty"))
    refusal = "550 5.1.1 <rita@gone.example.org>: no such mailbox on mx7.internal"
    inbox, controller = serving({"rita@gone.example.org": refusal}, smtp_port)
    try:
        add_article(capture, "Walrus treaty")
        report = run_due(now=LATER)
        assert report.sent == 0 and report.waiting == 2
        assert inbox.asked == ["rita@gone.example.org"], "asked once, for both alerts"
        for alert in Alert.objects.all():
            assert alert.refused_address == "rita@gone.example.org"
            assert alert.refusal.startswith("550 5.1.1") and alert.refused_at == LATER
        assert {d.last_error[:34] for d in AlertDelivery.objects.all()} == {
            "recipient refused for good: 550 5."
        }
        add_article(capture, "Walrus census", day=3)  # arrives while the address is refused
        for later in (MINUTE, HOUR, 2 * HOUR, 30 * HOUR):
            run_due(now=LATER + later)
        assert inbox.asked == ["rita@gone.example.org"], "never asked again"

        client.force_login(rita)
        page = client.get("/alerts/").content.decode()
        told = "Mail to rita@gone.example.org is refused by its mail server (SMTP 550"
        assert page.count(told) == 2 and "ask an editor to correct it" in page
        assert "mx7.internal" not in page and "no such mailbox" not in page
        listed = client.get("/api/alerts").json()
        check_against_openapi(listed, "AlertList")
        assert [alert["mail_refused"] for alert in listed["alerts"]] == 2 * [
            {"address": "rita@gone.example.org", "status": "550", "since": LATER.isoformat()}
        ]

        User.objects.filter(pk=rita.pk).update(email="rita@example.org")  # an editor fixes it
        run_due(now=LATER + 31 * HOUR)
        assert {message["To"] for message in inbox.messages} == {"rita@example.org"}
        mailed = " ".join(parts(message)[0] for message in inbox.messages)
        assert "Walrus treaty" in mailed and "Walrus census" in mailed, "nothing was lost"
        assert AlertDelivery.objects.filter(sent=None).count() == 0
        for alert in (walrus, treaty):
            alert.refresh_from_db()
            assert (alert.refused_address, alert.refusal, alert.refused_at) == ("", "", None)
        assert "is refused" not in client.get("/alerts/").content.decode()
        listed = client.get("/api/alerts").json()
        assert [alert["mail_refused"] for alert in listed["alerts"]] == [None, None]
    finally:
        controller.stop()


def test_an_address_refused_for_now_is_tried_again_with_backoff(
    seeded, rita, smtp_port, client, django_capture_on_commit_callbacks
):
    alert = alert_on(rita, saved(rita, "walrus"))
    answer = "451 4.2.1 Mailbox busy, try again later"
    inbox, controller = serving({"rita@gone.example.org": answer}, smtp_port)
    try:
        add_article(django_capture_on_commit_callbacks, "Walrus summit")
        assert run_due(now=LATER).waiting == 1
        delivery = AlertDelivery.objects.get()
        assert delivery.next_attempt == LATER + MINUTE
        assert "SMTPRecipientsRefused" in delivery.last_error and "451" in delivery.last_error
        alert.refresh_from_db()
        assert alert.refused_address == "" and alert.refusal == ""
        client.force_login(rita)
        assert "is refused" not in client.get("/alerts/").content.decode()

        run_due(now=LATER + MINUTE)
        assert len(inbox.asked) == 2, "tried again after its backoff"
        inbox.refuse.clear()  # the mailbox has room again
        assert run_due(now=LATER + 3 * MINUTE).sent == 1
        [message] = inbox.messages
        assert message["Message-ID"] == delivery.message_id
    finally:
        controller.stop()


def test_a_mail_refused_for_now_is_given_up_after_its_lifetime_and_later_matches_are_mailed(
    seeded, rita, smtp_port, client, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    alert_on(rita, saved(rita, "walrus"))
    answer = "452 4.2.2 Mailbox full on mx7.internal"
    inbox, controller = serving({"rita@gone.example.org": answer}, smtp_port)
    try:
        add_article(capture, "Walrus summit")
        assert run_due(now=LATER).waiting == 1
        report = run_due(now=LATER + 5 * DAY - MINUTE)
        assert (report.waiting, report.given_up, len(inbox.asked)) == (1, 0, 2), "still young"

        gave_up = LATER + 5 * DAY + MINUTE  # its backoff's end, past the default 5 days
        report = run_due(now=gave_up)
        assert (report.sent, report.waiting, report.given_up) == (0, 0, 1)
        delivery = AlertDelivery.objects.get()
        assert report.problems == [f"delivery {delivery.pk}: given up: still unsent after 5 days"]
        assert (delivery.given_up, delivery.attempts, delivery.sent) == (gave_up, 3, None)
        assert delivery.last_error.startswith(
            "given up: still unsent after 5 days; the last error: SMTPRecipientsRefused"
        )
        assert "452" in delivery.last_error
        for later in (HOUR, 2 * HOUR, DAY):
            run_due(now=gave_up + later)
        assert len(inbox.asked) == 3, "never tried again"

        client.force_login(rita)
        page = client.get("/alerts/").content.decode()
        told = (
            "A mail of this alert (1 new match, found 6 December 2026) was given up on"
            " 11 December 2026"
        )
        assert told in page and "Mailbox full" not in page and "mx7.internal" not in page
        listed = client.get("/api/alerts").json()
        check_against_openapi(listed, "AlertList")
        assert [alert["mail_given_up"] for alert in listed["alerts"]] == [
            {"new_matches": 1, "found": LATER.isoformat(), "given_up": gave_up.isoformat()}
        ]
        editor = User.objects.create_user("editor", is_staff=True)
        editor.groups.add(Group.objects.get(name="editor"))
        client.force_login(editor)
        admin_page = client.get("/admin/search/alert/").content.decode()
        assert "given up: still unsent after 5 days; the last error: SMTPRecipientsRefused" in (
            admin_page
        )

        inbox.refuse.clear()  # the mailbox has room again
        add_article(capture, "Walrus census", day=3)
        assert run_due(now=LATER + 6 * DAY + 2 * HOUR).sent == 1, "a new mail, tried at once"
        [message] = inbox.messages
        assert message["Message-ID"] != delivery.message_id
        mailed = parts(message)[0]
        assert "Walrus census" in mailed and "Walrus summit" not in mailed
        assert "given up" not in client.get("/admin/search/alert/").content.decode()
        client.force_login(rita)
        assert "was given up" not in client.get("/alerts/").content.decode()
        assert client.get("/api/alerts").json()["alerts"][0]["mail_given_up"] is None
    finally:
        controller.stop()


def test_the_lifetime_is_a_setting_a_down_server_meets_it_and_a_refusal_for_good_waits_past_it(
    seeded, rita, smtp_port, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM = {**settings.NEWSROOM, "ALERT_MAIL_LIFETIME_DAYS": 1}
    omar = User.objects.create_user("omar", "omar@example.org")
    alert_on(rita, saved(rita, "walrus"))
    alert_on(omar, saved(omar, "walrus"))
    add_article(django_capture_on_commit_callbacks, "Walrus summit")
    assert run_due(now=LATER).waiting == 2  # nothing listens on the port
    report = run_due(now=LATER + DAY)
    assert (report.waiting, report.given_up) == (0, 2)
    assert {d.last_error[:65] for d in AlertDelivery.objects.all()} == {
        "given up: still unsent after 1 day; the last error: ConnectionRef"
    }

    refusal = "550 5.1.1 <rita@gone.example.org>: no such mailbox"
    inbox, controller = serving({"rita@gone.example.org": refusal}, smtp_port)
    try:
        add_article(django_capture_on_commit_callbacks, "Walrus census", day=3)
        report = run_due(now=LATER + DAY + HOUR)
        assert (report.sent, report.waiting) == (1, 1), "omar's mailed, rita's held"
        User.objects.filter(pk=rita.pk).update(email="rita@example.org")
        report = run_due(now=LATER + 4 * DAY)  # held three days, past its lifetime
        assert (report.sent, report.given_up) == (1, 0), "a refusal for good is not given up"
        assert [message["To"] for message in inbox.messages] == [
            "omar@example.org",
            "rita@example.org",
        ]
    finally:
        controller.stop()
