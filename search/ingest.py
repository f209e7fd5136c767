"""The one way articles get in: source documents -> cleaned, tagged ``Article`` rows, in batches.

Each document is drafted by a pure function (``search.drafting``); a batch of drafts is written
in one transaction with bulk statements. When a batch's write fails, its articles are written
again one transaction each, so one bad article fails alone and is reported while the rest
imports. Index entries follow through the pending-change queue (see ``search.index_sync``).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from search import drafting, evidence, index_sync
from search.bulk_rows import insert_rows, update_rows
from search.conf import get_setting
from search.drafting import ArticleDraft, DraftInput, TagRules
from search.models import Article, Minister, Topic
from search.parallel import Drafter, DraftFailed
from search.sites import SiteResolver
from search.sources import SourceDocument, SourceProblem, find_input_files, read_documents

logger = logging.getLogger(__name__)

# Articles per transaction: large enough that statements and commits stop mattering, small
# enough that a batch's drafts stay a few MB.
BATCH_SIZE = 200
TAG_FIELDS = ("ministers", "topics")
# What an import reads of an article it may update (its raw input is replaced, not read).
EXISTING_COLUMNS = (
    "id",
    "title",
    "body",
    "published",
    "source_path",
    "source_url",
    "source_key",
    "content_hash",
    "line_hashes",
    "manual_fields",
    "cleaning_overrides",
)


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

    ministers: tuple
    topics: tuple
    minister_ids: dict[str, int]
    topic_ids: dict[str, int]

    @classmethod
    def load(cls) -> Taxonomy:
        ministers = list(Minister.objects.all())
        topics = list(Topic.objects.all())
        rules = TagRules(
            ministers=tuple(
                drafting.extraction.MinisterSpec(m.slug, tuple(m.all_names())) for m in ministers
            ),
            topics=tuple(drafting.extraction.TopicSpec(t.slug, tuple(t.keywords)) for t in topics),
        )
        return cls(
            ministers=rules.ministers,
            topics=rules.topics,
            minister_ids={m.slug: m.pk for m in ministers},
            topic_ids={t.slug: t.pk for t in topics},
        )

    @property
    def rules(self) -> TagRules:
        return TagRules(ministers=self.ministers, topics=self.topics)

    def tag_ids(self, draft: ArticleDraft) -> dict[str, set[int]]:
        return {
            "ministers": {self.minister_ids[slug] for slug in draft.minister_slugs},
            "topics": {self.topic_ids[slug] for slug in draft.topic_slugs},
        }


def display_path(path: Path) -> str:
    """Paths inside the project are stored relative to it, so they survive a move."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(settings.BASE_DIR).as_posix()
    except ValueError:
        return resolved.as_posix()


def content_hash(document: SourceDocument) -> str:
    parts = [
        document.raw,
        document.title,
        document.published.isoformat() if document.published else "",
        document.source_url,
    ]
    if document.site:  # only when given, so articles imported before sites existed match
        parts.append(document.site)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


# --- importing ----------------------------------------------------------------------------------


def import_paths(
    paths: Iterable[Path],
    *,
    taxonomy: Taxonomy | None = None,
    on_document: Callable[[str], None] | None = None,
    processes: int | None = None,
) -> ImportReport:
    """Import every supported file under ``paths``; bad files and records are reported and
    skipped, the rest imports."""
    max_bytes = get_setting("MAX_IMPORT_BYTES")
    report = ImportReport()
    sites = SiteResolver(max_bytes=max_bytes)
    taxonomy = taxonomy or Taxonomy.load()
    with Drafter(rules=taxonomy.rules, processes=processes) as drafter:
        batch = ImportBatch(
            taxonomy=taxonomy,
            report=report,
            on_document=on_document or (lambda name: None),
            drafter=drafter,
        )
        for found in find_input_files(paths):
            if isinstance(found, SourceProblem):
                report.failed.append(found)
                continue
            for item in read_documents(
                found, display_path=display_path(found), max_bytes=max_bytes
            ):
                if isinstance(item, SourceProblem):
                    report.failed.append(item)
                    batch.on_document(item.name)
                else:
                    batch.add(item, source_key=sites.source_key(item, file=found))
        batch.flush()
    return report


@dataclass(frozen=True)
class Incoming:
    document: SourceDocument
    source_key: str
    digest: str


class ImportBatch:
    """Documents gathered until a batch is full, then drafted and written together."""

    def __init__(self, *, taxonomy: Taxonomy, report: ImportReport, on_document, drafter) -> None:
        self.taxonomy, self.report = taxonomy, report
        self.on_document, self.drafter = on_document, drafter
        self.items: list[Incoming] = []
        self.identities: set[tuple[str, str]] = set()

    def add(self, document: SourceDocument, *, source_key: str) -> None:
        item = Incoming(document, source_key, content_hash(document))
        identities = identities_of(item)
        if identities & self.identities:
            self.flush()  # the same article twice in a batch: the second must see the first
        self.items.append(item)
        self.identities |= identities
        if len(self.items) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        items, self.items, self.identities = self.items, [], set()
        if not items:
            return
        try:
            with transaction.atomic():
                outcomes, carriers = import_batch(
                    items, taxonomy=self.taxonomy, drafter=self.drafter
                )
        except Exception:
            logger.exception(
                "Writing a batch of %d articles failed; writing them one by one", len(items)
            )
            outcomes, carriers = self.import_one_by_one(items)
        for item, outcome in zip(items, outcomes, strict=True):
            if isinstance(outcome, SourceProblem):
                self.report.failed.append(outcome)
            else:
                self.report.count(outcome)
            self.on_document(item.document.name)
        if carriers:
            reclean_articles(article_ids=carriers, taxonomy=self.taxonomy, drafter=self.drafter)

    def import_one_by_one(self, items: list[Incoming]) -> tuple[list, set[int]]:
        outcomes, carriers = [], set()
        for item in items:
            try:
                with transaction.atomic():
                    [outcome], found = import_batch(
                        [item], taxonomy=self.taxonomy, drafter=self.drafter
                    )
            except Exception as error:  # one bad article must not stop the import
                logger.exception("Import of %s failed", item.document.name)
                outcome, found = SourceProblem(item.document.name, f"import failed: {error}"), set()
            outcomes.append(outcome)
            carriers |= found
        return outcomes, carriers


def identities_of(item: Incoming) -> set[tuple[str, str]]:
    if item.document.source_url:
        return {("url", item.document.source_url)}
    return {("path", item.document.source_path), ("content", item.digest)}


def import_batch(
    items: Sequence[Incoming], *, taxonomy: Taxonomy, drafter: Drafter
) -> tuple[list[str | SourceProblem], set[int]]:
    """Draft and write a batch; returns each item's outcome ("imported", "updated",
    "unchanged" or the problem) and the earlier articles the batch's evidence made stale."""
    existing = find_existing(items)
    outcomes: list[str | SourceProblem] = []
    work: list[tuple[Incoming, Article | None, dict[str, str]]] = []
    for item, article in zip(items, existing, strict=True):
        if article and is_unchanged(article, item):
            outcomes.append("unchanged")
        else:
            outcomes.append("imported" if article is None else "updated")
            work.append((item, article, {}))
    if not work:
        return outcomes, set()
    lines = drafter.evidence_lines([(i.document.raw, i.document.raw_format) for i, _a, _l in work])
    work = [(item, article, found) for (item, article, _), found in zip(work, lines, strict=True)]
    changes = [evidence_change(article, item.source_key, found) for item, article, found in work]
    plan = evidence.EvidencePlan(changes)
    jobs = [
        (draft_input(item.document, article), repeated_texts(plan, item.source_key, found))
        for item, article, found in work
    ]
    drafts = drafter.drafts(jobs)
    problems = {}
    for index, ((item, _article, _found), draft) in enumerate(zip(work, drafts, strict=True)):
        if isinstance(draft, DraftFailed):
            problems[id(item)] = SourceProblem(item.document.name, f"import failed: {draft}")
            changes[index] = None
    written = [
        (item, article, found, draft, change)
        for (item, article, found), draft, change in zip(work, drafts, changes, strict=True)
        if change is not None
    ]
    carriers = plan.earlier_carriers_of_new_boilerplate()
    articles = write_imports(written, taxonomy=taxonomy)
    evidence.save_changes(
        [(article.pk, change) for article, (*_, change) in zip(articles, written, strict=True)],
        plan=plan,
    )
    outcomes = [
        problems.get(id(item), outcome) for item, outcome in zip(items, outcomes, strict=True)
    ]
    return outcomes, carriers - {article.pk for article in articles}


def is_unchanged(article: Article, item: Incoming) -> bool:
    """Same content, and the same source unless the match is a copy found by its content
    (a copy elsewhere must not move the article to its folder's source)."""
    if article.content_hash != item.digest:
        return False
    its_own_file = item.document.source_url or article.source_path == item.document.source_path
    return article.source_key == item.source_key or not its_own_file


def find_existing(items: Sequence[Incoming]) -> list[Article | None]:
    """The article each document updates: same URL, else same path, else same content.

    Matching identical content catches the same file arriving under another path (uploaded
    twice, copied to another folder): it is reported unchanged instead of duplicated. Each
    lookup filters on its selective column alone: with ``source_url=""`` in the same WHERE,
    SQLite (which keeps no statistics unless ANALYZE runs) took the source_url index and read
    every article imported from a file.
    """
    articles = Article.objects.only(*EXISTING_COLUMNS).order_by("pk")
    urls = [item.document.source_url for item in items if item.document.source_url]
    by_url = {a.source_url: a for a in reversed(articles.filter(source_url__in=urls))}
    rest = [item for item in items if not item.document.source_url]
    by_path, by_content = {}, {}
    if rest:
        paths = [item.document.source_path for item in rest]
        for article in reversed(articles.filter(source_path__in=paths)):
            if not article.source_url:
                by_path[article.source_path] = article
        digests = [item.digest for item in rest]
        for article in reversed(articles.filter(content_hash__in=digests)):
            if not article.source_url:
                by_content[article.content_hash] = article
    return [
        by_url.get(item.document.source_url)
        if item.document.source_url
        else by_path.get(item.document.source_path) or by_content.get(item.digest)
        for item in items
    ]


def evidence_change(
    article: Article | None, source_key: str, lines: dict[str, str]
) -> evidence.EvidenceChange:
    old_source, old_hashes = (
        ("", ()) if article is None else (article.source_key, article.line_hashes)
    )
    return evidence.EvidenceChange(old_source, tuple(old_hashes or ()), source_key, tuple(lines))


def repeated_texts(
    plan: evidence.EvidencePlan, source_key: str, lines: dict[str, str]
) -> tuple[str, ...]:
    return tuple(lines[digest] for digest in plan.repeated_hashes(source_key, lines))


def draft_input(document: SourceDocument, article: Article | None) -> DraftInput:
    """What a document is drafted from; an article it updates adds its editor's decisions."""
    overrides = (article.cleaning_overrides if article else None) or {}
    manual = set(article.manual_fields or []) if article else set()
    return DraftInput(
        raw=document.raw,
        raw_format=document.raw_format,
        given_title=document.title,
        given_published=document.published,
        keep_lines=tuple(overrides.get("keep", ())),
        drop_lines=tuple(overrides.get("drop", ())),
        hand_title=article.title if "title" in manual else None,
        hand_body=article.body if "body" in manual else None,
    )


def stored_input(article: Article) -> DraftInput:
    """What a stored article is drafted from again: its raw input and its editor's decisions."""
    given = article.source_metadata or {}
    published = given.get("published")
    overrides = article.cleaning_overrides or {}
    manual = set(article.manual_fields or [])
    return DraftInput(
        raw=article.raw,
        raw_format=article.raw_format,
        given_title=given.get("title", ""),
        given_published=datetime.date.fromisoformat(published) if published else None,
        keep_lines=tuple(overrides.get("keep", ())),
        drop_lines=tuple(overrides.get("drop", ())),
        hand_title=article.title if "title" in manual else None,
        hand_body=article.body if "body" in manual else None,
    )


# --- writing ------------------------------------------------------------------------------------


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


def write_imports(written: list, *, taxonomy: Taxonomy) -> list[Article]:
    """Create and update the batch's articles in bulk; returns them in ``written``'s order."""
    now = timezone.now()
    articles, new, old = [], [], []
    for item, existing, lines, draft, _change in written:
        document = item.document
        article = existing or Article(manual_fields=[], cleaning_overrides={})
        article.raw, article.raw_format = document.raw, document.raw_format
        article.source_path, article.source_url = document.source_path, document.source_url
        article.source_key, article.content_hash = item.source_key, item.digest
        article.line_hashes = list(lines)
        article.source_metadata = {
            key: value
            for key, value in (
                ("title", document.title),
                ("published", document.published.isoformat() if document.published else ""),
            )
            if value
        }
        apply_draft(article, draft)
        article.updated = now
        articles.append(article)
        (old if existing else new).append(article)
    Article.objects.bulk_create(new)
    update_rows(Article, old, IMPORT_WRITTEN_FIELDS)
    write_tags(
        [
            (article, taxonomy.tag_ids(entry[3]))
            for article, entry in zip(articles, written, strict=True)
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
            through(article_id=article_id, **{target: tag_id})
            for article_id, tag_ids in wanted.items()
            for tag_id in sorted(tag_ids - current[article_id])
        ]
        insert_rows(through, added, ["article_id", target])


def queue_index_refresh(article_ids: Iterable[int]) -> None:
    index_sync.enqueue(list(article_ids))


# --- cleaning again -----------------------------------------------------------------------------


def repeated_lines_of(articles: Sequence[Article], *, drafter: Drafter) -> list[tuple[str, ...]]:
    """Each stored article's lines that the archive has seen in enough articles of its source."""
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
        repeated_texts(plan, article.source_key, found)
        for article, found in zip(articles, lines, strict=True)
    ]


def reclean_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Clean the article again from its raw input and re-extract (manual fields kept).

    Saves the whole instance: an editor's decision set on it (``cleaning_overrides``,
    ``manual_fields``) is saved with the result.
    """
    [repeated] = repeated_lines_of([article], drafter=Drafter(rules=taxonomy.rules, processes=1))
    draft = drafting.draft_article(
        source=stored_input(article), repeated_lines=repeated, rules=taxonomy.rules
    )
    save_draft(article, draft, taxonomy=taxonomy)


def reextract_article(article: Article, *, taxonomy: Taxonomy) -> None:
    """Re-extract metadata from the current clean body (manual fields kept)."""
    draft = drafting.draft_from_clean_text(
        source=stored_input(article),
        text=f"{article.title}\n\n{article.body}",
        removed=[drafting.cleaning.RemovedBlock(**block) for block in article.removed or []],
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
        repeated = repeated_lines_of(articles, drafter=drafter)
        jobs = [(stored_input(a), lines) for a, lines in zip(articles, repeated, strict=True)]
        drafts = drafter.drafts(jobs)
        with transaction.atomic():
            kept = []
            for article, draft in zip(articles, drafts, strict=True):
                if isinstance(draft, DraftFailed):
                    logger.error("Re-cleaning article %s failed: %s", article.pk, draft)
                    continue
                apply_draft(article, draft)
                article.updated = timezone.now()
                kept.append((article, taxonomy.tag_ids(draft)))
            update_rows(Article, [a for a, _ids in kept], RECLEAN_WRITTEN_FIELDS)
            write_tags(kept, new_ids=set())
            queue_index_refresh(article.pk for article, _ids in kept)
