"""The archive's evidence of site-wide boilerplate: in how many articles of a source each short
line stands (``SourceLineCount``), kept in step as articles arrive, change and go.

A batch of changes is planned first (counts before and after, read in a few queries), so
drafting can use the batch's own evidence, then saved in the batch's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import models

from search.conf import get_setting
from search.models import Article, SourceLineCount
from search.models.bulk_rows import insert_rows, update_rows

LOOKUP_CHUNK = 500  # hashes per query: well under SQLite's limit on query parameters

LineKey = tuple[str, str]  # (source_key, line_hash)
# A line in at least this share of a source's articles (and in the repeated-line threshold's
# number of them) is the site's wherever it stands, even inside an article's run of text.
SITEWIDE_SHARE = 0.5


@dataclass(frozen=True)
class EvidenceChange:
    """One article's lines before and after (empty hashes: it had or will have none)."""

    old_source: str
    old_hashes: tuple[str, ...]
    new_source: str
    new_hashes: tuple[str, ...]

    def removed(self) -> set[LineKey]:
        return self.old_keys() - self.new_keys()

    def added(self) -> set[LineKey]:
        return self.new_keys() - self.old_keys()

    def old_keys(self) -> set[LineKey]:
        return {(self.old_source, digest) for digest in self.old_hashes}

    def new_keys(self) -> set[LineKey]:
        return {(self.new_source, digest) for digest in self.new_hashes}


def repeated_threshold() -> int:
    return get_setting("REPEATED_LINE_MIN_ARTICLES")


@dataclass
class LineCount:
    """A ``SourceLineCount`` row as plain values (model instances cost more than the query)."""

    source_key: str
    line_hash: str
    articles: int = 0
    first_article_ids: list[int] = field(default_factory=list)
    pk: int | None = None


def load_counts(keys: Iterable[LineKey]) -> dict[LineKey, LineCount]:
    by_source: dict[str, list[str]] = {}
    for source, digest in set(keys):
        by_source.setdefault(source, []).append(digest)
    rows = {}
    for source, digests in by_source.items():
        for start in range(0, len(digests), LOOKUP_CHUNK):
            chunk = digests[start : start + LOOKUP_CHUNK]
            found = SourceLineCount.objects.filter(source_key=source, line_hash__in=chunk)
            for pk, digest, articles, first in found.values_list(
                "pk", "line_hash", "articles", "first_article_ids"
            ):
                rows[(source, digest)] = LineCount(source, digest, articles, first, pk)
    return rows


class EvidencePlan:
    """The counts before a batch of changes and after it."""

    def __init__(self, changes: Sequence[EvidenceChange]) -> None:
        self.threshold = repeated_threshold()
        keys = set().union(*(c.old_keys() | c.new_keys() for c in changes)) if changes else set()
        self.before = load_counts(keys)
        self.after = Counter({key: row.articles for key, row in self.before.items()})
        for change in changes:
            self.after.subtract(change.removed())
            self.after.update(change.added())
        self.articles_after = articles_after(changes)

    def repeated_hashes(self, source: str, hashes: Iterable[str]) -> set[str]:
        """Of these lines of ``source``, those repeated in enough articles after the batch."""
        return {digest for digest in hashes if self.after[(source, digest)] >= self.threshold}

    def repeated_lines(self, source: str, lines: dict[str, str]) -> tuple[str, ...]:
        """The texts of those of ``lines`` (hash -> text) that are repeated after the batch."""
        return tuple(lines[digest] for digest in self.repeated_hashes(source, lines))

    def sitewide_lines(self, source: str, lines: dict[str, str]) -> tuple[str, ...]:
        """The texts of those of ``lines`` in most of the source's articles after the batch."""
        least = max(self.threshold, SITEWIDE_SHARE * self.articles_after[source])
        return tuple(
            text for digest, text in lines.items() if self.after[(source, digest)] >= least
        )

    def earlier_carriers_of_new_boilerplate(self) -> set[int]:
        """Articles from before the batch that carry a line the batch made boilerplate."""
        carriers = set()
        for key, count in self.after.items():
            row = self.before.get(key)
            if count >= self.threshold and (row.articles if row else 0) < self.threshold:
                carriers.update(row.first_article_ids if row else ())
        return carriers


def articles_after(changes: Sequence[EvidenceChange]) -> Counter[str]:
    """How many articles each source of the batch has after it: the stored ones (counted on the
    indexed ``Article.source_key``, so nothing more is kept in step), plus the batch's articles
    arriving in the source (a new article's old source is ""), less those leaving it."""
    moves: Counter[str] = Counter()
    for change in changes:
        if change.old_source != change.new_source:
            moves[change.new_source] += 1
            if change.old_source:
                moves[change.old_source] -= 1
    sources = {change.new_source for change in changes}
    stored = (
        Article.objects.filter(source_key__in=sources)
        .values_list("source_key")
        .annotate(count=models.Count("pk"))
        .order_by()
    )
    return Counter(dict(stored)) + moves


def save_changes(
    changes: Sequence[tuple[int, EvidenceChange]], *, plan: EvidencePlan | None = None
) -> None:
    """Apply (article id, change) pairs to the counts, in the transaction that read ``plan``
    (its rows are reused, and changed: ask the plan first); without a plan, read them here."""
    threshold = repeated_threshold()
    keys = set()
    for _article_id, change in changes:
        keys |= change.removed() | change.added()
    rows = {key: plan.before[key] for key in keys if key in plan.before} if plan else {}
    rows |= load_counts(keys - set(rows)) if not plan else {}
    created: dict[LineKey, LineCount] = {}
    for article_id, change in changes:
        for key in change.removed():
            if row := rows.get(key):
                row.articles = max(row.articles - 1, 0)
                row.first_article_ids = [pk for pk in row.first_article_ids if pk != article_id]
        for key in change.added():
            row = rows.get(key) or created.get(key)
            if row is None:
                row = created[key] = LineCount(source_key=key[0], line_hash=key[1])
            row.articles += 1
            if len(row.first_article_ids) < threshold:
                row.first_article_ids = [*row.first_article_ids, article_id]
    gone = [row.pk for row in rows.values() if row.articles == 0]
    SourceLineCount.objects.filter(pk__in=gone).delete()
    update_rows(
        SourceLineCount,
        [row for row in rows.values() if row.articles],
        ["articles", "first_article_ids"],
    )
    insert_rows(
        SourceLineCount,
        list(created.values()),
        ["source_key", "line_hash", "articles", "first_article_ids"],
    )


def forget_article(*, article_id: int, source_key: str, line_hashes: Sequence[str]) -> None:
    """A deleted article's lines no longer count."""
    if line_hashes:
        change = EvidenceChange(source_key, tuple(line_hashes), "", ())
        save_changes([(article_id, change)])
