"""Triage in a real browser: starring, labelling a selection and all the matches of a search,
filtering by a label, writing and editing a note (htmx on the article page)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User

from search.models import Article, Label, Note, Star

# The browser fixtures (browser, context, page, site) live in tests/browser.py.
pytest_plugins = ["tests.browser"]

pytestmark = pytest.mark.browser

expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "a long pass phrase"


@pytest.fixture
def rita(site):
    return User.objects.create_user("rita", "rita@example.org", PASSWORD)


def sign_in(page, site, then: str = "/") -> None:
    page.goto(site + f"/accounts/login/?next={then}")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(site + then)


def test_starring_an_article_and_finding_it_among_my_stars(page, site, rita):
    article = Article.objects.order_by("pk").first()
    sign_in(page, site, article.get_absolute_url())
    page.get_by_role("button", name="Star", exact=True).click()
    expect(page.get_by_role("button", name="Starred", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert Star.objects.filter(user=rita, article=article).exists()
    page.goto(site + "/")
    page.get_by_label("Starred by me").check()
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit-title")).to_have_text(article.title)


def test_labelling_a_selection_then_filtering_by_the_label(page, site, rita):
    sign_in(page, site)
    picks = page.locator(".hit-pick input")
    picks.nth(0).check()
    picks.nth(1).check()
    page.get_by_label("Label", exact=True).fill("Follow up")
    page.get_by_role("button", name="Add the label").click()
    expect(page.get_by_role("status")).to_contain_text("Done: 2 articles labelled")
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("status")).to_contain_text("Undone")
    assert not Label.objects.get().articles.exists()

    page.goto(site + "/")
    picks.nth(0).check()
    picks.nth(2).check()
    page.get_by_label("Label", exact=True).fill("Follow up")
    page.get_by_role("button", name="Add the label").click()
    expect(page.get_by_role("status")).to_contain_text("Done: 2 articles labelled")
    page.goto(site + "/")
    page.get_by_role("checkbox", name=re.compile(r"^Follow up 2")).check()
    expect(page.locator(".hit")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"label=follow-up"))
    expect(page.locator(".hit .chip-label").first).to_have_text("Follow up")


def test_labelling_all_the_matches_of_a_search(page, site, rita):
    sign_in(page, site, "/?q=india")
    matches = page.locator(".hit").count()
    page.get_by_label("Label", exact=True).fill("India pile")
    page.get_by_label(re.compile(r"^All \d+ matches of this search")).check()
    page.get_by_role("button", name="Add the label").click()
    expect(page.get_by_role("status")).to_contain_text("labelled")
    labelled = Label.objects.get(name="India pile").articles.count()
    assert labelled >= matches > 0
    page.get_by_role("link", name="Back to the search").click()
    expect(page.locator(".hit .chip-label")).to_have_count(matches)


def test_writing_and_editing_a_note(page, site, rita):
    article = Article.objects.order_by("pk").first()
    sign_in(page, site, article.get_absolute_url())
    page.get_by_label("Write a note").fill("Ask the desk <b>now</b>: https://example.org/x")
    page.get_by_role("button", name="Save the note").click()
    note = page.locator(".note")
    expect(note).to_have_count(1)
    expect(note.locator(".note-text")).to_contain_text("Ask the desk <b>now</b>")
    expect(note.get_by_role("link", name="https://example.org/x")).to_have_attribute(
        "rel", "nofollow noopener noreferrer"
    )
    expect(note.locator(".note-meta")).to_contain_text("rita")
    expect(note.locator(".note-meta")).to_contain_text("private")
    note.locator("summary").click()
    note.get_by_label("Text").fill("Desk answered.")
    note.get_by_label("Shared with every reader").check()
    note.get_by_role("button", name="Save the note").click()
    expect(page.locator(".note .note-text")).to_have_text("Desk answered.")
    expect(page.locator(".note .note-meta")).to_contain_text("shared with every reader")
    assert Note.objects.get().shared is True
