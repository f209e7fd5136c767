"""The "What's distinctive" panel: on the search page (loaded by htmx when scrolled to, a link
without JavaScript), as a page of its own, and in the API; on real Reuters stories."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.test import override_settings

from search import engine
from search.operations import index_sync
from tests.desk.test_distinctive import COMMODITIES
from tests.tooling import skip_or_fail
from tests.web.test_api import check_against_openapi
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

expect = pytest.importorskip("playwright.sync_api").expect


def import_reuters(capture_on_commit) -> None:
    with capture_on_commit(execute=True):
        call_command("import_articles", str(COMMODITIES), verbosity=0)
    index_sync.rebuild_index()


@pytest.fixture
def reuters(search_engine_name, db, django_capture_on_commit_callbacks):
    import_reuters(django_capture_on_commit_callbacks)


def test_the_search_page_loads_the_panel_after_itself_or_links_to_it(client, reuters):
    html = client.get("/?q=coffee").content.decode()
    assert 'data-hx-get="/distinctive/?q=coffee" data-hx-trigger="revealed"' in html
    assert '<a href="/distinctive/?q=coffee">' in html
    assert "quotas" not in html.split('id="distinctive-panel"')[1][:400]  # not computed yet


def test_the_partial_lists_terms_that_narrow_the_search(client, reuters):
    response = client.get("/distinctive/?q=coffee&year=1987&page=2", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "<h1" not in html
    assert '<a href="/?q=coffee+quotas&amp;year=1987">quotas</a>' in html
    assert '<a href="/?q=coffee+%22export+quotas%22&amp;year=1987">export quotas</a>' in html
    assert "from all 39 matches" in html
    assert ">said<" not in html and ">mln<" not in html


def test_the_page_of_its_own_and_its_mistakes(client, reuters):
    page = client.get("/distinctive/?q=coffee").content.decode()
    assert "<h1>What's distinctive about “coffee”</h1>" in page
    assert '<a href="/?q=coffee">← Back to the results</a>' in page
    wrong = client.get("/distinctive/?q=coffee&year=x")
    assert wrong.status_code == 400
    assert "year must be a whole number" in wrong.content.decode()


def test_the_api_answers_it_when_asked(client, reuters):
    assert "distinctive" not in client.get("/api/search?q=coffee").json()
    payload = client.get("/api/search?q=coffee&distinctive=1").json()
    check_against_openapi(payload, "SearchResponse")
    entries = {(entry["kind"], entry["term"]): entry for entry in payload["distinctive"]}
    quotas = entries["word", "quotas"]
    assert quotas["matches"] > 10 and quotas["score"] > 0
    assert quotas["url"] == "http://testserver/?q=coffee+quotas"
    assert ("phrase", "export quotas") in entries
    assert not {term for _kind, term in entries} & {"said", "pct", "mln", "reuter"}


def test_the_index_failing_while_it_is_counted_is_a_503_in_json(client, reuters, monkeypatch):
    """The search answered, then the index became unreadable before the terms were counted."""

    def damaged(*args, **kwargs):
        raise engine.IndexUnavailable("The search index is damaged: run check_index --repair.")

    monkeypatch.setattr("search.web.api.distinctive", damaged)
    response = client.get("/api/search?q=coffee&distinctive=1")
    assert response.status_code == 503 and response["Retry-After"]
    assert "check_index --repair" in response.json()["error"]


@override_settings(DEBUG=False)
def test_the_page_is_valid_html(client, reuters, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    path = tmp_path / "distinctive.html"
    path.write_bytes(client.get("/distinctive/?q=coffee").content)
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    assert not [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]


@pytest.mark.browser
def test_in_a_browser_the_panel_appears_and_its_links_narrow(
    page, site, django_capture_on_commit_callbacks
):
    import_reuters(django_capture_on_commit_callbacks)
    page.goto(site + "/?q=coffee")
    panel = page.locator("#distinctive-panel")
    panel.scroll_into_view_if_needed()
    expect(panel.get_by_role("link", name="quotas", exact=True)).to_be_visible()
    axe = require(AXE_JS).read_text()
    failures = axe_violations(page, axe, "search page with the panel")
    panel.get_by_role("link", name="quotas", exact=True).click()
    expect(page).to_have_url(site + "/?q=coffee+quotas")
    page.goto(site + "/distinctive/?q=coffee")
    failures += axe_violations(page, axe, "the panel's own page")
    assert not failures, "\n".join(failures)
