"""The current search as a file: CSV, JSON Lines or RIS, every match up to a stated cap,
in date order (newest first unless the search asks for oldest first).

``start_export`` runs the first batch at once (so a bad parameter or an unavailable index is
answered before the download starts) and returns an ``Export`` whose ``chunks()`` stream the
rest, a batch of searches at a time. Rows come through ``selectors.run_search``, the same path
as the pages: only published articles.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from django.urls import reverse

from search import selectors
from search.desk import triage
from search.desk.citations import CitedArticle, ris_record, web_address
from search.models import Article
from search.query import DEFAULT_PER_PAGE, PageOutOfRange, SearchQuery
from search.text import strip_unsafe_characters

BATCH = 200  # articles per engine search while exporting
COLUMNS = ("title", "date", "source_url", "permalink", "ministers", "topics", "labels", "snippet")
NOTES_COLUMN = "notes"  # last, only when the reader asks for their notes (``notes=1``)
LIST_SEPARATOR = "; "  # between names in one CSV cell


@dataclass(frozen=True)
class ExportFormat:
    name: str  # the URL's extension
    label: str
    content_type: str
    write: Callable[[list[CitedArticle], bool, bool], str]  # rows, first?, notes? -> text


def csv_cell(value: str) -> str:
    """A spreadsheet reads a cell starting with = + - @ (or a tab/CR) as a formula: such text
    is prefixed with an apostrophe, as OWASP advises, so opening the file runs nothing."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_rows(rows: list[CitedArticle], first: bool, with_notes: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if first:
        writer.writerow((*COLUMNS, NOTES_COLUMN) if with_notes else COLUMNS)
    for row in rows:
        writer.writerow([csv_cell(value) for value in flat(row, with_notes=with_notes)])
    return buffer.getvalue()


def flat(row: CitedArticle, *, with_notes: bool = False) -> list[str]:
    cells = [
        row.title,
        row.published.isoformat() if row.published else "",
        row.source_url,
        row.permalink,
        LIST_SEPARATOR.join(row.ministers),
        LIST_SEPARATOR.join(row.topics),
        LIST_SEPARATOR.join(row.labels),
        row.snippet,
    ]
    return [*cells, "\n\n".join(row.notes)] if with_notes else cells


# JSON leaves the line and paragraph separators unescaped, but a reader that splits lines as
# Unicode does (str.splitlines, JavaScript) would cut a record in two at them.
UNICODE_LINE_ENDS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_lines(rows: list[CitedArticle], first: bool, with_notes: bool = False) -> str:
    return "".join(
        json.dumps(
            {
                "title": row.title,
                "date": row.published.isoformat() if row.published else None,
                "source_url": row.source_url or None,
                "permalink": row.permalink,
                "ministers": list(row.ministers),
                "topics": list(row.topics),
                "labels": list(row.labels),
                "snippet": row.snippet,
                **({NOTES_COLUMN: list(row.notes)} if with_notes else {}),
            },
            ensure_ascii=False,
        ).translate(UNICODE_LINE_ENDS)
        + "\n"
        for row in rows
    )


def ris_records(rows: list[CitedArticle], first: bool, with_notes: bool = False) -> str:
    return "".join(ris_record(row) for row in rows)


FORMATS = {
    export_format.name: export_format
    for export_format in (
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8", csv_rows),
        ExportFormat("jsonl", "JSON Lines", "application/jsonl; charset=utf-8", json_lines),
        ExportFormat(
            "ris", "RIS (Zotero, EndNote)", "application/x-research-info-systems", ris_records
        ),
    )
}


def plain_snippet(snippet_html: str) -> str:
    """The engine's snippet (escaped text with <mark> only) as plain text."""
    return html.unescape(re.sub(r"</?mark>", "", snippet_html))


def cited(article: Article, *, site_url: str, snippet: str = "") -> CitedArticle:
    """What a citation of ``article`` says; ``site_url`` makes its permalink absolute.

    Every text loses the characters no file can carry (``search.text``): a lone surrogate
    cannot be written as UTF-8, and a control character is no text a CSV, RIS or JSON
    reader should be handed, whatever a row written before the cleaning still holds."""
    safe = strip_unsafe_characters
    return CitedArticle(
        title=safe(article.title),
        published=article.published,
        source_url=safe(web_address(article.source_url)),
        permalink=site_url.rstrip("/") + article.get_absolute_url(),
        ministers=tuple(safe(minister.name) for minister in article.ministers.all()),
        topics=tuple(safe(topic.label) for topic in article.topics.all()),
        snippet=safe(snippet),
    )


def cited_rows(page: selectors.SearchPage, *, site_url: str) -> list[CitedArticle]:
    return [
        cited(row.article, site_url=site_url, snippet=plain_snippet(row.snippet))
        for row in page.rows
    ]


def cap_notice(*, total: int, cap: int) -> str:
    return (
        f"This search finds {total:,} articles; an export holds at most {cap:,}, so it has "
        f"the {cap:,} newest (or oldest, when sorted so). Narrow the search (dates, filters) "
        "to get the rest."
    )


@dataclass
class Export:
    export_format: ExportFormat
    search_query: SearchQuery
    first: selectors.SearchPage
    cap: int
    site_url: str
    # Whose labels and notes the rows carry: labels when the reader may see them
    # (triage.may_read), notes (theirs and the shared ones) only when asked for.
    reader: object = None
    with_notes: bool = False

    @property
    def total(self) -> int:
        return self.first.results.total

    @property
    def capped(self) -> bool:
        return self.total > self.cap

    def filename(self, today: datetime.date) -> str:
        words = re.sub(r"[^a-z0-9]+", "-", self.search_query.q.lower()).strip("-")[:40]
        return f"newsroom-{words or 'search'}-{today.isoformat()}.{self.export_format.name}"

    def chunks(self) -> Iterator[str]:
        """The file, a batch at a time; each article once even if the index changes midway."""
        page, number, written, seen = self.first, 1, 0, set()
        while True:
            rows = [
                (row, cited)
                for row, cited in zip(
                    page.rows, cited_rows(page, site_url=self.site_url), strict=True
                )
                if row.article.pk not in seen
            ][: self.cap - written]
            seen.update(row.article.pk for row, _ in rows)
            yield self.export_format.write(
                self.with_triage([cited for _, cited in rows], [row.article.pk for row, _ in rows]),
                number == 1,
                self.with_notes,
            )
            written += len(rows)
            if written >= self.cap or number >= page.results.pages:
                return
            number += 1
            try:
                page = selectors.run_search(self.search_query.with_page(number))
            except PageOutOfRange:  # the index shrank meanwhile: that is all
                return

    def with_triage(self, rows: list[CitedArticle], article_ids: list[int]) -> list[CitedArticle]:
        if self.reader is None or not triage.may_read(self.reader):
            return rows
        labels = triage.labels_by_article(article_ids)
        notes = triage.notes_by_article(self.reader, article_ids) if self.with_notes else {}
        return [
            replace(
                row,
                labels=tuple(strip_unsafe_characters(label.name) for label in labels.get(pk, [])),
                notes=tuple(notes.get(pk, ())),
            )
            for row, pk in zip(rows, article_ids, strict=True)
        ]


def start_export(
    *,
    search_query: SearchQuery,
    file_format: str,
    cap: int,
    site_url: str,
    reader=None,
    with_notes: bool = False,
) -> Export:
    """Raises KeyError (unknown format), InvalidParameter, engine.IndexUnavailable.
    ``reader``: the user whose labels (and, ``with_notes``, notes) the rows carry."""
    export_format = FORMATS[file_format]
    # A file is read (and re-sorted) as a list, not skimmed by rank; and date order is exact
    # at any depth on every engine, where relevance may be ranked over the newest matches only
    # (PostgreSQL's RANK_CANDIDATES). So a search by relevance is exported newest first.
    sort = "oldest" if search_query.effective_sort == "oldest" else "newest"
    batched = replace(search_query, sort=sort, page=1, per_page=min(BATCH, max(cap, 1)))
    first = selectors.run_search(batched)
    return Export(export_format, batched, first, cap, site_url, reader, with_notes)


@dataclass(frozen=True)
class ExportLink:
    label: str
    url: str


def export_links(search_query: SearchQuery) -> list[ExportLink]:
    """The search (all its pages: page and page size left out) as each kind of file."""
    whole = replace(search_query, page=1, per_page=DEFAULT_PER_PAGE)
    query_string = whole.to_query_string()
    links = []
    for export_format in FORMATS.values():
        path = reverse("search:export", args=[export_format.name])
        links.append(
            ExportLink(export_format.label, f"{path}?{query_string}" if query_string else path)
        )
    return links
