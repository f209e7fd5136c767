"""Keeping the search index in step with the database.

Every change to an article writes a ``PendingIndexChange`` row in the same transaction; after
the commit, the pending rows are applied to the index under its write lock. A change whose
index write failed (lock timeout, crash, missing index) stays pending and is applied by the
next writer, by ``process_index_queue`` or by ``check_index --repair``.

An engine that keeps itself current in the article's own transaction (PostgreSQL, by triggers;
``engine.keeps_itself_current()``) gets no queue at all: no rows, no worker, no writes after
the commit. Rebuild, check and repair work the same for every engine.
"""

from __future__ import annotations

import logging
import os
import select
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.utils import timezone

from search import engine
from search.conf import get_setting
from search.documents import IndexDocument
from search.models import Article, ArticleLabel, PendingIndexChange
from search.models.bulk_rows import insert_values

logger = logging.getLogger(__name__)

# Changes applied per index commit: fewer, larger commits mean fewer segments to merge.
QUEUE_BATCH = 1000
# The import's index worker takes up to this many at once when it has fallen behind: each
# commit is a segment, and fewer, larger segments mean fewer merges (a merge rewrites every
# posting of the segments it merges). Interactive saves meanwhile wait for the lock or stay
# queued for the worker.
IMPORT_BATCH = 5000
_local = threading.local()


# What an index document is built from (Article.search_document): loading only these skips
# the raw input (whole HTML pages), the removed blocks and the other JSON columns.
INDEXED_COLUMNS = ("id", "title", "body", "published", "status", "story_cluster")


def public_articles():
    return Article.objects.filter(status=Article.Status.PUBLISHED).only(*INDEXED_COLUMNS)


def documents_of(articles: list[Article], *, consecutive: bool = False) -> list[IndexDocument]:
    """The index documents of these articles, their tags read in one query a tag field
    (prefetch_related builds a related manager and a queryset per article and tag field).
    ``consecutive``: they are in id order, every public article from the first to the last (a
    rebuild's chunk), so the tags are read by id range rather than a list of a thousand ids."""
    ids = [article.pk for article in articles]
    of_articles = {"article_id__in": ids}
    if consecutive and ids:
        of_articles = {"article_id__gte": ids[0], "article_id__lte": ids[-1]}
    ministers, topics = tag_slugs("ministers", of_articles), tag_slugs("topics", of_articles)
    labels = label_slugs(of_articles)
    return [
        article.search_document(
            ministers=ministers.get(article.pk, ()),
            topics=topics.get(article.pk, ()),
            labels=labels.get(article.pk, ()),
        )
        for article in articles
    ]


def label_slugs(of_articles: dict) -> dict[int, list[str]]:
    """article id -> the slugs of its labels (search.models.triage), for the articles that
    ``of_articles`` (a filter on ``article_id``) selects."""
    slugs: dict[int, list[str]] = {}
    rows = ArticleLabel.objects.filter(**of_articles).values_list("article_id", "label__slug")
    for article_id, slug in rows:
        slugs.setdefault(article_id, []).append(slug)
    return slugs


def tag_slugs(field_name: str, of_articles: dict) -> dict[int, list[str]]:
    """article id -> the slugs of its ministers or topics (``field_name``), for the articles
    that ``of_articles`` (a filter on ``article_id``) selects."""
    relation = getattr(Article, field_name)
    target = relation.field.m2m_reverse_field_name()
    slugs: dict[int, list[str]] = {}
    rows = relation.through.objects.filter(**of_articles).values_list(
        "article_id", f"{target}__slug"
    )
    for article_id, slug in rows:
        slugs.setdefault(article_id, []).append(slug)
    return slugs


def enqueue(article_ids) -> None:
    """Record that these articles' index entries must be refreshed, and flush after commit."""
    if engine.keeps_itself_current():
        return
    ids = list(article_ids)
    # One timestamp, prepared once, for the whole call: a model instance a row (bulk_create)
    # cost an import more than the insert.
    created = PendingIndexChange._meta.get_field("created")
    now = created.get_db_prep_save(
        timezone.now(), connections[router.db_for_write(PendingIndexChange)]
    )
    insert_values(PendingIndexChange, ["article_id", "created"], [(pk, now) for pk in ids])
    if getattr(_local, "batching", False):
        # Count changes, not calls: an import queues a whole batch of articles in one call.
        before, _local.pending = _local.pending, _local.pending + len(ids)
        indexer = getattr(_local, "indexer", None)
        if indexer is not None:
            indexer.poll(_local.pending)
            return
        if _local.pending // QUEUE_BATCH == before // QUEUE_BATCH:
            return
    transaction.on_commit(flush_quietly)


@contextmanager
def batched_indexing() -> Iterator[None]:
    """For bulk work (imports): index every QUEUE_BATCH changes, not after each commit."""
    if engine.keeps_itself_current():
        yield
        return
    _local.batching, _local.pending = True, 0
    try:
        yield
    finally:
        _local.batching = False
        if not engine.index_exists():
            rebuild_index()  # the first import on a new machine: build the index whole
        else:
            flush_quietly()


class BackgroundIndexer:
    """Applies the queue in a child process while an import runs.

    Cleaning and extraction (this process) and indexing (the child) then each get a core;
    in one process the index writes took over half of an import's time. The child is
    started once the first ``QUEUE_BATCH`` changes are queued and stays, applying committed
    changes (never an import's open transaction) whenever a full batch is waiting, until
    this process closes its stdin; one Django start-up per import, no tiny commits.
    """

    def __init__(self) -> None:
        self.child: subprocess.Popen | None = None

    def poll(self, queued: int) -> None:
        if self.child is None and queued >= QUEUE_BATCH:
            self.child = subprocess.Popen(
                [sys.executable, str(settings.BASE_DIR / "manage.py"), "index_worker"],
                env=child_environment(),
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                cwd=settings.BASE_DIR,
            )

    def finish(self) -> None:
        """Tell the child the import is over and wait for it to apply what it has."""
        if self.child is not None:
            self.child.stdin.close()
            self.child.wait()


def work_until_closed(stream, *, poll_seconds: float = 1.0) -> None:
    """The import worker's loop: apply full batches as the importer commits them, and all
    that is left once ``stream`` (the importer's end of a pipe) closes."""
    done = False
    while not done:
        ready, _, _ = select.select([stream], [], [], poll_seconds)
        done = bool(ready) and not stream.read(1)
        if done or PendingIndexChange.objects.count() >= QUEUE_BATCH:
            flush_quietly(batch_size=IMPORT_BATCH, min_batch=1 if done else QUEUE_BATCH)


def child_environment() -> dict[str, str]:
    """This process's database and index, even when settings were changed at run time."""
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    env["NEWSROOM_DATA_DIR"] = str(settings.DATA_DIR)
    env["NEWSROOM_INDEX_DIR"] = str(get_setting("INDEX_DIR"))
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    return env


@contextmanager
def background_indexing() -> Iterator[None]:
    """For long imports: index in a child process meanwhile, then apply what is left here.

    Without a live index (a new machine) or a second core, this is ``batched_indexing``
    (which is nothing at all for an engine that keeps itself current).
    """
    if (os.cpu_count() or 1) < 2 or engine.keeps_itself_current() or not engine.index_exists():
        with batched_indexing():
            yield
        return
    _local.batching, _local.pending, _local.indexer = True, 0, BackgroundIndexer()
    try:
        yield
    finally:
        indexer, _local.indexer, _local.batching = _local.indexer, None, False
        indexer.finish()
        flush_quietly()


def flush_quietly(*, batch_size: int = QUEUE_BATCH, min_batch: int = 1) -> None:
    """Apply pending changes; on failure they stay queued, and the log says what to do."""
    try:
        process_pending(batch_size=batch_size, min_batch=min_batch)
    except engine.IndexUnavailable as error:
        logger.warning("Index not updated: %s", error)
    except engine.IndexBusy as error:
        logger.warning("Index busy (%s); the change stays queued for the next writer.", error)


def process_pending(*, batch_size: int = QUEUE_BATCH, min_batch: int = 1) -> int:
    """Apply pending changes, ``batch_size`` a commit, until fewer than ``min_batch`` are left
    (by default every one); returns how many articles were refreshed.

    The import's index worker asks for full batches only: taking whatever had arrived since
    its last commit made a small segment every few dozen articles, each one more to merge.
    """
    refreshed = 0
    timeout = get_setting("INDEX_LOCK_TIMEOUT")
    while True:
        with engine.open_writer(timeout=timeout) as writer:
            # Read under the lock: what we write is at least as new as any earlier writer's.
            queued = PendingIndexChange.objects.order_by("id").values_list("id", "article_id")
            rows = list(queued[:batch_size])
            if not rows or len(rows) < min_batch:
                return refreshed
            ids = {article_id for _row, article_id in rows}
            write_articles(writer, ids)
        # Exact rows: a row committed meanwhile with a lower id (PostgreSQL) stays queued.
        PendingIndexChange.objects.filter(id__in=[row for row, _article_id in rows]).delete()
        refreshed += len(ids)


def write_articles(writer: engine.IndexWriter, article_ids: set[int]) -> None:
    """Upsert the public ones, remove the rest (hidden or deleted) from the index."""
    public = {
        document.id: document
        for document in documents_of(list(public_articles().filter(pk__in=article_ids)))
    }
    for article_id in sorted(article_ids):
        if article_id in public:
            writer.upsert(public[article_id])
        else:
            writer.delete(article_id)


def iter_public_documents(chunk_size: int = 1000) -> Iterator[IndexDocument]:
    """Every public article's index document, in id order, ``chunk_size`` articles a query."""
    articles = public_articles().order_by("pk")
    last_id = 0
    while chunk := list(articles.filter(pk__gt=last_id)[:chunk_size]):
        yield from documents_of(chunk, consecutive=True)
        last_id = chunk[-1].pk


def rebuild_index(*, on_document: Callable[[], None] | None = None, procs: int = 1) -> int:
    """Build a fresh index from the database, swap it in, then catch up with changes made
    while it was building. Returns the number of articles indexed.

    Changes made meanwhile went to the old index and left the queue, so the catch-up finds
    them itself: articles saved since the start, and articles written into the new index
    that are no longer public (deleted or hidden meanwhile).
    """
    started = timezone.now()
    pending_before = list(
        PendingIndexChange.objects.filter(created__lt=started).values_list("id", flat=True)
    )
    written: set[int] = set()

    def documents() -> Iterator[IndexDocument]:
        for document in iter_public_documents():
            written.add(document.id)
            yield document

    engine.rebuild(documents(), on_document=on_document, procs=procs)
    since = started - timezone.timedelta(seconds=2)
    with engine.open_writer(timeout=get_setting("INDEX_LOCK_TIMEOUT")) as writer:
        # Unordered (sets), so they read indexes only (updated; status), never the table.
        changed = set(
            Article.objects.filter(updated__gte=since).order_by().values_list("pk", flat=True)
        )
        queued = set(
            PendingIndexChange.objects.filter(created__gte=since).values_list(
                "article_id", flat=True
            )
        )
        # Every public id, not those of ``written``: an IN list of a million ids is past
        # SQLite's limit of bound variables (250,000 in Debian's build).
        public_now = set(public_articles().order_by().values_list("pk", flat=True))
        write_articles(writer, changed | queued | (written - public_now))
    PendingIndexChange.objects.filter(id__in=pending_before).delete()
    return public_articles().count()


@dataclass
class IndexReport:
    missing: list[int] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    pending: int = 0
    unavailable: str = ""

    @property
    def healthy(self) -> bool:
        return not (self.missing or self.stale or self.extra or self.pending or self.unavailable)


def check_index() -> IndexReport:
    """Compare the index with the database: articles missing, stale or extra in it."""
    report = IndexReport(pending=PendingIndexChange.objects.count())
    try:
        engine.require_current_schema()  # an outdated index is "unavailable": repair rebuilds
        indexed = engine.indexed_versions()
    except engine.IndexUnavailable as error:
        report.unavailable = str(error)
        return report
    seen = set()
    for document in iter_public_documents():
        seen.add(document.id)
        if document.id not in indexed:
            report.missing.append(document.id)
        elif indexed[document.id] != document.version:
            report.stale.append(document.id)
    report.extra = sorted(set(indexed) - seen)
    return report


def repair_index(report: IndexReport, *, on_document=None) -> str:
    """Fix what ``check_index`` found: rebuild a missing index, else patch the differences."""
    if report.unavailable:
        count = rebuild_index(on_document=on_document)
        return f"rebuilt the index ({count} articles)"
    with engine.open_writer(timeout=get_setting("INDEX_LOCK_TIMEOUT")) as writer:
        write_articles(writer, set(report.missing) | set(report.stale) | set(report.extra))
    process_pending()
    return (
        f"indexed {len(report.missing)} missing, refreshed {len(report.stale)} stale, "
        f"removed {len(report.extra)} extra"
    )
