"""Near-duplicate stories in the admin: editors see them, split and join them, and the next
import keeps what they decided (the search follows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from search import engine
from search.models import Article
from search.operations import index_sync
from search.query import SearchQuery
from tests.curation.test_admin import CHANGELIST, run_action
from tests.story_data import COPY, OTHER, STORY, import_records, record


def import_feed(folder: Path, suffix: str, capture) -> None:
    with capture(execute=True):
        import_records(folder, [record(url, suffix=suffix) for url in (STORY, COPY, OTHER)])
    index_sync.process_pending()


@pytest.fixture
def editor_client(client, db):
    editor = User.objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    return client


@pytest.fixture
def stories(db, tmp_path, django_capture_on_commit_callbacks):
    index_sync.rebuild_index()  # an empty index, which the import fills
    import_feed(tmp_path, "", django_capture_on_commit_callbacks)
    return {url: Article.objects.get(source_url=url) for url in (STORY, COPY, OTHER)}


def stories_found() -> int:
    return engine.search(SearchQuery(q="dock workers")).total


def test_editors_see_stories_and_list_one_storys_versions(editor_client, stories):
    key = stories[STORY].pk
    html = editor_client.get(CHANGELIST + "?versions=some").content.decode()
    assert f'<a href="?story={key}">#{key} · 2 versions</a>' in html
    assert stories[OTHER].title not in html
    html = editor_client.get(CHANGELIST + f"?story={key}").content.decode()
    assert stories[STORY].title in html and stories[COPY].title in html
    assert stories[OTHER].title not in html
    assert editor_client.get(CHANGELIST + "?story=x").status_code == 200  # no match, no 500


def test_a_split_in_the_admin_holds_through_the_next_import(
    editor_client, stories, tmp_path, django_capture_on_commit_callbacks
):
    assert stories_found() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(editor_client, CHANGELIST, "split_from_stories", [stories[COPY]])
    assert response.status_code == 302
    index_sync.process_pending()
    assert stories_found() == 3
    import_feed(tmp_path, "\n\nUpdated with new details.", django_capture_on_commit_callbacks)
    assert Article.objects.get(source_url=COPY).story_cluster is None
    assert stories_found() == 3
    html = editor_client.get(CHANGELIST + "?versions=editor").content.decode()
    assert "alone (set by an editor)" in html


def test_a_join_in_the_admin_holds_through_the_next_import(
    editor_client, stories, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        run_action(editor_client, CHANGELIST, "join_stories", [stories[STORY], stories[OTHER]])
    index_sync.process_pending()
    assert stories_found() == 1
    import_feed(tmp_path, "\n\nUpdated with new details.", django_capture_on_commit_callbacks)
    assert stories_found() == 1
    assert Article.objects.filter(story_cluster=stories[STORY].pk).count() == 3


def test_joining_needs_two_articles(editor_client, stories):
    response = run_action(editor_client, CHANGELIST, "join_stories", [stories[OTHER]])
    assert response.status_code == 302
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Select at least two articles to join their stories." in html


def test_a_rebuilt_index_keeps_the_stories(stories):
    index_sync.rebuild_index()
    assert stories_found() == 2
    results = engine.search(SearchQuery(q="dock workers", every_copy=True))
    assert results.total == 3
