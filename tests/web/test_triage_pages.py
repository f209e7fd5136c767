"""The triage forms and pages through the Django test client, JavaScript off: each form posts
(with its CSRF token) and sends the browser back; notes are escaped with safe links."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from search.models import Article, Label, LabelAction, Note, Star
from search.operations import index_sync


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", "rita@example.org", "a long pass phrase")


@pytest.fixture
def signed_in(rita):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(rita)
    return browser


def csrf_post(browser: Client, page: str, action: str, data: dict):
    html = browser.get(page).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    return browser.post(action, {**data, "csrfmiddlewaretoken": token})


def test_an_article_is_starred_labelled_and_annotated_without_javascript(seeded, signed_in, rita):
    article = seeded["000"]
    page = article.get_absolute_url()
    starred = csrf_post(signed_in, page, f"/articles/{article.pk}/star/", {"starred": "1"})
    assert starred.status_code == 302 and starred["Location"].endswith("#triage")
    assert Star.objects.filter(user=rita, article=article).exists()
    csrf_post(signed_in, page, f"/articles/{article.pk}/labels/", {"label": "To verify"})
    note = "See <script>x</script> https://example.org/report and call"
    csrf_post(signed_in, page, f"/articles/{article.pk}/notes/", {"text": note, "shared": "1"})
    html = signed_in.get(page).content.decode()
    assert 'aria-pressed="true"' in html
    assert 'href="/labels/to-verify/"' in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html
    assert (
        '<a href="https://example.org/report" rel="nofollow noopener noreferrer">'
        "https://example.org/report</a>"
    ) in html
    saved = Note.objects.get()
    csrf_post(signed_in, page, f"/notes/{saved.pk}/", {"text": "Called them", "shared": "1"})
    assert Note.objects.get().text == "Called them"
    csrf_post(signed_in, page, f"/notes/{saved.pk}/", {"delete": "1"})
    assert not Note.objects.exists()
    # Without a CSRF token nothing is written.
    assert signed_in.post(f"/articles/{article.pk}/star/", {"starred": "0"}).status_code == 403


def test_anonymous_visitors_see_no_triage_and_cannot_write(seeded, rita, settings):
    article = seeded["000"]
    label = Label.objects.create(name="Lead", slug="lead", created_by=rita)
    Article.labels.through.objects.create(article=article, label=label)
    anonymous = Client()
    assert 'id="triage"' not in anonymous.get(article.get_absolute_url()).content.decode()
    assert anonymous.get("/labels/").status_code == 404
    refused = anonymous.post(f"/articles/{article.pk}/star/", {"starred": "1"})
    assert refused.status_code == 401 and not Star.objects.exists()
    settings.NEWSROOM = {**settings.NEWSROOM, "PUBLIC_TRIAGE": True}
    html = anonymous.get(article.get_absolute_url()).content.decode()
    assert 'id="triage"' in html and "Add a label" not in html
    assert "Lead" in anonymous.get("/labels/lead/").content.decode()


def test_results_are_labelled_in_bulk_and_the_action_is_undone(seeded, signed_in, rita):
    picked = sorted(Article.objects.values_list("pk", flat=True))[:2]
    created = csrf_post(
        signed_in,
        "/",
        "/labels/actions/",
        {"label": "Pile", "scope": "picked", "kind": "add", "article": picked, "search": ""},
    )
    action = LabelAction.objects.get()
    assert created["Location"] == f"/labels/actions/{action.pk}/"
    assert "Done: 2 articles labelled" in signed_in.get(created["Location"]).content.decode()
    assert sorted(Label.objects.get().articles.values_list("pk", flat=True)) == picked
    index_sync.process_pending()  # after the commit (the test's transaction never commits)
    html = signed_in.get("/?label=pile").content.decode()
    assert html.count('class="hit"') == 2
    assert "Label: Pile" in html
    starred = signed_in.get("/?starred=1&notes=1").content.decode()
    assert "Yours: Starred by me" in starred and "Yours: With notes" in starred
    csrf_post(signed_in, created["Location"], f"/labels/actions/{action.pk}/undo/", {})
    assert not Label.objects.get().articles.exists()
    every = csrf_post(
        signed_in,
        "/",
        "/labels/actions/",
        {"label": "Pile", "scope": "all", "kind": "add", "search": "q=india"},
    )
    assert every.status_code == 302
    india = signed_in.get("/api/search?q=india&per_page=100").json()
    labelled = set(Label.objects.get().articles.values_list("pk", flat=True))
    assert labelled == {hit["id"] for hit in india["hits"]} and labelled
    listing = signed_in.get("/labels/").content.decode()
    assert "Pile" in listing
