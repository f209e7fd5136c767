"""The HTML pages through the Django test client, on the seeded archive."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest
from django.contrib.auth.models import User
from django.test import Client

from search.desk import saved_searches
from search.models import Article, SavedSearch
from tests.conftest import on_every_engine

HTMX = {"HTTP_HX_REQUEST": "true"}
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class Elements(HTMLParser):
    """Every start tag of a page as (tag, attributes), to look at links and form controls."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def all(self, tag: str, **wanted) -> list[dict]:
        return [
            attrs
            for name, attrs in self.found
            if name == tag and all(attrs.get(key) == value for key, value in wanted.items())
        ]


def page(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:2000]
    return response, response.content.decode()


def index_changes(django_capture_on_commit_callbacks):
    """Run the after-commit index updates of the writes inside the block."""
    return django_capture_on_commit_callbacks(execute=True)


# Full page or partial


@on_every_engine
def test_full_page_without_htmx(client, seeded):
    response, html = page(client, "/?q=cyber")
    assert html.startswith("<!doctype html>")
    assert 'id="search-form"' in html and 'id="results"' in html
    assert "<mark" in html
    assert "hx-swap-oob" not in html  # the out-of-band status is for htmx only


def test_partial_for_htmx_with_title_status_and_canonical_url(client, seeded):
    response, html = page(client, "/?sort=&minister=minoru-kihara&q=cyber", **HTMX)
    assert "<html" not in html and 'id="search-form"' not in html
    assert 'class="results-main"' in html
    assert re.search(r"^\s*<title>“cyber” · Search · Newsroom</title>", html)
    assert '<p id="search-status" data-hx-swap-oob="innerHTML">' in html
    assert response["HX-Push-Url"] == "/?q=cyber&minister=minoru-kihara"


def test_history_restore_request_gets_the_full_page(client, seeded):
    response, html = page(
        client, "/?q=cyber", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert html.startswith("<!doctype html>") and 'id="search-form"' in html
    assert "HX-Push-Url" not in response


def test_search_page_varies_on_htmx_headers(client, seeded):
    for headers in ({}, HTMX):
        response, _ = page(client, "/?q=cyber", **headers)
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"HX-Request", "HX-History-Restore-Request"} <= vary


# Escaping


@pytest.fixture
def hostile_article(seeded, django_capture_on_commit_callbacks):
    with index_changes(django_capture_on_commit_callbacks):
        article = Article.objects.create(
            title="<script>alert('title')</script> Zanzibar & co",
            body="First <b>bold</b> paragraph about zanzibar.\n\n<script>alert('body')</script>"
            " zanzibar again.",
            raw="-",
            content_hash="hostile",
            source_url="javascript:alert(1)",
        )
    return article


@on_every_engine
def test_titles_and_snippets_are_escaped(client, hostile_article):
    _, html = page(client, "/?q=zanzibar")
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(" in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<mark" in html and "&amp; co" in html
    _, partial = page(client, "/?q=zanzibar", **HTMX)
    assert "<script>alert" not in partial


@on_every_engine
def test_article_page_is_escaped_and_does_not_link_odd_sources(client, hostile_article):
    _, html = page(client, f"/articles/{hostile_article.pk}/?q=zanzibar")
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(" in html
    assert 'href="javascript:' not in html
    assert "<mark" in html


def test_templates_mark_nothing_safe():
    """Engine HTML is marked safe in Python (search.web.pages, search.web.highlighting) only."""
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert "|safe" not in text and "autoescape off" not in text, template


# Results, facets, sorting, paging


@on_every_engine
def test_results_show_total_time_hits_and_chips(client, seeded):
    _, html = page(client, "/?q=cyber")
    assert re.search(
        r"<strong>\d+</strong> articles for “cyber” <span class=\"took\">in [\d.]+ ms", html
    )
    elements = Elements(html)
    hit_links = [a["href"] for a in elements.all("a") if re.match(r"/articles/\d+/", a["href"])]
    assert hit_links and all(href.endswith("?q=cyber") for href in hit_links)
    chip = elements.all("a", **{"class": "chip chip-minister"})[0]
    assert chip["href"].startswith("/?q=cyber&minister=") and chip["data-hx-get"] == chip["href"]


@on_every_engine
def test_selected_facet_is_checked_and_removable(client, seeded):
    _, html = page(client, "/?q=cyber&minister=minoru-kihara")
    elements = Elements(html)
    checkbox = elements.all("input", id="facet-minister-minoru-kihara")[0]
    assert "checked" in checkbox and checkbox["form"] == "search-form"
    assert checkbox["name"] == "minister" and checkbox["value"] == "minoru-kihara"
    removal = elements.all("a", **{"class": "chip chip-remove"})[0]
    assert removal["href"] == "/?q=cyber"
    assert 'class="clear-all" href="/?q=cyber"' in html
    unchecked = elements.all("input", id="facet-minister-s-jaishankar")[0]
    assert "checked" not in unchecked


@on_every_engine
def test_facet_counts_are_the_engines(client, seeded):
    _, html = page(client, "/?minister=minoru-kihara")
    label = re.search(
        r'<label for="facet-minister-minoru-kihara">.*?<span class="count">(\d+)', html, re.S
    )
    api = client.get("/api/search?minister=minoru-kihara").json()
    expected = {f["value"]: f["count"] for f in api["facets"]["minister"]}["minoru-kihara"]
    assert int(label.group(1)) == expected == 3


def test_long_facet_lists_hide_the_rest_behind_more(client, seeded):
    _, html = page(client, "/")
    topics = re.search(r"<legend>Topic</legend>(.*?)</fieldset>", html, re.S).group(1)
    assert "<details" in topics and "more" in topics
    assert topics.split("<details")[0].count('type="checkbox"') == 8
    _, html = page(client, "/?topic=space")
    topics = re.search(r"<legend>Topic</legend>(.*?)</fieldset>", html, re.S).group(1)
    # A selected value stays reachable: if it sits behind "more", that starts open.
    assert (
        "<details" not in topics
        or 'facet-more" open' in topics
        or (topics.split("<details")[0].count("facet-topic-space") == 1)
    )


@on_every_engine
def test_sort_links_and_pagination_keep_the_state(client, seeded):
    _, html = page(client, "/?q=india&minister=s-jaishankar&per_page=1&sort=newest")
    elements = Elements(html)
    sorts = {a["href"] for a in elements.all("a") if "sort" in (a.get("href") or "")}
    assert "/?q=india&minister=s-jaishankar&sort=oldest&per_page=1" in sorts
    pages = [a["href"] for a in elements.all("a") if "page=" in (a.get("href") or "")]
    assert "/?q=india&minister=s-jaishankar&sort=newest&per_page=1&page=2" in pages
    assert elements.all("a", rel="next")[0]["href"].endswith("&page=2")
    # Without JavaScript the form submits the state no visible control holds.
    hidden = {(i["name"], i["value"]) for i in elements.all("input", type="hidden")}
    assert {("sort", "newest"), ("per_page", "1")} <= hidden


def test_search_form_works_without_javascript(client, seeded):
    _, html = page(client, "/?q=cyber")
    form = Elements(html).all("form", id="search-form")[0]
    assert form["action"] == "/" and form["method"] == "get"
    # What the browser sends when the form is submitted with a facet ticked:
    _, html = page(client, "/?q=cyber&minister=minoru-kihara&sort=newest")
    assert "<strong>3</strong> articles" in html
    assert 'class="apply-filters"' in html


def test_page_past_the_end_is_a_friendly_404(client, seeded):
    _, html = page(client, "/?q=cyber&page=99", status=404)
    assert "There is no such page" in html and "Page 99 is past the last page" in html
    assert 'href="/?q=cyber"' in html
    response, partial = page(client, "/?q=cyber&page=99", status=404, **HTMX)
    assert "There is no such page" in partial and "<html" not in partial


@pytest.mark.parametrize(
    "query_string, message",
    [("page=abc", "Page must be a whole number"), ("sort=sideways", "Sort must be one of")],
)
def test_invalid_parameter_is_a_400_with_its_message(client, seeded, query_string, message):
    _, html = page(client, f"/?q=cyber&{query_string}", status=400)
    assert message in html and 'value="cyber"' in html


def test_unavailable_index_is_a_503_that_says_what_to_do(client, db, settings, tmp_path):
    settings.NEWSROOM = {**settings.NEWSROOM, "INDEX_DIR": str(tmp_path / "missing")}
    _, html = page(client, "/?q=cyber", status=503)
    assert "Search is unavailable right now" in html and "check_index --repair" in html
    _, partial = page(client, "/?q=cyber", status=503, **HTMX)
    assert "check_index --repair" in partial


@on_every_engine
def test_no_hits_offers_the_suggestion_and_dropping_filters(client, seeded):
    _, html = page(client, "/?q=cybr&topic=space")
    assert "No articles match “cybr” with these filters." in html
    assert 'Did you mean <a href="/?q=cyber&amp;topic=space">cyber</a>?' in html
    assert '<a href="/?q=cybr" data-hx-get="/?q=cybr">Search without the filters</a>' in html


@on_every_engine
def test_a_question_no_article_answers_in_full_shows_those_with_most_of_its_words(client, seeded):
    notice = (
        "No article has all the words Jaishankar, Tokyo, zebras: "
        "showing articles with at least 2 of the 3."
    )
    every_word = "/?q=Jaishankar+AND+Tokyo+AND+zebras&amp;sort=newest"
    for headers in ({}, HTMX):
        _, html = page(client, "/?q=Jaishankar+Tokyo+zebras&sort=newest", **headers)
        assert notice in html
        assert f'<a href="{every_word}" data-hx-get="{every_word}">Require every word</a>' in html
        assert "Kamikawa" in html  # an article with "Jaishankar" and "Tokyo"
    _, html = page(client, every_word.replace("&amp;", "&"))
    assert "No articles match" in html and "Require every word" not in html


def test_parser_notices_are_shown(client, seeded):
    _, html = page(client, "/?q=*")
    assert "Ignored a wildcard that would match every article." in html


def test_featured_saved_searches_are_listed(client, seeded):
    SavedSearch.objects.create(name="Defence ties", slug="featured1", query_string="q=defence")
    SavedSearch.objects.create(name="Not featured", slug="plainone", query_string="q=x")
    SavedSearch.objects.filter(slug="featured1").update(featured=True)
    _, html = page(client, "/")
    assert 'href="/s/featured1/">Defence ties</a>' in html
    assert "Not featured" not in html


# Article page


@on_every_engine
def test_article_page_shows_paragraphs_highlights_and_links(client, seeded):
    article = seeded["000"]
    _, html = page(client, f"/articles/{article.pk}/?q=semiconductors&minister=s-jaishankar")
    paragraphs = re.search(r'<div class="article-body">(.*?)</div>', html, re.S).group(1)
    assert paragraphs.count("<p>") == len([p for p in article.body.split("\n\n") if p.strip()])
    assert "<mark" in paragraphs
    assert 'href="/?q=semiconductors&amp;minister=s-jaishankar">← Back to the results' in html
    for minister in article.ministers.all():
        assert f'href="/?minister={minister.slug}"' in html
    assert "More like this" in html and "Source:" in html


def test_article_page_without_a_search_has_no_marks(client, seeded):
    _, html = page(client, f"/articles/{seeded['001'].pk}/")
    assert "<mark" not in html.split('<div class="article-body">')[1]
    assert "Search the archive</a>" in html


# Hidden articles


@pytest.fixture
def hidden_article(seeded, django_capture_on_commit_callbacks):
    article = seeded["002"]
    with index_changes(django_capture_on_commit_callbacks):
        article.status = Article.Status.HIDDEN
        article.save()
    return article


@on_every_engine
def test_hidden_articles_are_absent_for_the_public(client, hidden_article):
    _, html = page(client, "/?per_page=100")
    assert f"/articles/{hidden_article.pk}/" not in html
    page(client, f"/articles/{hidden_article.pk}/", status=404)


def test_staff_may_see_a_hidden_article(client, hidden_article):
    client.force_login(User.objects.create_user("editor", is_staff=True))
    _, html = page(client, f"/articles/{hidden_article.pk}/")
    assert "This article is hidden" in html


@on_every_engine
def test_hidden_articles_never_reach_a_feed(client, hidden_article):
    saved = saved_searches.saved_search_create(
        name="Everything", search_query=saved_searches.search_query_from_string(""), client=""
    )
    feed = feedparser.parse(client.get(f"/s/{saved.slug}/feed/").content)
    links = {entry.link for entry in feed.entries}
    assert len(links) == Article.objects.filter(status="published").count()
    assert not any(link.endswith(f"/articles/{hidden_article.pk}/") for link in links)


# Saved searches


def test_save_asks_for_a_name_then_stores_the_canonical_search(client, seeded):
    _, html = page(client, "/saved/new/?minister=minoru-kihara&q=cyber&page=1")
    assert "“cyber”, minister: Minoru Kihara" in html
    assert 'name="query_string" value="minister=minoru-kihara&amp;q=cyber&amp;page=1"' in html
    response = client.post(
        "/saved/new/",
        {"name": "Kihara on cyber", "query_string": "minister=minoru-kihara&q=cyber&page=2"},
    )
    saved = SavedSearch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/saved/#saved-{saved.slug}"
    assert saved.name == "Kihara on cyber"
    assert saved.query_string == "q=cyber&minister=minoru-kihara"
    assert re.fullmatch(f"[{saved_searches.SLUG_ALPHABET}]{{8}}", saved.slug)
    _, listing = page(client, "/saved/")
    assert "Saved “Kihara on cyber”." in listing
    row = re.search(rf'<tr id="saved-{saved.slug}">(.*?)</tr>', listing, re.S).group(1)
    # The list never counts live: the page asks for the count, which is then kept.
    assert f'data-hx-get="/s/{saved.slug}/count/"' in row
    assert client.get(f"/s/{saved.slug}/count/").content.decode() == "3"
    _, listing = page(client, "/saved/")
    row = re.search(rf'<tr id="saved-{saved.slug}">(.*?)</tr>', listing, re.S).group(1)
    assert re.search(r'<td class="num">3</td>', row)


def test_save_needs_a_name_and_a_valid_search(client, seeded):
    response = client.post("/saved/new/", {"name": "", "query_string": "q=cyber"})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    response = client.post("/saved/new/", {"name": "x", "query_string": "page=zero"})
    assert response.status_code == 400
    assert "This search cannot be saved" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_saving_is_protected_by_csrf(seeded):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/saved/new/", {"name": "Forged", "query_string": "q=cyber"})
    assert response.status_code == 403
    assert not SavedSearch.objects.exists()
    form_page = client.get("/saved/new/?q=cyber")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form_page.content.decode())
    response = client.post(
        "/saved/new/",
        {"name": "Real", "query_string": "q=cyber", "csrfmiddlewaretoken": token.group(1)},
    )
    assert response.status_code == 302 and SavedSearch.objects.get().name == "Real"


def test_slug_collisions_are_retried(db, monkeypatch):
    SavedSearch.objects.create(name="Taken", slug="aaaaaaaa", query_string="")
    slugs = iter(["aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(saved_searches, "new_slug", lambda: next(slugs))
    saved = saved_searches.saved_search_create(
        name="New", search_query=saved_searches.search_query_from_string("q=x"), client=""
    )
    assert saved.slug == "bbbbbbbb"


def test_saved_search_link_opens_the_search(client, seeded):
    saved = SavedSearch.objects.create(
        name="Kihara", slug="kihara01", query_string="minister=minoru-kihara"
    )
    response = client.get(f"/s/{saved.slug}/")
    assert response.status_code == 302 and response["Location"] == "/?minister=minoru-kihara"
    page(client, "/s/nosuchxx/", status=404)


@on_every_engine
def test_saved_search_feed_is_atom_newest_first(client, seeded):
    saved = SavedSearch.objects.create(name="Cyber & more", slug="cyber001", query_string="q=cyber")
    response = client.get(f"/s/{saved.slug}/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title == "Cyber & more · Newsroom"
    assert feed.feed.id and feed.feed.updated
    assert feed.feed.link == "http://testserver/s/cyber001/"
    assert len(feed.entries) == 4
    for entry in feed.entries:
        assert (
            entry.id
            and entry.updated
            and re.fullmatch(r"http://testserver/articles/\d+/", entry.link)
        )
    published = [entry.published_parsed for entry in feed.entries]
    assert published == sorted(published, reverse=True)


def test_feed_of_unknown_saved_search_is_404(client, db):
    assert client.get("/s/nosuchxx/feed/").status_code == 404


def test_saved_list_survives_a_broken_saved_search(client, seeded):
    SavedSearch.objects.create(name="Broken", slug="broken01", query_string="page=zero")
    _, html = page(client, "/saved/")
    assert "Broken" in html and "page must be a whole number" in html


def test_saved_search_of_a_merged_minister_still_counts_and_feeds(
    client, seeded, django_capture_on_commit_callbacks
):
    from search.curation.services import ministers_merge
    from search.models import Minister

    saved = SavedSearch.objects.create(
        name="Hayashi", slug="hayashi1", query_string="minister=yoshimasa-hayashi"
    )
    with django_capture_on_commit_callbacks(execute=True):
        ministers_merge(
            survivor=Minister.objects.get(slug="s-jaishankar"),
            merged=[Minister.objects.get(slug="yoshimasa-hayashi")],
        )
    summary = saved_searches.count_summary(saved)
    assert summary.total == 5  # the survivor's articles, found through the old slug
    feed = feedparser.parse(client.get(f"/s/{saved.slug}/feed/").content)
    assert len(feed.entries) == 5


# Timeline and date range


@on_every_engine
def test_the_timeline_shows_bars_that_narrow_the_search_and_a_table_of_counts(client, seeded):
    _, html = page(client, "/?q=india")
    assert '<title id="timeline-title">Matching articles per year, 2022 to 2024</title>' in html
    bars = {a["aria-label"]: a["href"] for a in Elements(html).all("a") if "aria-label" in a}
    assert bars["2024: 4 articles"] == "/?q=india&year=2024"
    assert bars["2022: 1 article"] == "/?q=india&year=2022"
    assert "2023: 0 articles" not in bars  # nothing to narrow to
    table = re.search(r"<table>(.*?)</table>", html, re.S).group(1)
    rows = re.findall(r'<th scope="row">(?:<a [^>]*>)?(\d{4})(?:</a>)?</th><td>(\d+)</td>', table)
    assert rows == [("2022", "1"), ("2023", "0"), ("2024", "4")]
    # A year bar's link shows that year's months, the year marked as chosen.
    _, html = page(client, "/?q=india&year=2024")
    assert "Matching articles per month, January 2024 to December 2024" in html
    months = [a["aria-label"] for a in Elements(html).all("a") if "aria-label" in a]
    assert months and all(" 2024: " in label for label in months)


@on_every_engine
def test_the_timeline_is_in_the_htmx_partial(client, seeded):
    _, partial = page(client, "/?q=india&year=2024", **HTMX)
    assert 'class="timeline"' in partial and "<html" not in partial


def test_date_inputs_hold_the_range_and_chips_remove_each_end(client, seeded):
    _, html = page(client, "/?q=india&from=2023-01-01&to=2024-06-30")
    elements = Elements(html)
    start = elements.all("input", id="filter-from")[0]
    end = elements.all("input", id="filter-to")[0]
    assert (start["type"], start["name"], start["value"]) == ("date", "from", "2023-01-01")
    assert (end["name"], end["value"], end["form"]) == ("to", "2024-06-30", "search-form")
    # The date inputs carry the dates: no hidden copy that would send them twice.
    assert {i["name"] for i in elements.all("input", type="hidden")} & {"from", "to"} == set()
    removals = [a["href"] for a in elements.all("a", **{"class": "chip chip-remove"})]
    assert "/?q=india&to=2024-06-30" in removals and "/?q=india&from=2023-01-01" in removals
    assert "Matching articles per month, January 2023 to June 2024" in html


def test_a_reversed_range_is_explained_with_a_way_out(client, seeded):
    _, html = page(client, "/?q=india&from=2024-06-30&to=2023-01-01", status=400)
    assert "The end date (2023-01-01) is before the start date (2024-06-30)" in html
    assert re.search(r'<a href="/\?q=india" [^>]*>Search without the dates</a>', html)


def test_empty_date_fields_from_the_form_are_dropped_from_the_address(client, seeded):
    response = client.get("/?q=india&minister=s-jaishankar&from=&to=2024-12-31")
    assert response.status_code == 302
    assert response["Location"] == "/?q=india&minister=s-jaishankar&to=2024-12-31"
    assert client.get("/?q=india&from=&to=", **HTMX).status_code == 200  # htmx pushes its own
