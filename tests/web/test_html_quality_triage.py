"""The triage pages (an article's triage box with labels and notes, the search page with the
label form and filters, the labels list, a label's page, a label action) are valid HTML and
pass axe, on a desktop and a phone."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from search.desk import triage
from search.models import Article
from tests.tooling import skip_or_fail
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

pytest_plugins = ["tests.browser"]

PASSWORD = "a long pass phrase"


def triaged(rita) -> list[str]:
    """Stars, labels of every colour, notes (one with a link); the pages to check."""
    article = Article.objects.order_by("pk").first()
    triage.star_set(user=rita, article=article, starred=True)
    for colour in ("blue", "green", "red", "purple", "orange", "teal", "grey"):
        label = triage.label_named(name=f"Pile {colour} & <co>", user=rita, colour=colour)
        triage.label_add(user=rita, article=article, label=label)
    triage.note_create(
        user=rita, article=article, text="See https://example.org/a <b>", shared=True
    )
    triage.note_create(user=rita, article=article, text="Mine\nsecond line", shared=False)
    action = triage.label_action_start(
        user=rita,
        label=triage.label_named(name="Bulk", user=rita),
        kind="add",
        article_ids=list(Article.objects.values_list("pk", flat=True)),
    )
    return [
        article.get_absolute_url(),
        "/?q=india",
        "/?label=pile-blue-co&starred=1",
        "/labels/",
        "/labels/pile-blue-co/",
        f"/labels/actions/{action.pk}/",
    ]


@override_settings(DEBUG=False)
def test_triage_pages_are_valid_html(client, seeded, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    rita = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    client.force_login(rita)
    paths = []
    for number, url in enumerate(triaged(rita)):
        response = client.get(url)
        assert response.status_code == 200, url
        paths.append(tmp_path / f"triage{number}.html")
        paths[-1].write_bytes(response.content)
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout"] + [str(p) for p in paths],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    problems = [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]
    assert not problems, [(m["url"][-12:], m.get("lastLine"), m["message"]) for m in problems]


@pytest.mark.browser
def test_triage_pages_have_no_serious_accessibility_violations(page, site):
    axe = require(AXE_JS).read_text()
    rita = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    urls = triaged(rita)
    page.goto(site + "/accounts/login/?next=/labels/")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator(".labels-table").wait_for()
    failures = []
    for url in urls:
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(site + url)
        failures += axe_violations(page, axe, url)
        page.set_viewport_size({"width": 390, "height": 844})
        failures += axe_violations(page, axe, f"{url} on a phone")
    assert not failures, "\n".join(failures)
