"""The pages near-duplicates add or change are valid HTML and pass axe, expanded too."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.test import override_settings

from search.models import Article
from search.operations import index_sync
from tests.story_data import COPY, OTHER, STORY, import_records, record
from tests.tooling import skip_or_fail
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

pytest_plugins = ["tests.browser"]


@pytest.fixture
def stories(seeded, tmp_path):
    import_records(tmp_path, [record(STORY), record(COPY), record(OTHER)])
    index_sync.process_pending()
    return {url: Article.objects.get(source_url=url) for url in (STORY, COPY, OTHER)}


def story_urls(stories) -> dict[str, str]:
    return {
        "collapsed search": "/?q=dock+workers&sort=newest",
        "every copy": "/?q=dock+workers&copies=all",
        "article with versions": f"/articles/{stories[STORY].pk}/?q=dock",
    }


@override_settings(DEBUG=False)
def test_story_pages_are_valid_html(client, stories, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    paths = {}
    for number, (name, url) in enumerate(story_urls(stories).items()):
        response = client.get(url)
        assert response.status_code == 200, name
        paths[name] = tmp_path / f"story{number}.html"
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
    assert not [m for m in problems if not m.get("url", "").endswith("sentinel.html")], problems


@pytest.mark.browser
def test_story_pages_have_no_serious_accessibility_violations(page, site, stories):
    axe = require(AXE_JS).read_text()
    failures = []
    for name, url in story_urls(stories).items():
        page.goto(site + url)
        failures += axe_violations(page, axe, name)
    page.goto(site + "/?q=dock+workers&sort=newest")
    page.get_by_role("link", name="1 other version").click()
    page.locator(".hit-versions .versions").wait_for()
    failures += axe_violations(page, axe, "versions expanded")
    assert not failures, "\n".join(failures)
