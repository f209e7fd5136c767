"""The alert pages and the HTML part of an alert mail are valid HTML; the pages pass axe."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from search.desk import alerts
from search.desk.alert_mail import compose
from search.models import Alert, AlertDelivery, Article, SavedSearch
from tests.tooling import skip_or_fail
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

pytest_plugins = ["tests.browser"]

PASSWORD = "a long pass phrase"
LATER = datetime.datetime(2026, 12, 6, 9, 10, tzinfo=datetime.UTC)


@pytest.fixture
def alert(seeded):
    rita = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    saved = SavedSearch.objects.create(
        name="Cyber & <space>", slug="cyber001", query_string="q=cyber", owner=rita
    )
    SavedSearch.objects.create(name="Listed", slug="listed01", visibility="listed")
    return alerts.alert_turn_on(
        owner=rita, saved_search=saved, frequency="daily", digest_hour=7,
        time_zone="Europe/Paris", now=timezone.now(),
    )  # fmt: skip


def alert_documents(client, alert) -> dict[str, bytes]:
    unsubscribe = alerts.unsubscribe_url(alert).split("://", 1)[1].split("/", 1)[1]
    documents = {"unsubscribe, confirm": client.get("/" + unsubscribe).content}
    client.force_login(alert.owner)
    documents["alerts"] = client.get("/alerts/").content
    Alert.objects.filter(pk=alert.pk).update(
        refused_address="rita@example.org", refusal="550 5.1.1 no such user", refused_at=LATER
    )
    documents["alerts, mail refused"] = client.get("/alerts/").content
    assert b"is refused by its mail server" in documents["alerts, mail refused"]
    Alert.objects.filter(pk=alert.pk).update(refused_address="", refusal="", refused_at=None)
    given_up = AlertDelivery.objects.create(
        alert=alert, message_id="<given-up@example.org>", new_matches=2, created=LATER,
        next_attempt=LATER, given_up=LATER, last_error="given up: still unsent after 5 days",
    )  # fmt: skip
    documents["alerts, mail given up"] = client.get("/alerts/").content
    assert b"was given up on" in documents["alerts, mail given up"]
    given_up.delete()
    documents["alerts, refused"] = client.post(
        "/alerts/new/", {"saved_search": "listed01", "frequency": "weekly"}
    ).content
    documents["unsubscribe, done"] = client.post("/" + unsubscribe).content
    delivery = AlertDelivery.objects.create(
        alert=alert, message_id="<x@example.org>", new_matches=4, created=timezone.now(),
        next_attempt=timezone.now(), last_of_the_day=True,
        article_ids=list(Article.objects.values_list("pk", flat=True)),
    )  # fmt: skip
    message = compose(delivery, alert=alert)
    documents["mail"] = message.alternatives[0][0].encode()
    return documents


@override_settings(DEBUG=False)
def test_alert_pages_and_mail_are_valid_html(client, alert, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    paths = {}
    for number, (name, content) in enumerate(alert_documents(client, alert).items()):
        assert b"<mark>" in content or name != "mail", "the mail shows marked snippets"
        paths[name] = tmp_path / f"alert{number}.html"
        paths[name].write_bytes(content)
    paths["sentinel"] = tmp_path / "sentinel.html"
    paths["sentinel"].write_bytes(b"<!doctype html><html><title>x</title><p>broken</span>")
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout"] + [str(p) for p in paths.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    problems = [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    assert any(m.get("url", "").endswith("sentinel.html") for m in problems), messages
    assert not [m for m in problems if not m.get("url", "").endswith("sentinel.html")], problems


@pytest.mark.browser
def test_alert_pages_have_no_serious_accessibility_violations(page, site, alert):
    axe = require(AXE_JS).read_text()
    unsubscribe = alerts.unsubscribe_url(alert).split("://", 1)[1].split("/", 1)[1]
    failures = []
    page.goto(f"{site}/{unsubscribe}")
    failures += axe_violations(page, axe, "unsubscribe")
    page.goto(site + "/accounts/login/?next=/alerts/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("form.alert").wait_for()
    failures += axe_violations(page, axe, "alerts")
    page.set_viewport_size({"width": 390, "height": 844})
    failures += axe_violations(page, axe, "alerts on a phone")
    assert not failures, "\n".join(failures)
