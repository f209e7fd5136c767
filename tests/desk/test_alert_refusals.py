"""A recipient the mail server refuses, through a real SMTP server (aiosmtpd on a local port):
for good (550) the address is not tried again and its owner is told on their alerts page (and
in the API's alerts) until it is corrected; for now (451) the mail is tried again with backoff,
as a mail server would."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from search.desk.alert_runs import run_due
from search.models import Alert, AlertDelivery
from tests.desk.test_alerts import LATER, MINUTE, Inbox, add_article, parts, saved, start_smtp
from tests.desk.test_alerts import turn_on as alert_on
from tests.web.test_api import check_against_openapi

HOUR = datetime.timedelta(hours=1)


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
