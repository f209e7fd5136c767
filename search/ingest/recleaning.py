"""Cleaning stored articles again: when new evidence makes their lines boilerplate (a batch),
or when an editor asks (one article, saved through the model so its signals run)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.utils import timezone

from search.conf import get_setting
from search.ingest import drafting, evidence
from search.ingest.cleaning import RemovedBlock
from search.ingest.draft_writes import (
    RECLEAN_WRITTEN_FIELDS,
    apply_draft,
    queue_index_refresh,
    stored_input,
    write_tags,
)
from search.ingest.drafting import ArticleDraft
from search.ingest.parallel import Drafter, DraftFailed
from search.ingest.taxonomy import Taxonomy
from search.models import Article
from search.models.bulk_rows import update_rows
from search.stories import clusters

logger = logging.getLogger(__name__)
BATCH_SIZE = 200


def source_lines_of(
    articles: Sequence[Article], *, drafter: Drafter
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each stored article's lines that the archive has seen in enough articles of its source
    (repeated), and those in most of them (site-wide)."""
    lines = drafter.evidence_lines([(article.raw, article.raw_format) for article in articles])
    plan = evidence.EvidencePlan(
        [
            evidence.EvidenceChange(
                article.source_key, tuple(found), article.source_key, tuple(found)
            )
            for article, found in zip(articles, lines, strict=True)
        ]
    )
    return [
        (
            plan.repeated_lines(article.source_key, found),
            plan.sitewide_lines(article.source_key, found),
        )
        for article, found in zip(articles, lines, strict=True)
    ]


def reclean_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Clean the article again from its raw input and re-extract (manual fields kept).

    Saves the whole instance: an editor's decision set on it (``cleaning_overrides``,
    ``manual_fields``) is saved with the result.
    """
    [(repeated, sitewide)] = source_lines_of(
        [article], drafter=Drafter(rules=taxonomy.rules, processes=1)
    )
    draft = drafting.draft_article(
        source=stored_input(article),
        repeated_lines=repeated,
        sitewide_lines=sitewide,
        rules=taxonomy.rules,
    )
    save_draft(article, draft, taxonomy=taxonomy)


def reextract_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Re-extract metadata from the current clean body (manual fields kept)."""
    draft = drafting.draft_from_clean_text(
        source=stored_input(article),
        text=f"{article.title}\n\n{article.body}",
        removed=[RemovedBlock(**block) for block in article.removed or []],
        rules=taxonomy.rules,
    )
    save_draft(article, draft, taxonomy=taxonomy)


def save_draft(article: Article, draft: ArticleDraft, *, taxonomy: Taxonomy) -> None:
    """One article's draft, saved through the model (its signals queue the index refresh)."""
    with transaction.atomic():
        apply_draft(article, draft)
        article.save()
        manual = set(article.manual_fields or [])
        for field_name, wanted in taxonomy.tag_ids(draft).items():
            if field_name not in manual:
                set_if_changed(getattr(article, field_name), wanted)


def set_if_changed(related_manager, wanted_ids: set[int]) -> None:
    current = set(related_manager.values_list("pk", flat=True))
    if current != wanted_ids:
        related_manager.set(wanted_ids)


def reclean_articles(*, article_ids: Iterable[int], taxonomy: Taxonomy, drafter: Drafter) -> None:
    """New evidence made some lines boilerplate: clean these earlier articles again, in batches."""
    ids = sorted(article_ids)
    for start in range(0, len(ids), BATCH_SIZE):
        articles = list(Article.objects.filter(pk__in=ids[start : start + BATCH_SIZE]))
        found = source_lines_of(articles, drafter=drafter)
        jobs = [(stored_input(a), *lines) for a, lines in zip(articles, found, strict=True)]
        stories = get_setting("NEAR_DUPLICATES")
        drafts = drafter.signed_drafts(jobs) if stories else drafter.drafts(jobs)
        with transaction.atomic():
            kept, new_signatures = [], {}
            for article, draft in zip(articles, drafts, strict=True):
                if isinstance(draft, DraftFailed):
                    logger.error("Re-cleaning article %s failed: %s", article.pk, draft)
                    continue
                if stories:
                    draft, signature = draft
                old_body = article.body
                apply_draft(article, draft)
                if stories and article.body != old_body:
                    new_signatures[article.pk] = signature
                article.updated = timezone.now()
                kept.append((article, taxonomy.tag_ids(draft)))
            update_rows(Article, [a for a, _ids in kept], RECLEAN_WRITTEN_FIELDS)
            write_tags(kept, new_ids=set())
            queue_index_refresh(article.pk for article, _ids in kept)
            if stories:
                # the signatures follow the bodies: an unchanged body keeps its signature
                clusters.place_signed(signatures=new_signatures)
