"""The one way articles get in: source documents -> cleaned, tagged ``Article`` rows, in batches.

Each document is drafted by a pure function (``search.ingest.drafting``); a batch of drafts is
written in one transaction with bulk statements. When a batch's write fails, its articles are
written again one transaction each, so one bad article fails alone and is reported while the
rest imports. Index entries follow through the pending-change queue (see
``search.operations.index_sync``).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from search import engine
from search.conf import get_setting
from search.ingest import draft_writes, evidence, originals, recleaning
from search.ingest.drafting import DraftInput
from search.ingest.parallel import Drafter, DraftFailed
from search.ingest.pdf import PdfLimits
from search.ingest.sites import SiteResolver
from search.ingest.sources import (
    SourceDocument,
    SourceProblem,
    UnreadableFile,
    find_input_files,
    read_documents,
)
from search.ingest.taxonomy import Taxonomy
from search.models import Article
from search.stories import clusters

logger = logging.getLogger(__name__)

# Articles per transaction: large enough that statements and commits stop mattering, small
# enough that a batch's drafts stay a few MB. A commit writes every page the batch changed,
# and the near-duplicate keys (~80 an article) change pages all over their index: at 100,000
# articles 1,000 a batch imported 372/s where 200 made 284/s (docs/import.md).
BATCH_SIZE = 1000
# SQLite's page cache during an import, in KiB (the default is 2,000).
IMPORT_CACHE_KIB = 64 * 1024
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
    if document.raw_format == "body":  # imported as "txt" before bodies were trusted: re-clean
        parts.append(document.raw_format)
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
    pdf_limits = PdfLimits(
        max_pages=get_setting("PDF_MAX_PAGES"), seconds=get_setting("PDF_TIMEOUT_SECONDS")
    )
    report = ImportReport()
    sites = SiteResolver(max_bytes=max_bytes)
    taxonomy = taxonomy or Taxonomy.load()
    with larger_sqlite_cache(), Drafter(rules=taxonomy.rules, processes=processes) as drafter:
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
                found, display_path=display_path(found), max_bytes=max_bytes, pdf_limits=pdf_limits
            ):
                if isinstance(item, SourceDocument) and item.original_sha256:
                    item = with_original_kept(item, found, max_bytes=max_bytes)
                if isinstance(item, SourceProblem):
                    report.failed.append(item)
                    batch.on_document(item.name)
                else:
                    batch.add(item, source_key=sites.source_key(item, file=found))
        batch.flush()
    return report


@contextmanager
def larger_sqlite_cache() -> Iterator[None]:
    """SQLite's page cache at IMPORT_CACHE_KIB while importing, then as it was. Each article
    adds some eighty near-duplicate keys at random places in one index: with SQLite's default
    2 MB, most of those inserts read again pages evicted a moment before (a third of their CPU
    at 10,000 articles)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def with_original_kept(
    document: SourceDocument, file: Path, *, max_bytes: int
) -> SourceDocument | SourceProblem:
    """The document, once its original file is kept for its article page; else why not."""
    try:
        originals.keep_original_file(file, sha256=document.original_sha256, max_bytes=max_bytes)
    except (originals.OriginalChanged, UnreadableFile) as error:
        return SourceProblem(document.name, str(error))
    except OSError as error:
        return SourceProblem(
            document.name, f"cannot keep the original file: {error.strerror or error}"
        )
    return document


@dataclass(frozen=True)
class Incoming:
    document: SourceDocument
    source_key: str
    digest: str


class ImportBatch:
    """Documents gathered until a batch is full, then drafted and written together.

    A full batch is held until the next one is read: while a batch's stories are placed, the
    next one (prepared once the batch's articles and evidence are written, as it would be
    after the batch) is drafted in the worker processes, so the cores share the work.
    """

    def __init__(self, *, taxonomy: Taxonomy, report: ImportReport, on_document, drafter) -> None:
        self.taxonomy, self.report = taxonomy, report
        self.on_document, self.drafter = on_document, drafter
        self.items: list[Incoming] = []
        self.identities: set[tuple[str, str]] = set()
        self.held: list[Incoming] = []  # the batch read before ``items``, not written yet
        self.prepared: Prepared | None = None  # the held batch's, made while writing the last

    def add(self, document: SourceDocument, *, source_key: str) -> None:
        item = Incoming(document, source_key, content_hash(document))
        identities = identities_of(item)
        if identities & self.identities:
            self.close()  # the same article twice in a batch: the second must see the first
        self.items.append(item)
        self.identities |= identities
        if len(self.items) >= BATCH_SIZE:
            self.close()

    def close(self) -> None:
        """The batch read so far is whole: write the one before it, then hold it."""
        items, self.items, self.identities = self.items, [], set()
        if items:
            self.write_held(following=items)
            self.held = items

    def flush(self) -> None:
        """Write everything read (the end of the input)."""
        self.close()
        self.write_held(following=[])

    def write_held(self, *, following: list[Incoming]) -> None:
        items, prepared, self.held, self.prepared = self.held, self.prepared, [], None
        if not items:
            return

        def prepare_following() -> None:
            if following:
                self.prepared = prepare_batch(following, drafter=self.drafter)

        try:
            with transaction.atomic():
                outcomes, carriers = write_batch(
                    items,
                    prepared or prepare_batch(items, drafter=self.drafter),
                    taxonomy=self.taxonomy,
                    then=prepare_following,
                )
        except Exception:
            self.prepared = None  # read in the transaction that failed
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
            self.reclean_earlier(carriers)

    def reclean_earlier(self, article_ids: set[int]) -> None:
        """Clean again the earlier articles that carry the batch's new boilerplate; a failure
        here leaves them as they were, and is reported, but does not stop the import."""
        try:
            recleaning.reclean_articles(
                article_ids=article_ids, taxonomy=self.taxonomy, drafter=self.drafter
            )
        except Exception as error:
            logger.exception("Re-cleaning articles %s failed", sorted(article_ids))
            self.report.failed.append(
                SourceProblem(
                    f"{len(article_ids)} earlier articles",
                    f"cleaning them again with new evidence failed ({error}); "
                    "select them in the admin and re-clean",
                )
            )

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


@dataclass
class Prepared:
    """A batch looked up and sent to be drafted: what writing it needs once the drafts are in."""

    outcomes: list[str | SourceProblem]  # each item's, a problem added when its draft fails
    pending: list[tuple[Incoming, Article | None]]  # the items to write, with what they update
    lines: list[dict[str, str]]  # each pending item's evidence lines
    plan: evidence.EvidencePlan | None
    drafts: Iterable  # each pending item's draft (signed with stories), as they come back


def import_batch(
    items: Sequence[Incoming], *, taxonomy: Taxonomy, drafter: Drafter
) -> tuple[list[str | SourceProblem], set[int]]:
    """Draft and write a batch; returns each item's outcome ("imported", "updated",
    "unchanged" or the problem) and the earlier articles the batch's evidence made stale."""
    return write_batch(items, prepare_batch(items, drafter=drafter), taxonomy=taxonomy)


def prepare_batch(items: Sequence[Incoming], *, drafter: Drafter) -> Prepared:
    """Find what each item updates, plan the evidence, and send the drafts to be made (in
    the worker processes they are collected later, by ``write_batch``)."""
    outcomes: list[str | SourceProblem] = []
    pending: list[tuple[Incoming, Article | None]] = []
    for item, article in zip(items, find_existing(items), strict=True):
        if article and is_unchanged(article, item):
            outcomes.append("unchanged")
        else:
            outcomes.append("imported" if article is None else "updated")
            pending.append((item, article))
    if not pending:
        return Prepared(outcomes, [], [], None, ())
    lines = drafter.evidence_lines(
        [(item.document.raw, item.document.raw_format) for item, _ in pending]
    )
    changes = [
        evidence_change(article, item.source_key, found)
        for (item, article), found in zip(pending, lines, strict=True)
    ]
    plan = evidence.EvidencePlan(changes)
    jobs = [
        (
            draft_input(item.document, article),
            plan.repeated_lines(item.source_key, found),
            plan.sitewide_lines(item.source_key, found),
        )
        for (item, article), found in zip(pending, lines, strict=True)
    ]
    if get_setting("NEAR_DUPLICATES"):
        drafts = drafter.signed_drafts(jobs, later=True)
    else:
        drafts = drafter.drafts(jobs, later=True)
    return Prepared(outcomes, pending, lines, plan, drafts)


def write_batch(
    items: Sequence[Incoming],
    prepared: Prepared,
    *,
    taxonomy: Taxonomy,
    then: Callable[[], None] = lambda: None,
) -> tuple[list[str | SourceProblem], set[int]]:
    """Write a prepared batch: its articles and evidence, then (after ``then``, which may
    prepare the next batch meanwhile) their stories. Returns ``import_batch``'s answer."""
    if not prepared.pending:
        then()
        return prepared.outcomes, set()
    plan, stories = prepared.plan, get_setting("NEAR_DUPLICATES")
    writes, written_changes, signatures, problems = [], [], [], {}
    for (item, article), found, draft in zip(
        prepared.pending, prepared.lines, prepared.drafts, strict=True
    ):
        change = evidence_change(article, item.source_key, found)
        if isinstance(draft, DraftFailed):
            problems[id(item)] = SourceProblem(item.document.name, f"import failed: {draft}")
            continue
        if stories:
            draft, signature = draft
            signatures.append(signature)
        writes.append(
            draft_writes.ImportWrite(
                item.document, item.source_key, item.digest, article, found, draft
            )
        )
        written_changes.append(change)
    carriers = plan.earlier_carriers_of_new_boilerplate()  # before save_changes changes it
    # On PostgreSQL each article's search entry is written once, not after each statement.
    with engine.deferring_entry_refresh() as refreshed:
        articles = draft_writes.write_imports(writes, taxonomy=taxonomy)
        refreshed.update(article.pk for article in articles)
        evidence.save_changes(
            [(a.pk, change) for a, change in zip(articles, written_changes, strict=True)],
            plan=plan,
        )
        then()
        if stories:  # each article's body is its draft's, signed by the drafter
            refreshed |= clusters.place_signed(
                signatures={
                    article.pk: signature
                    for article, signature in zip(articles, signatures, strict=True)
                }
            )
    outcomes = [
        problems.get(id(item), outcome)
        for item, outcome in zip(items, prepared.outcomes, strict=True)
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


def draft_input(document: SourceDocument, article: Article | None) -> DraftInput:
    """What a document is drafted from; an article it updates adds its editor's decisions."""
    return DraftInput(
        raw=document.raw,
        raw_format=document.raw_format,
        given_title=document.title,
        given_published=document.published,
        **(draft_writes.editor_decisions(article) if article else {}),
    )
