"""Near-duplicate stories on the pages: one hit a story, "N other versions" expanded in
place, the switch to every copy, and the article page's versions (both engines)."""

from __future__ import annotations

import pytest

from search.models import Article
from search.operations import index_sync
from tests.conftest import on_every_engine
from tests.story_data import COPY, OTHER, STORY, import_records, record
from tests.web.test_api import check_against_openapi
from tests.web.test_views import HTMX, Elements, page


@pytest.fixture
def stories(seeded, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        import_records(tmp_path, [record(STORY), record(COPY), record(OTHER)])
    index_sync.process_pending()
    return {url: Article.objects.get(source_url=url) for url in (STORY, COPY, OTHER)}


@on_every_engine
def test_copies_collapse_and_the_status_says_stories(client, stories):
    _response, html = page(client, "/?q=dock+workers&sort=newest")
    assert "<strong>2</strong> stories (3 articles counting every copy)" in html
    hits = Elements(html).all("h3", **{"class": "hit-title"})
    assert len(hits) == 2
    assert "Strike over: dockers accept 6.5% wage offer" in html  # the newest copy stands
    assert "Port workers end three-week strike" not in html
    links = [
        a
        for a in Elements(html).all("a")
        if a.get("data-hx-target") == (f"#versions-{stories[COPY].pk}")
    ]
    assert (
        links
        and links[0]["href"] == f"/articles/{stories[COPY].pk}/?q=dock+workers&sort=newest#versions"
    )
    assert ">1 other version</a>" in html


@on_every_engine
def test_the_switch_shows_every_copy_and_back(client, stories):
    _response, html = page(client, "/?q=dock+workers")
    switch = [a for a in Elements(html).all("a", **{"class": "copies-switch"})]
    assert switch[0]["href"] == "/?q=dock+workers&copies=all"
    _response, html = page(client, switch[0]["href"])
    assert "<strong>3</strong> articles" in html
    assert "other version" not in html
    assert "Show one article per story" in html
    assert 'name="copies" value="all"' in html  # the form keeps the switch


@on_every_engine
def test_other_versions_expand_in_place_and_without_javascript_go_to_the_article(client, stories):
    url = f"/articles/{stories[COPY].pk}/versions/?q=dock"
    _response, fragment = page(client, url, **HTMX)
    assert not fragment.startswith("<!doctype")
    assert "Port workers end three-week strike after pay deal" in fragment
    assert f'href="/articles/{stories[STORY].pk}/?q=dock"' in fragment
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{stories[COPY].pk}/?q=dock#versions"


@on_every_engine
def test_the_article_page_lists_its_other_versions(client, stories):
    _response, html = page(client, f"/articles/{stories[STORY].pk}/")
    assert "Other versions of this story" in html
    assert "Strike over: dockers accept 6.5% wage offer" in html
    _response, html = page(client, f"/articles/{stories[OTHER].pk}/")
    assert "Other versions of this story" not in html


@on_every_engine
def test_a_hidden_copy_is_never_shown_as_another_version(
    client, stories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        copy = stories[COPY]
        copy.status = Article.Status.HIDDEN
        copy.save()
    index_sync.process_pending()
    _response, html = page(client, f"/articles/{stories[STORY].pk}/")
    assert "Other versions of this story" not in html
    _response, html = page(client, "/?q=dock+workers")
    assert "other version" not in html and "copies-switch" not in html
    assert "<strong>2</strong> articles" in html
    page(client, f"/articles/{copy.pk}/versions/", status=404, **HTMX)


def test_a_bad_copies_value_is_a_clear_400(client, stories):
    _response, html = page(client, "/?q=dock&copies=some", status=400)
    assert "Copies must be &#x27;all&#x27; (show every copy) or absent." in html


@on_every_engine
def test_the_api_counts_stories_and_copies(client, stories):
    collapsed = client.get("/api/search?q=dock+workers").json()
    check_against_openapi(collapsed, "SearchResponse")
    assert (collapsed["total"], collapsed["copies"], len(collapsed["hits"])) == (2, 3, 2)
    every = client.get("/api/search?q=dock+workers&copies=all").json()
    check_against_openapi(every, "SearchResponse")
    assert (every["total"], every["copies"], len(every["hits"])) == (3, None, 3)
    bad = client.get("/api/search?copies=yes")
    assert bad.status_code == 400 and bad.json()["parameter"] == "copies"


@on_every_engine
def test_the_api_gives_each_hit_its_other_versions_and_the_article_lists_them(client, stories):
    story, copy, other = stories[STORY], stories[COPY], stories[OTHER]
    every = client.get("/api/search?q=dock+workers&copies=all").json()
    check_against_openapi(every, "SearchResponse")
    counts = {hit["id"]: hit["other_versions"] for hit in every["hits"]}
    assert counts == {story.pk: 1, copy.pk: 1, other.pk: 0}
    article = client.get(f"/api/articles/{story.pk}").json()
    check_against_openapi(article, "Article")
    assert [(v["id"], v["title"], v["published"], v["source"]) for v in article["versions"]] == [
        (copy.pk, copy.title, copy.published.isoformat(), COPY)
    ]
    assert client.get(f"/api/articles/{other.pk}").json()["versions"] == []


@on_every_engine
def test_the_api_never_lists_or_counts_a_hidden_version(
    client, stories, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=stories[COPY].pk).update(status=Article.Status.HIDDEN)
    story = stories[STORY]
    assert client.get(f"/api/articles/{story.pk}").json()["versions"] == []
    hits = client.get("/api/search?q=dock+workers&copies=all").json()["hits"]
    assert {hit["id"]: hit["other_versions"] for hit in hits}[story.pk] == 0
