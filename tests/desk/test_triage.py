"""Stars, labels, notes and label actions (search.desk.triage): who may do what, what readers
see, limits, hidden articles, and an undo that reverses exactly what an action changed."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rispy
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.management import call_command

from search import selectors
from search.desk import triage
from search.desk.triage import TriageRefused
from search.models import Article, Label, LabelAction, Note
from search.query import SearchQuery
from tests.conftest import on_every_engine


@pytest.fixture
def rita(db):
    return User.objects.create_user("rita", password="pw-rita-123456")


@pytest.fixture
def omar(db):
    return User.objects.create_user("omar", password="pw-omar-123456")


def articles(n: int) -> list[Article]:
    return [
        Article.objects.create(title=f"Article {i}", body="text", raw="text", content_hash=str(i))
        for i in range(n)
    ]


def test_stars_are_private_to_their_user(rita, omar):
    first, second = articles(2)
    triage.star_set(user=rita, article=first, starred=True)
    triage.star_set(user=rita, article=first, starred=True)  # twice is once
    assert triage.starred_ids(rita) == {first.pk}
    assert triage.starred_ids(omar) == set()
    triage.star_set(user=rita, article=first, starred=False)
    assert triage.starred_ids(rita) == set()
    with pytest.raises(TriageRefused) as refused:
        triage.star_set(user=AnonymousUser(), article=second, starred=True)
    assert refused.value.status == 401


def test_a_label_is_one_whatever_its_case_and_shows_on_its_articles(rita, omar):
    first, second = articles(2)
    label = triage.label_named(name="  Needs   checking ", user=rita)
    assert (label.name, label.slug) == ("Needs checking", "needs-checking")
    assert triage.label_named(name="NEEDS CHECKING", user=omar) == label
    assert triage.label_add(user=omar, article=first, label=label) is True
    assert triage.label_add(user=rita, article=first, label=label) is False
    assert triage.labels_by_article([first.pk, second.pk]) == {first.pk: [label]}
    assert triage.label_remove(user=rita, article=first, label=label) is True
    assert triage.labels_by_article([first.pk]) == {}
    with pytest.raises(TriageRefused, match="at most 60"):
        triage.label_named(name="x" * 61, user=rita)
    with pytest.raises(TriageRefused, match="colour is one of"):
        triage.label_named(name="Other", user=rita, colour="chartreuse")


def test_notes_are_private_or_shared_and_only_their_author_edits_them(rita, omar):
    (article,) = articles(1)
    private = triage.note_create(user=rita, article=article, text="Call the ministry", shared=False)
    shared = triage.note_create(user=rita, article=article, text="Checked: true", shared=True)
    assert set(triage.readable_notes(rita)) == {private, shared}
    assert set(triage.readable_notes(omar)) == {shared}
    assert triage.note_counts(omar, [article.pk]) == {article.pk: 1}
    assert triage.noted_ids(omar) == {article.pk}
    with pytest.raises(TriageRefused) as refused:
        triage.note_edit(user=omar, note=shared, text="mine now")
    assert refused.value.status == 403
    triage.note_edit(user=rita, note=shared, text="Checked twice", shared=True)
    assert Note.objects.get(pk=shared.pk).text == "Checked twice"
    with pytest.raises(TriageRefused):
        triage.note_delete(user=omar, note=shared)
    omar.is_staff = True  # an editor deletes any note
    triage.note_delete(user=omar, note=shared)
    with pytest.raises(TriageRefused, match="needs some text"):
        triage.note_create(user=rita, article=article, text=" \x00 ", shared=False)


def test_anonymous_visitors_see_shared_notes_only_where_the_operator_allows(rita, settings):
    (article,) = articles(1)
    triage.note_create(user=rita, article=article, text="shared", shared=True)
    triage.note_create(user=rita, article=article, text="private", shared=False)
    anonymous = AnonymousUser()
    assert list(triage.readable_notes(anonymous)) == []
    settings.NEWSROOM = {**settings.NEWSROOM, "PUBLIC_TRIAGE": True}
    assert [note.text for note in triage.readable_notes(anonymous)] == ["shared"]
    settings.NEWSROOM = {**settings.NEWSROOM, "PUBLIC_TRIAGE": True, "PRIVATE": True}
    assert list(triage.readable_notes(anonymous)) == []


def test_notes_are_limited_per_hour_like_saved_searches(rita, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "NOTES_PER_USER_PER_HOUR": 2}
    (article,) = articles(1)
    triage.note_create(user=rita, article=article, text="one", shared=False)
    triage.note_create(user=rita, article=article, text="two", shared=False)
    with pytest.raises(TriageRefused, match="2 notes in the last hour") as refused:
        triage.note_create(user=rita, article=article, text="three", shared=False)
    assert refused.value.status == 429
    assert refused.value.retry_after_seconds > 0


def test_hidden_articles_keep_no_labels_or_notes_in_what_readers_see(rita):
    shown, hidden = articles(2)
    label = triage.label_named(name="Leads", user=rita)
    triage.note_create(user=rita, article=hidden, text="secret", shared=True)
    Article.objects.filter(pk=hidden.pk).update(status=Article.Status.HIDDEN)
    action = triage.label_action_start(
        user=rita, label=label, kind="add", article_ids=[shown.pk, hidden.pk]
    )
    assert action.article_ids == [shown.pk]
    assert list(triage.readable_notes(rita)) == []
    assert triage.noted_ids(rita) == set()


def test_a_label_action_is_undone_exactly(rita, omar):
    first, second, third = articles(3)
    label = triage.label_named(name="Follow up", user=rita)
    triage.label_add(user=omar, article=first, label=label)  # already there before the action
    action = triage.label_action_start(
        user=rita, label=label, kind="add", article_ids=[first.pk, second.pk, third.pk]
    )
    assert (action.status, action.done, action.total) == ("done", 3, 3)
    assert action.article_ids == [second.pk, third.pk]
    with pytest.raises(TriageRefused):
        triage.label_action_undo(user=omar, action=action)
    triage.label_action_undo(user=rita, action=action)
    assert set(label.articles.all()) == {first}
    with pytest.raises(TriageRefused, match="undone already"):
        triage.label_action_undo(user=rita, action=action)
    removal = triage.label_action_start(
        user=rita, label=label, kind="remove", article_ids=[first.pk, second.pk]
    )
    assert removal.article_ids == [first.pk]
    triage.label_action_undo(user=rita, action=removal)
    assert set(label.articles.all()) == {first}


def test_a_large_label_action_waits_for_the_runner_and_tells_its_progress(rita, monkeypatch):
    monkeypatch.setattr(triage, "BACKGROUND_FROM", 2)
    monkeypatch.setattr(triage, "CHUNK", 2)
    many = articles(5)
    label = triage.label_named(name="Bulk", user=rita)
    action = triage.label_action_start(
        user=rita, label=label, kind="add", article_ids=[a.pk for a in many]
    )
    assert (action.status, action.done, action.total) == ("queued", 0, 5)
    assert label.articles.count() == 0
    call_command("run_batches", "--once", stdout=io.StringIO())  # the background runner
    action = LabelAction.objects.get(pk=action.pk)
    assert (action.status, action.done) == ("done", 5)
    assert label.articles.count() == 5
    assert triage.run_waiting_actions() == 0


def test_every_match_of_a_search_is_labelled(seeded, rita):
    label = triage.label_named(name="All matches", user=rita)
    expected = set(triage.visible_articles().values_list("pk", flat=True))
    action = triage.label_action_start(user=rita, label=label, kind="add", query_string="")
    assert set(action.article_ids) == expected
    assert Label.objects.get(pk=label.pk).articles.count() == len(expected)


def download(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content).decode("utf-8")


def test_exports_carry_labels_and_the_readers_notes_on_request(client, seeded, rita, omar):
    article = seeded["000"]
    label = triage.label_named(name="Lead", user=rita)
    triage.label_add(user=rita, article=article, label=label)
    triage.note_create(user=rita, article=article, text="Call =the= desk", shared=False)
    triage.note_create(user=omar, article=article, text="Omar's own", shared=False)
    client.force_login(rita)
    rows = list(csv.DictReader(io.StringIO(download(client, "/export.csv"))))
    mine = next(row for row in rows if row["permalink"].endswith(f"/articles/{article.pk}/"))
    assert mine["labels"] == "Lead" and "notes" not in mine
    rows = list(csv.DictReader(io.StringIO(download(client, "/export.csv?notes=1"))))
    mine = next(row for row in rows if row["permalink"].endswith(f"/articles/{article.pk}/"))
    assert mine["notes"].startswith("rita, ") and mine["notes"].endswith(": Call =the= desk")
    records = [json.loads(line) for line in download(client, "/export.jsonl?notes=1").splitlines()]
    record = next(r for r in records if r["permalink"].endswith(f"/articles/{article.pk}/"))
    assert record["labels"] == ["Lead"] and len(record["notes"]) == 1
    entries = rispy.loads(download(client, "/export.ris?notes=1"))
    (labelled,) = [entry for entry in entries if "Lead" in entry.get("keywords", [])]
    assert any(note.endswith(": Call =the= desk") for note in labelled["notes"])
    # Anonymous visitors of a public archive get no labels (PUBLIC_TRIAGE is off) nor notes.
    client.logout()
    rows = list(csv.DictReader(io.StringIO(download(client, "/export.csv?notes=1"))))
    assert all(row["labels"] == "" for row in rows) and "notes" not in rows[0]


@on_every_engine
def test_a_label_is_searchable_as_soon_as_an_edit_is(
    seeded, rita, django_capture_on_commit_callbacks
):
    article = seeded["001"]
    with django_capture_on_commit_callbacks(execute=True):
        label = triage.label_named(name="Check this", user=rita)
        triage.label_add(user=rita, article=article, label=label)
    assert run(labels=("check-this",)) == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        label.slug = "checked"
        label.save()
    assert run(labels=("check-this",)) == [] and run(labels=("checked",)) == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        label.delete()
    assert run(labels=("checked",)) == []


def run(**filters) -> list[int]:
    query = SearchQuery(every_copy=True, per_page=100, **filters)
    return [row.article.pk for row in selectors.run_search(query).rows]


def test_editors_merge_rename_and_delete_labels_in_the_admin(client, rita, omar):
    first, second = articles(2)
    keep = triage.label_named(name="Keep", user=rita)
    fold = triage.label_named(name="Fold", user=omar)
    triage.label_add(user=rita, article=first, label=keep)
    triage.label_add(user=omar, article=second, label=fold)
    editor = User.objects.create_user("ed", password="pw-ed-123456", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    assert client.get("/admin/search/label/").status_code == 200
    merged = client.post(
        "/admin/search/label/",
        {"action": "merge_labels", "_selected_action": [keep.pk, fold.pk]},
    )
    assert merged.status_code == 302
    assert list(Label.objects.all()) == [keep]
    assert set(keep.articles.all()) == {first, second}
    renamed = client.post(
        f"/admin/search/label/{keep.pk}/change/",
        {"name": "Kept", "slug": "kept", "colour": "teal"},
    )
    assert renamed.status_code == 302
    assert Label.objects.get().slug == "kept"
