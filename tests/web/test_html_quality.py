"""Every page type is valid HTML (Nu HTML Checker), has no serious or critical axe-core
violation in a real browser, and every feed parses cleanly.

The checkers come from npm (package.json: vnu-jar, axe-core; `npm ci --ignore-scripts`).
Without node_modules (or Java) these tests skip locally and fail in CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import feedparser
import pytest
from django.test import override_settings

from search.models import Article, SavedSearch
from tests.tooling import ROOT, skip_or_fail

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


def require(path: Path) -> Path:
    if not path.exists():
        skip_or_fail(f"{path.relative_to(ROOT)} is missing: run `npm ci --ignore-scripts`")
    return path


@pytest.fixture
def saved(seeded):
    featured = SavedSearch.objects.create(
        name="Cyber & space", slug="cyber001", query_string="q=cyber&topic=space", featured=True
    )
    SavedSearch.objects.create(name="Nothing yet", slug="nothing1", query_string="q=zzzqqq")
    SavedSearch.objects.create(name="Broken by hand", slug="broken01", query_string="page=zero")
    return featured


def page_urls(seeded) -> dict[str, tuple[str, int]]:
    """Each page type: its URL and the status it answers with."""
    article = seeded["000"]
    return {
        "search with hits": ("/?q=cyber&minister=minoru-kihara", 200),
        "search, all articles": ("/", 200),
        "search without hits": ("/?q=cybr&topic=space", 200),
        "search parser notice": ("/?q=*", 200),
        "page past the end": ("/?q=cyber&page=9", 404),
        "invalid parameter": ("/?sort=sideways", 400),
        "timeline by month, a date range": ("/?q=cyber&year=2024&from=2024-03-01", 200),
        "reversed date range": ("/?q=cyber&from=2024-02-02&to=2024-01-01", 400),
        "article": (f"/articles/{article.pk}/?q=cyber", 200),
        "saved searches": ("/saved/", 200),
        "save form": ("/saved/new/?q=cyber", 200),
        "not found": ("/articles/999999/", 404),
    }


@override_settings(DEBUG=False)
def test_every_page_type_is_valid_html(client, seeded, saved, tmp_path, settings):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    documents = {}
    for name, (url, status) in page_urls(seeded).items():
        response = client.get(url)
        assert response.status_code == status, (name, response.status_code)
        documents[name] = response.content
    settings.NEWSROOM = {**settings.NEWSROOM, "INDEX_DIR": str(tmp_path / "no-index")}
    response = client.get("/?q=cyber")
    assert response.status_code == 503
    documents["index unavailable"] = response.content
    documents["server error"] = render_500(client)

    # A broken page too: proves the checker really read the files (it reports nothing at all
    # for arguments it does not understand).
    documents["sentinel"] = b"<!doctype html><html><title>x</title><p>broken</span>"
    files = {}
    for number, (name, content) in enumerate(documents.items()):
        path = tmp_path / f"page{number}.html"
        path.write_bytes(content)
        files[path.resolve().as_uri().replace("file:///", "file:/")] = (name, path)
    # One Java start for all the pages: the checker takes a few seconds to warm up.
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", "--also-check-css"]
        + [str(path) for _name, path in files.values()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    problems = [
        f"{files[m['url']][0] if m.get('url') in files else m.get('url')}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert any(problem.startswith("sentinel: ") for problem in problems), messages
    problems = [problem for problem in problems if not problem.startswith("sentinel: ")]
    assert not problems, "\n".join(problems)


def render_500(client) -> bytes:
    from django.template import loader

    return loader.render_to_string("500.html").encode()


@pytest.mark.browser
def test_no_serious_accessibility_violations(page, site, seeded, saved):
    axe = require(AXE_JS).read_text()
    # A page with a known critical violation first: proves axe runs and reports.
    page.set_content("<!doctype html><html lang=en><title>x</title><img src=x.png></html>")
    assert any("image-alt" in failure for failure in axe_violations(page, axe, "sentinel"))
    failures = []
    urls = {name: url for name, (url, _status) in page_urls(seeded).items()}
    for name, url in urls.items():
        page.goto(site + url)
        failures += axe_violations(page, axe, name)
    # The states htmx makes: after a facet swap, and on a phone.
    page.goto(site + "/?q=cyber")
    page.locator("#facet-minister-minoru-kihara").check()
    page.locator("#search-status", has_text="3 articles").wait_for()
    failures += axe_violations(page, axe, "after a facet swap")
    page.set_viewport_size({"width": 390, "height": 844})
    failures += axe_violations(page, axe, "phone")
    assert not failures, "\n".join(failures)


def axe_violations(page, axe_source: str, name: str) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the test's devtools connection: the page's CSP refuses inline scripts.
        page.evaluate(axe_source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{name}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


def test_feeds_parse_cleanly_with_ids_times_and_links(client, seeded, saved):
    for slug, expected_entries in (("cyber001", 3), ("nothing1", 0), ("broken01", 0)):
        response = client.get(f"/s/{slug}/feed/")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (slug, feed.bozo_exception)
        assert feed.version == "atom10"
        assert feed.feed.id and feed.feed.updated_parsed and feed.feed.title
        links = {link.rel: link.href for link in feed.feed.links}
        assert links["alternate"].endswith(f"/s/{slug}/")
        assert links["self"].endswith(f"/s/{slug}/feed/")
        assert len(feed.entries) == expected_entries, slug
        for entry in feed.entries:
            assert entry.id and entry.updated_parsed and entry.published_parsed
            assert entry.link.startswith("http://testserver/articles/")
            assert entry.title and entry.summary
            article = Article.objects.get(pk=int(entry.link.rstrip("/").rsplit("/", 1)[1]))
            assert article.is_public
