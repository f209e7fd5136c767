"""Curation services on their own: merges, status changes, cleaning decisions, uploads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from search import engine
from search.curation import services
from search.models import Article, FormerMinisterSlug, Minister, PendingIndexChange, Topic
from search.query import SearchQuery
from search.selectors import current_minister_slugs, run_search


def test_merging_twice_points_every_former_slug_at_the_last_survivor(db):
    first = Minister.objects.create(name="A One", slug="a-one")
    second = Minister.objects.create(name="A Two", slug="a-two", aliases=["Two"])
    third = Minister.objects.create(name="A Three", slug="a-three")
    services.ministers_merge(survivor=second, merged=[first])
    services.ministers_merge(survivor=third, merged=[second])
    assert dict(FormerMinisterSlug.objects.values_list("slug", "minister__slug")) == {
        "a-one": "a-three",
        "a-two": "a-three",
    }
    assert Minister.objects.get().aliases == ["A Two", "Two", "A One"]
    assert current_minister_slugs(("a-one", "a-three", "unknown")) == ("a-three", "unknown")


def test_a_live_slug_wins_over_a_former_one(db):
    kept = Minister.objects.create(name="Kept", slug="kept")
    FormerMinisterSlug.objects.create(slug="reused", minister=kept)
    Minister.objects.create(name="Reused", slug="reused")
    assert current_minister_slugs(("reused",)) == ("reused",)


def test_merging_a_minister_into_itself_is_refused(db):
    minister = Minister.objects.create(name="Solo", slug="solo")
    with pytest.raises(ValueError, match="other than the one kept"):
        services.ministers_merge(survivor=minister, merged=[minister])


def test_search_with_a_former_slug_finds_the_survivors_articles(
    seeded, django_capture_on_commit_callbacks
):
    survivor = Minister.objects.get(slug="narendra-modi")
    with django_capture_on_commit_callbacks(execute=True):
        services.minister_slug_changed(minister=survivor, old_slug="modi-old")
    page = run_search(SearchQuery(ministers=("modi-old",)))
    assert [row.article.pk for row in page.rows] == [seeded["004"].pk]
    assert page.query.ministers == ("narendra-modi",)


def test_set_status_queues_only_the_articles_that_change(seeded):
    PendingIndexChange.objects.all().delete()
    ids = [seeded["000"].pk, seeded["001"].pk]
    Article.objects.filter(pk=ids[0]).update(status="hidden")
    assert services.articles_set_status(article_ids=ids, status="hidden") == 1
    assert list(PendingIndexChange.objects.values_list("article_id", flat=True)) == [ids[1]]
    with pytest.raises(ValueError, match="unknown status"):
        services.articles_set_status(article_ids=ids, status="gone")


def test_deleting_a_minister_untags_its_articles(seeded, django_capture_on_commit_callbacks):
    modi = Minister.objects.get(slug="narendra-modi")
    with django_capture_on_commit_callbacks(execute=True):
        services.taxonomy_entries_delete(entries=[modi, Topic.objects.get(slug="space")])
    assert engine.search(SearchQuery(ministers=("narendra-modi",))).total == 0
    assert engine.search(SearchQuery(topics=("space",))).total == 0


def test_cleaning_decisions_are_validated(seeded):
    article = seeded["002"]
    with pytest.raises(ValueError, match="empty line"):
        services.article_decide_cleaning(article=article, line="  ", decision="keep")
    with pytest.raises(ValueError, match="unknown cleaning decision"):
        services.article_decide_cleaning(article=article, line="x", decision="maybe")
    with pytest.raises(ValueError, match="not editable"):
        services.article_return_to_automatic(article=article, fields=["status"])


def test_uploads_with_the_same_name_are_both_kept(db, settings):
    files = [SimpleUploadedFile("../a.txt", b"One\n\nText one."), SimpleUploadedFile("a.txt", b"")]
    report = services.articles_upload(files=files)
    saved = sorted(path.name for path in (settings.MEDIA_ROOT / "uploads").glob("*/*"))
    assert saved == ["a-2.txt", "a.txt"]  # no path from the client is trusted
    assert (report.imported, len(report.failed)) == (1, 1)
