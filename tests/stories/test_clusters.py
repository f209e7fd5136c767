"""Clusters of near-duplicates kept at import, and an editor's splits and joins kept by it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from search.models import Article, NearDuplicateBand
from search.stories import clusters, near_duplicates
from tests.story_data import COPY, OTHER, STORY, import_records, record


def by_url(url: str) -> Article:
    return Article.objects.get(source_url=url)


@pytest.fixture
def archive(db, tmp_path):
    import_records(
        tmp_path,
        [
            record(STORY),
            record(COPY),
            record(OTHER),
        ],
    )
    return tmp_path


def test_import_puts_a_reposted_copy_in_its_storys_cluster(archive):
    story, copy, other = by_url(STORY), by_url(COPY), by_url(OTHER)
    assert story.story_cluster == copy.story_cluster == story.pk
    assert other.story_cluster is None
    assert [a.pk for a in clusters.other_versions(story)] == [copy.pk]
    assert clusters.versions_count([story.pk, copy.pk, other.pk]) == {story.pk: 1, copy.pk: 1}


def test_a_copy_imported_later_joins_through_the_band_index(archive, tmp_path):
    import_records(tmp_path, [{**record(COPY), "url": "https://c.example/later"}])
    later = by_url("https://c.example/later")
    assert later.story_cluster == by_url(STORY).pk
    keys = NearDuplicateBand.objects.filter(article=later).count()
    assert keys == 32 + len(near_duplicates.signature(record(COPY)["body"]).anchors)


def test_the_seeds_reports_of_one_meeting_stay_apart(db):
    call_command("load_seeds", verbosity=0)
    assert Article.objects.count() == 5
    assert not Article.objects.filter(story_cluster__isnull=False).exists()


def test_a_hidden_version_is_not_listed_or_counted(archive):
    Article.objects.filter(source_url=COPY).update(status="hidden")
    story = by_url(STORY)
    assert clusters.other_versions(story) == []
    assert clusters.versions_count([story.pk]) == {}


def changed(records: list[dict]) -> list[dict]:
    """The same records with a new last sentence: an update the import must draft again."""
    return [{**r, "body": r["body"] + "\n\nThis report was updated."} for r in records]


def test_an_editors_split_is_kept_by_the_next_import_and_by_finding_all_again(archive):
    copy = by_url(COPY)
    assert clusters.split_from_stories(article_ids=[copy.pk]) == 1
    assert by_url(STORY).story_cluster is None  # a story of one is no cluster
    assert by_url(COPY).story_cluster is None
    import_records(
        archive,
        changed([record(STORY), record(COPY)]),
    )
    assert by_url(COPY).story_cluster is None and by_url(STORY).story_cluster is None
    call_command("find_near_duplicates", "--again", verbosity=0)
    assert by_url(COPY).story_cluster is None
    assert by_url(COPY).story_cluster_by_editor


def test_an_editors_join_is_kept_by_the_next_import_and_by_finding_all_again(archive):
    story, other = by_url(STORY), by_url(OTHER)
    assert clusters.join_stories(article_ids=[story.pk, other.pk]) == 3  # with the copy
    assert {a.story_cluster for a in Article.objects.all()} == {story.pk}
    import_records(archive, changed([record(OTHER)]))
    call_command("find_near_duplicates", "--again", verbosity=0)
    assert {a.story_cluster for a in Article.objects.all()} == {story.pk}


def test_splitting_the_first_article_keeps_the_rest_together(archive, tmp_path):
    import_records(tmp_path, [{**record(COPY), "url": "https://c.example/later"}])
    story = by_url(STORY)
    clusters.split_from_stories(article_ids=[story.pk])
    rest = {by_url(COPY).story_cluster, by_url("https://c.example/later").story_cluster}
    assert rest == {by_url(COPY).pk}
    assert by_url(STORY).story_cluster is None


def test_an_archive_from_before_clusters_is_placed_by_the_command(archive):
    Article.objects.update(story_cluster=None)
    NearDuplicateBand.objects.all().delete()
    call_command("find_near_duplicates", "--again", verbosity=0)
    assert by_url(COPY).story_cluster == by_url(STORY).pk
