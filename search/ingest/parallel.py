"""Drafting articles in worker processes, or in this one.

Drafting is pure (``search.ingest.drafting``), so a batch's documents can be cleaned in other
processes while this one keeps the database. Workers are started with "spawn": they import
the cleaning modules only (no Django, no inherited database connection or threads).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from search.conf import get_setting
from search.ingest import drafting
from search.ingest.drafting import ArticleDraft, DraftInput, TagRules

# (input, the source's repeated lines in it, the source's site-wide lines in it)
DraftJob = tuple[DraftInput, tuple[str, ...], tuple[str, ...]]


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


def _draft_in_worker(job: DraftJob) -> ArticleDraft | DraftFailed:
    return draft_of(job, _worker_rules)


def _start_worker(rules: TagRules) -> None:
    global _worker_rules  # a worker process's own copy, set once when it starts
    _worker_rules = rules


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

    def map(self, function, items: Sequence) -> list:
        if self.processes <= 1 or len(items) < 2:
            return [function(item) for item in items]
        if self.pool is None:
            self.pool = ProcessPoolExecutor(
                max_workers=self.processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.rules,),
            )
        chunk = max(1, len(items) // (self.processes * 4))
        return list(self.pool.map(function, items, chunksize=chunk))

    def evidence_lines(self, inputs: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
        return self.map(evidence_of, inputs)

    def drafts(self, jobs: Sequence[DraftJob]) -> list[ArticleDraft | DraftFailed]:
        if self.processes <= 1:
            return [draft_of(job, self.rules) for job in jobs]
        return self.map(_draft_in_worker, jobs)
