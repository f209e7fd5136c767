"""Drafting articles in worker processes, or in this one.

Drafting is pure (``search.ingest.drafting``), so a batch's documents can be cleaned in other
processes while this one keeps the database. Workers are started with "spawn": they import
the cleaning modules only (no Django, no inherited database connection or threads). A worker
also signs the body it drafted (``near_duplicates.signature``, as costly as the cleaning) so
the body is not sent to a worker a second time and this process only stores and compares.
A worker whose importer is gone (killed) ends itself.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from search.conf import get_setting
from search.ingest import drafting
from search.ingest.drafting import ArticleDraft, DraftInput, TagRules
from search.stories import near_duplicates

# (input, the source's repeated lines in it, the source's site-wide lines in it)
DraftJob = tuple[DraftInput, tuple[str, ...], tuple[str, ...]]
# A draft with the near-duplicate signature of its body.
SignedDraft = tuple[ArticleDraft, near_duplicates.Signature]
# How often a worker looks whether its importer is still there.
ORPHAN_CHECK_SECONDS = 1.0


class DraftFailed(Exception):
    """Drafting one document raised; the import reports it and goes on."""


def evidence_of(raw_and_format: tuple[str, str]) -> dict[str, str]:
    try:
        return drafting.evidence_lines(*raw_and_format)
    except Exception:  # the draft of the same input fails too, and is reported
        return {}


def draft_of(job: DraftJob, rules: TagRules) -> ArticleDraft | DraftFailed:
    source, repeated, sitewide = job
    try:
        return drafting.draft_article(
            source=source, repeated_lines=repeated, sitewide_lines=sitewide, rules=rules
        )
    except Exception as error:  # one bad document must not stop the batch
        return DraftFailed(str(error) or type(error).__name__)


def signed_draft_of(job: DraftJob, rules: TagRules) -> SignedDraft | DraftFailed:
    draft = draft_of(job, rules)
    if isinstance(draft, DraftFailed):
        return draft
    return draft, near_duplicates.signature(draft.body)


def _draft_in_worker(job: DraftJob) -> ArticleDraft | DraftFailed:
    return draft_of(job, _worker_rules)


def _signed_draft_in_worker(job: DraftJob) -> SignedDraft | DraftFailed:
    return signed_draft_of(job, _worker_rules)


def _start_worker(rules: TagRules, importer: int) -> None:
    global _worker_rules  # a worker process's own copy, set once when it starts
    _worker_rules = rules
    threading.Thread(target=_end_when_orphaned, args=(importer,), daemon=True).start()


def _end_when_orphaned(importer: int) -> None:
    """A worker blocks reading its next job, and a killed importer never closes the pipe
    (the workers hold its ends too): without this, they would wait for ever."""
    while True:
        threading.Event().wait(ORPHAN_CHECK_SECONDS)
        if os.getppid() != importer:
            os._exit(1)


_worker_rules: TagRules | None = None


class Drafter:
    """Maps drafting over a batch; with ``processes`` > 1, in that many worker processes,
    started when first needed. The tag rules go to each worker once, when it starts."""

    def __init__(self, *, rules: TagRules, processes: int | None = None) -> None:
        self.rules = rules
        self.processes = processes or get_setting("IMPORT_PROCESSES")
        self.pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Drafter:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def in_this_process(self, items: Sequence) -> bool:
        """One process, or a single item: not worth a worker's round trip."""
        return self.processes <= 1 or len(items) < 2

    def map(self, function, items: Sequence, *, later: bool = False) -> Iterable:
        """``function`` over ``items`` in the worker processes, results in the items' order;
        ``later``: as they come back (the caller goes on meanwhile), else as a list."""
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.rules, os.getpid()),
            )
        chunk = max(1, len(items) // (self.processes * 4))
        results = self.pool.map(function, items, chunksize=chunk)
        return results if later else list(results)

    def evidence_lines(self, inputs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        if self.in_this_process(inputs):
            return [evidence_of(item) for item in inputs]
        return self.map(evidence_of, inputs)

    def drafts(
        self, jobs: Sequence[DraftJob], *, later: bool = False
    ) -> Iterable[ArticleDraft | DraftFailed]:
        """Each job's draft; ``later``: in the workers while the caller goes on (``map``)."""
        if self.in_this_process(jobs):
            return [draft_of(job, self.rules) for job in jobs]
        return self.map(_draft_in_worker, jobs, later=later)

    def signed_drafts(
        self, jobs: Sequence[DraftJob], *, later: bool = False
    ) -> Iterable[SignedDraft | DraftFailed]:
        """``drafts``, each with the signature of its body (for near-duplicate stories)."""
        if self.in_this_process(jobs):
            return [signed_draft_of(job, self.rules) for job in jobs]
        return self.map(_signed_draft_in_worker, jobs, later=later)
