"""The batch search and compare pages are valid HTML (Nu HTML Checker); axe runs on them in
tests/web/test_browser_desk.py."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings

from search.desk import batches
from search.query import SearchQuery
from tests.tooling import skip_or_fail
from tests.web.test_html_quality import VNU_JAR, require


@override_settings(DEBUG=False)
def test_desk_pages_are_valid_html(client, seeded, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    user = User.objects.create_user("vera", password="a long enough password")
    client.force_login(user)
    waiting = batches.batch_create(
        user=user, queries=[{"query": "india", "label": ""}], filters=SearchQuery()
    )
    queries = [{"query": q, "label": "x"} for q in ("india", '"unclosed', "zzzz")]
    done = batches.batch_create(user=user, queries=queries, filters=SearchQuery(years=(2024,)))
    call_command("run_batches", "--once", stdout=io.StringIO())
    waiting.status = "queued"
    waiting.rows = []
    waiting.save()
    again = batches.batch_run_again(batch=done)
    call_command("run_batches", "--once", stdout=io.StringIO())
    pages = {
        "batch form and list": ("/batch/", 200),
        "batch waiting": (f"/batch/{waiting.pk}/", 200),
        "batch done, sorted": (f"/batch/{done.pk}/?sort=matches&order=desc&empty=first", 200),
        "batch run again": (f"/batch/{again.pk}/", 200),
        "compare form": ("/compare/", 200),
        "comparison by year": ("/compare/?q=india&q=cyber", 200),
        "comparison, shares by month": (
            "/compare/?q=india&q=cyber&q=space&interval=month&measure=share&year=2024",
            200,
        ),
        "comparison over a long span by month": ("/compare/?q=india&q=cyber&interval=month", 200),
        "comparison with a mistake": ("/compare/?q=india&q=cyber&measure=ratio", 400),
    }
    paths = {}
    for number, (name, (url, status)) in enumerate(pages.items()):
        response = client.get(url)
        assert response.status_code == status, name
        paths[name] = tmp_path / f"desk{number}.html"
        paths[name].write_bytes(response.content)
    # A broken page too: proves the checker read the files (it is silent on what it skips).
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
    named = {str(path.resolve()): name for name, path in paths.items()}
    left = [
        f"{named.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in problems
        if not m.get("url", "").endswith("sentinel.html")
    ]
    assert not left, "\n".join(left)
