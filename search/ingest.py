"""The one way articles get in: a source document -> a cleaned, tagged ``Article``.

Each article is written in its own transaction, so a crash halfway through an import loses
nothing already imported; its index entry follows through the pending-change queue (see
``search.index_sync``).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Count

from search import cleaning, extraction
from search.conf import get_setting
from search.models import Article, Minister, SourceLine, Topic
from search.sources import SourceDocument, SourceProblem, find_input_files, read_documents

logger = logging.getLogger(__name__)

# Lines longer than this are article paragraphs, not templates: not kept as evidence.
EVIDENCE_MAX_LINE_LENGTH = 120


@dataclass
class ImportReport:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[SourceProblem] = field(default_factory=list)

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self) -> str:
        return (
            f"{self.imported} imported, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.failed)} failed"
        )


@dataclass(frozen=True)
class Taxonomy:
    """The gazetteer and topic rules as the extractor wants them, plus slug -> id maps."""

    ministers: tuple[extraction.MinisterSpec, ...]
    topics: tuple[extraction.TopicSpec, ...]
    minister_ids: dict[str, int]
    topic_ids: dict[str, int]

    @classmethod
    def load(cls) -> Taxonomy:
        ministers = list(Minister.objects.all())
        topics = list(Topic.objects.all())
        return cls(
            ministers=tuple(
                extraction.MinisterSpec(m.slug, tuple(m.all_names())) for m in ministers
            ),
            topics=tuple(extraction.TopicSpec(t.slug, tuple(t.keywords)) for t in topics),
            minister_ids={m.slug: m.pk for m in ministers},
            topic_ids={t.slug: t.pk for t in topics},
        )


def display_path(path: Path) -> str:
    """Paths inside the project are stored relative to it, so they survive a move."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(settings.BASE_DIR).as_posix()
    except ValueError:
        return resolved.as_posix()


def source_key_for(document: SourceDocument) -> str:
    if document.source_url:
        host = urlsplit(document.source_url).netloc.lower()
        return host.removeprefix("www.")
    return str(Path(document.source_path.split(":")[0]).parent)


def content_hash(document: SourceDocument) -> str:
    parts = [
        document.raw,
        document.title,
        document.published.isoformat() if document.published else "",
        document.source_url,
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def line_hash(line: str) -> str:
    return hashlib.sha1(line.encode()).hexdigest()


def import_paths(
    paths: Iterable[Path],
    *,
    taxonomy: Taxonomy | None = None,
    on_document: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import every supported file under ``paths``; bad files are reported and skipped."""
    taxonomy = taxonomy or Taxonomy.load()
    max_bytes = get_setting("MAX_IMPORT_BYTES")
    report = ImportReport()
    for found in find_input_files(paths):
        if isinstance(found, SourceProblem):
            report.failed.append(found)
            continue
        for item in read_documents(found, display_path=display_path(found), max_bytes=max_bytes):
            if isinstance(item, SourceProblem):
                report.failed.append(item)
            else:
                try:
                    report.count(ingest_document(item, taxonomy=taxonomy))
                except Exception as error:  # one bad article must not stop the import
                    logger.exception("Import of %s failed", item.name)
                    report.failed.append(SourceProblem(item.name, f"import failed: {error}"))
            if on_document:
                on_document(item.name)
    return report


def find_existing(document: SourceDocument, digest: str) -> Article | None:
    """The article this document updates: same URL, else same path, else same content.

    Matching identical content catches the same file arriving under another path (uploaded
    twice, copied to another folder): it is reported unchanged instead of duplicated.
    """
    if document.source_url:
        return Article.objects.filter(source_url=document.source_url).first()
    # Each lookup filters on its selective column alone. With ``source_url=""`` in the same
    # WHERE, SQLite (which keeps no statistics unless ANALYZE runs) took the source_url
    # index and read every article imported from a file: 54 ms a lookup at 100,000.
    for column, value in (("source_path", document.source_path), ("content_hash", digest)):
        for candidate in Article.objects.filter(**{column: value}).order_by("pk"):
            if not candidate.source_url:
                return candidate
    return None


def ingest_document(document: SourceDocument, *, taxonomy: Taxonomy) -> str:
    """Create or update the article for ``document``: "imported", "updated" or "unchanged"."""
    digest = content_hash(document)
    newly_repeated: set[str] = set()
    with transaction.atomic():
        article = find_existing(document, digest)
        if article is not None and article.content_hash == digest:
            return "unchanged"
        outcome = "imported" if article is None else "updated"
        article = article or Article()
        article.raw, article.raw_format = document.raw, document.raw_format
        article.source_path, article.source_url = document.source_path, document.source_url
        article.source_key = source_key_for(document)
        article.content_hash = digest
        lines = evidence_lines(article)
        repeated, newly_repeated = repeated_lines(article, lines)
        apply_cleaning(article, repeated_lines=repeated)
        article.source_metadata = {
            key: value
            for key, value in (
                ("title", document.title),
                ("published", document.published.isoformat() if document.published else ""),
            )
            if value
        }
        apply_extraction(article, taxonomy=taxonomy)
        record_evidence(article, lines, replace=outcome == "updated")
    if newly_repeated:
        reclean_source_articles(article, newly_repeated, taxonomy=taxonomy)
    return outcome


def evidence_lines(article: Article) -> dict[str, str]:
    """hash -> text of the article's short input lines: the evidence for site-wide repeats."""
    lines = cleaning.text_lines(article.raw, article.raw_format)
    return {line_hash(line): line for line in lines if len(line) <= EVIDENCE_MAX_LINE_LENGTH}


def repeated_lines(article: Article, lines: dict[str, str]) -> tuple[set[str], set[str]]:
    """(lines of this article repeated across its source, those that this article made so)."""
    threshold = get_setting("REPEATED_LINE_MIN_ARTICLES")
    others = SourceLine.objects.filter(source_key=article.source_key, line_hash__in=list(lines))
    if article.pk:
        others = others.exclude(article_id=article.pk)
    counts = dict(
        others.values_list("line_hash").annotate(articles=Count("article_id", distinct=True))
    )
    already_counted = set()
    if article.pk:
        already_counted = set(
            SourceLine.objects.filter(article_id=article.pk).values_list("line_hash", flat=True)
        )
    repeated, newly = set(), set()
    for digest, other_articles in counts.items():
        if other_articles + 1 >= threshold:
            repeated.add(lines[digest])
            if other_articles + 1 == threshold and digest not in already_counted:
                newly.add(digest)
    return repeated, newly


def record_evidence(article: Article, lines: dict[str, str], *, replace: bool = True) -> None:
    if replace:  # a new article has no evidence rows yet: no DELETE to run
        SourceLine.objects.filter(article=article).delete()
    SourceLine.objects.bulk_create(
        SourceLine(source_key=article.source_key, line_hash=digest, text=text, article=article)
        for digest, text in lines.items()
    )


def source_repeated_lines(article: Article) -> set[str]:
    """The article's lines that the archive has seen in enough articles of its source."""
    threshold = get_setting("REPEATED_LINE_MIN_ARTICLES")
    mine = SourceLine.objects.filter(article=article).values("line_hash")
    return set(
        SourceLine.objects.filter(source_key=article.source_key, line_hash__in=mine)
        .values("line_hash", "text")
        .annotate(articles=Count("article_id", distinct=True))
        .filter(articles__gte=threshold)
        .values_list("text", flat=True)
    )


def apply_cleaning(article: Article, *, repeated_lines: set[str]) -> None:
    clean = cleaning.clean_html if article.raw_format == "html" else cleaning.clean_text
    overrides = article.cleaning_overrides or {}
    result = clean(
        article.raw,
        repeated_lines=repeated_lines,
        keep_lines=overrides.get("keep", ()),
        drop_lines=overrides.get("drop", ()),
    )
    article.removed = [{"text": block.text, "reason": block.reason} for block in result.removed]
    article._cleaned_body = result.body  # the body before the title is split off


def apply_extraction(article: Article, *, taxonomy: Taxonomy) -> None:
    """Title, body, date, ministers and topics from the cleaned text; manual fields are kept.

    Saves the article (tags need its primary key).
    """
    manual = set(article.manual_fields or [])
    given = article.source_metadata or {}
    given_title = given.get("title", "")
    given_date = datetime.date.fromisoformat(given["published"]) if given.get("published") else None
    cleaned_body = getattr(article, "_cleaned_body", None) or article.body
    title, body = extraction.split_title(cleaned_body)
    if article.raw_format == "html":
        title = extraction.html_title(article.raw) or title
    title = given_title or title
    if title and body.split("\n\n", 1)[0].strip() == title:
        body = body.split("\n\n", 1)[1] if "\n\n" in body else ""
    if "title" not in manual:
        article.title = title[:500] or "(untitled)"
    if "body" not in manual:
        article.body = body
    if "published" not in manual:
        html_date = extraction.html_published(article.raw) if article.raw_format == "html" else None
        article.published = given_date or html_date or extraction.find_published(article.body)
    created = article.pk is None
    article.save()
    tagged_text = f"{article.title}\n\n{article.body}"
    if "ministers" not in manual:
        slugs = extraction.find_ministers(tagged_text, taxonomy.ministers)
        apply_tags(article, "ministers", {taxonomy.minister_ids[s] for s in slugs}, created)
    if "topics" not in manual:
        slugs = extraction.find_topics(tagged_text, taxonomy.topics)
        apply_tags(article, "topics", {taxonomy.topic_ids[s] for s in slugs}, created)


def apply_tags(article: Article, field_name: str, wanted_ids: set[int], created: bool) -> None:
    if created:
        tag_new_article(article, field_name, wanted_ids)
    else:
        set_if_changed(getattr(article, field_name), wanted_ids)


def set_if_changed(related_manager, wanted_ids: set[int]) -> None:
    current = set(related_manager.values_list("pk", flat=True))
    if current != wanted_ids:
        related_manager.set(wanted_ids)


def tag_new_article(article: Article, field_name: str, wanted_ids: set[int]) -> None:
    """Tags of an article created in this transaction: one INSERT, no m2m signals.

    The signals would bump ``updated`` and queue an index refresh, which the article's own
    post_save has already queued in this transaction; skipping them (and the read of its
    empty tag set) saves a SELECT, an UPDATE and a queue INSERT per tagged field.
    """
    if not wanted_ids:
        return
    through = getattr(Article, field_name).through
    target = getattr(Article, field_name).field.m2m_reverse_field_name()
    through.objects.bulk_create(
        through(article_id=article.pk, **{f"{target}_id": pk}) for pk in sorted(wanted_ids)
    )


def reclean_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Clean the article again from its raw input and re-extract (manual fields kept)."""
    with transaction.atomic():
        apply_cleaning(article, repeated_lines=source_repeated_lines(article))
        apply_extraction(article, taxonomy=taxonomy)


def reextract_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Re-extract metadata from the current clean body (manual fields kept)."""
    with transaction.atomic():
        article._cleaned_body = f"{article.title}\n\n{article.body}"
        apply_extraction(article, taxonomy=taxonomy)


def reclean_source_articles(article: Article, line_hashes: set[str], *, taxonomy: Taxonomy) -> None:
    """New evidence: re-clean the earlier articles of the source that carry these lines."""
    affected = (
        Article.objects.filter(
            source_lines__source_key=article.source_key, source_lines__line_hash__in=line_hashes
        )
        .exclude(pk=article.pk)
        .distinct()
    )
    for other in affected:
        reclean_article(other, taxonomy=taxonomy)
