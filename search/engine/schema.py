"""The Whoosh schema and the analyzer shared by indexing, parsing and highlighting."""

from __future__ import annotations

from whoosh import analysis, fields
from whoosh.support.charset import accent_map

from search.documents import IndexDocument

TITLE_BOOST = 2.0
TEXT_FIELDS = ("title", "body")


def text_analyzer() -> analysis.Analyzer:
    """Words, lowercased, accents folded ("Café" = "cafe"), English stop words out, stemmed."""
    return (
        analysis.RegexTokenizer()
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.StopFilter()
        | analysis.StemFilter(cachesize=50000)
    )


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        # spelling=True keeps the unstemmed words too, for "did you mean".
        title=fields.TEXT(analyzer=analyzer, stored=True, field_boost=TITLE_BOOST, spelling=True),
        body=fields.TEXT(analyzer=analyzer, stored=True, spelling=True),
        # Multi-valued, so KEYWORD (a sortable column holds one value a document); facet
        # counts read these fields' postings once per index generation (see searching.py).
        minister=fields.KEYWORD(commas=True, scorable=False),
        topic=fields.KEYWORD(commas=True, scorable=False),
        # Facet and filter on a year column, never on DateRangeFacet with a 365-day gap,
        # which misfiles dates across leap years.
        year=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        # Day number (date.toordinal()); 0 for an undated article, so it sorts last by newest.
        published=fields.NUMERIC(int, bits=32, sortable=True, signed=False),
        version=fields.STORED,
    )


def to_fields(document: IndexDocument) -> dict:
    return {
        "id": str(document.id),
        "title": document.title,
        "body": document.body,
        "minister": ",".join(document.ministers),
        "topic": ",".join(document.topics),
        "year": document.year or 0,
        "published": document.published.toordinal() if document.published else 0,
        "version": document.version,
    }
