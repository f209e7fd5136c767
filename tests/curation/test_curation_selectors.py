"""Curation selectors: what an edit changed, the cleaning review, the re-tag preview."""

from __future__ import annotations

import datetime

from search.curation.selectors import (
    article_cleaning_review,
    article_edited_fields,
    retag_changes,
)
from search.ingest.taxonomy import Taxonomy
from search.models import Minister


def test_edited_fields_compare_with_the_stored_values(seeded):
    article = seeded["003"]
    same = {
        "title": article.title,
        "body": article.body,
        "published": article.published,
        "ministers": list(article.ministers.all()),
        "topics": article.topics.all(),
        "status": "hidden",  # not an extracted field
    }
    assert article_edited_fields(article_id=article.pk, submitted=same) == set()
    changed = {
        **same,
        "published": datetime.date(2001, 1, 1),
        "ministers": list(article.ministers.all())[:1],
    }
    assert article_edited_fields(article_id=article.pk, submitted=changed) == {
        "published",
        "ministers",
    }


def test_cleaning_review_lists_every_input_line_once(seeded):
    article = seeded["002"]
    review = article_cleaning_review(article=article)
    removed = [line for line in review.input_lines if line.removed_reason]
    assert [line.text for line in removed] == [block["text"] for block in article.removed]
    assert not review.body_is_manual and review.kept_by_editor == []


def test_retag_preview_changes_nothing_and_skips_tags_set_by_hand(seeded):
    modi = Minister.objects.get(slug="narendra-modi")
    modi.aliases = ["Jaishankar"]
    modi.save()
    manual = seeded["000"]
    manual.manual_fields = [*manual.manual_fields, "ministers"]
    manual.save()
    changes = list(retag_changes(taxonomy=Taxonomy.load()))
    assert {c.article_id for c in changes} == {seeded[k].pk for k in ("001", "002", "003")}
    assert not manual.ministers.filter(slug="narendra-modi").exists()
    assert modi.articles.count() == 1
