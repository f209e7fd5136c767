"""Drafts -> article rows, a batch at a time: bulk statements, no model signals.

Fields an editor set by hand are never overwritten. Signals are not sent by bulk writes, so
each batch queues its articles' index refresh itself (``index_sync.enqueue``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from search.ingest.drafting import ArticleDraft, DraftInput
from search.ingest.sources import SourceDocument
from search.ingest.taxonomy import Taxonomy
from search.models import Article
from search.models.bulk_rows import insert_values, update_rows
from search.operations import index_sync

TAG_FIELDS = ("ministers", "topics")


def stored_input(article: Article) -> DraftInput:
    """What a stored article is drafted from again: its raw input and its editor's decisions."""
    given = article.source_metadata or {}
    published = given.get("published")
    return DraftInput(
        raw=article.raw,
        raw_format=article.raw_format,
        given_title=given.get("title", ""),
        given_published=datetime.date.fromisoformat(published) if published else None,
        **editor_decisions(article),
    )


def editor_decisions(article: Article) -> dict:
    """The ``DraftInput`` fields an article's editor decided: lines kept or dropped, and the
    title and body set by hand."""
    overrides = article.cleaning_overrides or {}
    manual = set(article.manual_fields or [])
    return {
        "keep_lines": tuple(overrides.get("keep", ())),
        "drop_lines": tuple(overrides.get("drop", ())),
        "hand_title": article.title if "title" in manual else None,
        "hand_body": article.body if "body" in manual else None,
    }


def apply_draft(article: Article, draft: ArticleDraft) -> None:
    """Put a draft on an article; fields an editor set by hand are kept."""
    manual = set(article.manual_fields or [])
    article.removed = draft.removed_records()
    if "title" not in manual:
        article.title = draft.title
    if "body" not in manual:
        article.body = draft.body
    if "published" not in manual:
        article.published = draft.published
    # bulk writes skip Article.save(), which keeps the year in step with the date
    article.year = article.published.year if article.published else None


@dataclass(frozen=True)
class ImportWrite:
    """A drafted document and what it is written over (``existing``, or a new article)."""

    document: SourceDocument
    source_key: str
    digest: str  # of the document's content (``ingest.content_hash``)
    existing: Article | None
    lines: dict[str, str]  # its evidence lines, hash -> text
    draft: ArticleDraft


def write_imports(writes: Sequence[ImportWrite], *, taxonomy: Taxonomy) -> list[Article]:
    """Create and update the batch's articles in bulk; returns them in ``writes``' order."""
    now = timezone.now()
    articles, new, old = [], [], []
    for write in writes:
        document = write.document
        article = write.existing or Article(manual_fields=[], cleaning_overrides={})
        article.raw, article.raw_format = document.raw, document.raw_format
        article.source_path, article.source_url = document.source_path, document.source_url
        article.source_key, article.content_hash = write.source_key, write.digest
        article.original_sha256 = document.original_sha256
        article.line_hashes = list(write.lines)
        article.source_metadata = {
            key: value
            for key, value in (
                ("title", document.title),
                ("published", document.published.isoformat() if document.published else ""),
            )
            if value
        }
        apply_draft(article, write.draft)
        article.updated = now
        articles.append(article)
        (old if write.existing else new).append(article)
    Article.objects.bulk_create(new)
    update_rows(Article, old, IMPORT_WRITTEN_FIELDS)
    write_tags(
        [
            (article, taxonomy.tag_ids(write.draft))
            for article, write in zip(articles, writes, strict=True)
        ],
        new_ids={article.pk for article in new},
    )
    queue_index_refresh(article.pk for article in articles)
    return articles


IMPORT_WRITTEN_FIELDS = (
    "raw",
    "raw_format",
    "source_path",
    "source_url",
    "source_key",
    "content_hash",
    "original_sha256",
    "line_hashes",
    "source_metadata",
    "removed",
    "title",
    "body",
    "published",
    "year",
    "updated",
)
RECLEAN_WRITTEN_FIELDS = ("removed", "title", "body", "published", "year", "updated")


def write_tags(tagged: list[tuple[Article, dict[str, set[int]]]], *, new_ids: set[int]) -> None:
    """Set each article's ministers and topics (unless set by hand) in a few statements.

    The m2m signals are not sent: they would bump ``updated`` and queue an index refresh,
    which the batch queues once for each article itself.
    """
    for field_name in TAG_FIELDS:
        relation = getattr(Article, field_name)
        through, target = relation.through, f"{relation.field.m2m_reverse_field_name()}_id"
        wanted = {
            article.pk: ids[field_name]
            for article, ids in tagged
            if field_name not in (article.manual_fields or [])
        }
        current: dict[int, set[int]] = {pk: set() for pk in wanted}
        old_ids = [pk for pk in wanted if pk not in new_ids]
        for article_id, tag_id in through.objects.filter(article_id__in=old_ids).values_list(
            "article_id", target
        ):
            current[article_id].add(tag_id)
        for article_id, tag_ids in wanted.items():
            if gone := current[article_id] - tag_ids:
                through.objects.filter(article_id=article_id, **{f"{target}__in": gone}).delete()
        added = [
            (article_id, tag_id)
            for article_id, tag_ids in wanted.items()
            for tag_id in sorted(tag_ids - current[article_id])
        ]
        insert_values(through, ["article_id", target], added)  # ids as they are: no instances


def queue_index_refresh(article_ids: Iterable[int]) -> None:
    index_sync.enqueue(list(article_ids))
