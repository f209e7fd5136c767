"""How the search was read: the line under the search box, its removal links, and the API's
``understood``, on the seed corpus."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from tests.conftest import on_every_engine
from tests.tooling import skip_or_fail
from tests.web.test_api import check_against_openapi
from tests.web.test_html_quality import AXE_JS, VNU_JAR, axe_violations, require

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

# Not relaxed (it has a prefix); co* starts cooperation, continue, conference… cut at 1.
EVERYTHING = 'cyber -rail "outer space" title:pact co* the (india japan) why?'
PART = re.compile(
    r'<span class="understood-part" data-kind="(?P<kind>[a-z_]+)">(?P<label>.*?) '
    r'<a class="understood-remove" href="(?P<url>[^"]*)"'
)


@pytest.fixture
def one_expansion(settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "WILDCARD_MAX_EXPANSIONS": 1}


def line_parts(page: str) -> list[tuple[str, str, dict]]:
    """(kind, label, the removal link's parameters) for each part of the line."""
    line = page.split('<p class="understood">')[1].split("</p>")[0]
    return [
        (
            match["kind"],
            html.unescape(match["label"]),
            parse_qs(urlsplit(html.unescape(match["url"])).query),
        )
        for match in PART.finditer(line)
    ]


def test_the_line_says_each_part_and_each_link_removes_it(client, seeded, one_expansion):
    page = client.get("/", {"q": EVERYTHING, "year": "2024"}).content.decode()
    parts = {(kind, label): params for kind, label, params in line_parts(page)}
    without = {key: params.get("q", [""])[0] for key, params in parts.items()}
    prefix = next(key for key in parts if key[0] == "prefix")
    assert prefix[1].startswith("prefix: co* (1 word: ")
    assert prefix[1].endswith("; cut at its bound: only the 1 most common searched)")
    rest = "title:pact co* the india japan why"
    assert without == {
        ("required", "required: cyber"): f'-rail "outer space" {rest}',
        ("excluded", "excluded: rail"): f'cyber "outer space" {rest}',
        ("phrase", 'phrase: "outer space" (these words in this order)'): (
            f"cyber -rail outer space {rest}"
        ),
        ("field", "field: title:pact (only in the title)"): (
            'cyber -rail "outer space" pact co* the india japan why'
        ),
        ("required", "required: india"): 'cyber -rail "outer space" title:pact co* the japan why',
        ("required", "required: japan"): 'cyber -rail "outer space" title:pact co* the india why',
        ("required", "required: why"): 'cyber -rail "outer space" title:pact co* the india japan',
        prefix: 'cyber -rail "outer space" title:pact co the india japan why',
        ("stop_word", "ignored: the (too common to search)"): (
            'cyber -rail "outer space" title:pact co* india japan why'
        ),
        ("plain_text", "read as text: ( ) (parentheses around words change nothing)"): (
            f'cyber -rail "outer space" {rest}'
        ),
        ("plain_text", "read as text: ? (punctuation, not a wildcard)"): (
            f'cyber -rail "outer space" {rest}'
        ),
    }
    assert all(params["year"] == ["2024"] for params in parts.values())  # filters stay
    assert "page" not in str(parts)


def test_a_quoted_word_and_an_or_group(client, seeded):
    page = client.get("/", {"q": '"cyber" (space OR rail)'}).content.decode()
    assert [(kind, label, params.get("q")) for kind, label, params in line_parts(page)] == [
        ("required", "required: cyber", ["(space OR rail)"]),
        ("one_of", "one of: (space OR rail)", ['"cyber"']),
        (
            "plain_text",
            'read as text: "cyber" (quotes around one word: that word)',
            ["cyber (space OR rail)"],
        ),
    ]


def test_a_relaxed_question_says_so_and_its_link_requires_every_word(client, seeded):
    page = client.get("/", {"q": "Jaishankar Tokyo zebras"}).content.decode()
    assert line_parts(page) == [
        (
            "relaxed",
            "relaxed to: Jaishankar, Tokyo, zebras (at least 2 of these 3 words)",
            {"q": ["Jaishankar AND Tokyo AND zebras"]},
        )
    ]


def test_the_line_is_in_the_htmx_fragment_and_escaped(client, seeded):
    fragment = client.get(
        "/", {"q": "<b>cyber</b> -<i>rail</i>"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    line = fragment.split('<p class="understood">')[1].split("</p>")[0]
    assert "required: &lt;b&gt;cyber&lt;/b&gt;" in line
    assert "excluded: &lt;i&gt;rail&lt;/i&gt;" in line
    assert "<b>" not in line and "<i>" not in line


def test_no_line_without_a_query(client, seeded):
    assert 'class="understood"' not in client.get("/").content.decode()
    assert 'class="understood"' not in client.get("/?q=*").content.decode()


@on_every_engine
def test_the_api_says_it_as_understood(client, seeded, one_expansion):
    payload = client.get("/api/search", {"q": "cyber -rail co* the", "year": "2024"}).json()
    check_against_openapi(payload, "SearchResponse")
    understood = payload["understood"]
    kinds = [(part["kind"], part["text"], part["without"]) for part in understood["parts"]]
    assert kinds == [
        ("required", "cyber", "-rail co* the"),
        ("excluded", "rail", "cyber co* the"),
        ("prefix", "co*", "cyber -rail co the"),
        ("stop_word", "the", "cyber -rail co*"),
    ]
    prefix = understood["parts"][2]
    assert prefix["detail"].startswith("1 word: ") and "cut at its bound" in prefix["detail"]
    assert understood["text"].startswith("required: cyber; excluded: rail; prefix: co* (1 word")
    assert understood["parts"][0]["without_url"] == (
        "http://testserver/api/search?q=-rail+co%2A+the&year=2024"
    )
    assert client.get("/api/search").json()["understood"] is None


@override_settings(DEBUG=False)
def test_the_page_with_the_line_is_valid_html(client, seeded, tmp_path):
    jar = require(VNU_JAR)
    java = shutil.which("java") or skip_or_fail("java is missing: `apt-get install default-jre`")
    path = tmp_path / "understood.html"
    path.write_bytes(client.get("/", {"q": EVERYTHING}).content)
    completed = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--stdout", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(completed.stdout)["messages"]
    assert not [m for m in messages if m["type"] == "error" or m.get("subType") == "warning"]


@pytest.mark.browser
def test_in_a_browser_the_line_follows_the_search_and_its_links_remove_parts(page, site):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.goto(site + "/?q=cyber+-rail")
    page.evaluate("window.__sameDocument = true")  # gone if a link loads a new page
    line = page.locator(".understood")
    expect(line.get_by_role("link")).to_have_count(2)
    expect(line).to_contain_text("excluded: rail")
    failures = axe_violations(page, require(AXE_JS).read_text(), "search page with the line")
    assert not failures, "\n".join(failures)
    page.get_by_role("link", name="Search without excluded: rail").click()
    expect(page).to_have_url(site + "/?q=cyber")
    expect(line.get_by_role("link")).to_have_text(["Search without required: cyber×"])
    expect(line).not_to_contain_text("excluded")
    page.locator("#q").press_sequentially(' "outer space"', delay=20)
    expect(line).to_contain_text('phrase: "outer space" (these words in this order)')
    assert page.evaluate("window.__sameDocument === true")  # swapped in place by htmx
