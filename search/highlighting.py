"""The words of a search marked in an article's own text, by the engine's highlighter.

The search page gets its highlighted titles and snippets from the engine; the article page
asks here, with the query it was reached from, so both mark the same words (stemmed forms,
phrases, expanded wildcards; nothing from NOT clauses).
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

from search import engine

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def query_terms(q: str) -> set[str]:
    """The analysed words the engine would highlight for this query (empty when it cannot)."""
    try:
        return engine.query_terms(q)
    except engine.IndexUnavailable:
        return set()  # the article still shows, just without highlights


def paragraphs(text: str) -> list[str]:
    """Body paragraphs are separated by blank lines."""
    return [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def highlighted(text: str, terms: set[str]) -> SafeString:
    # highlight_text escapes the text and adds only <mark> elements: safe HTML.
    return mark_safe(engine.highlight_text(text, terms, whole=True))


def highlighted_paragraphs(text: str, terms: set[str]) -> list[SafeString]:
    return [highlighted(paragraph, terms) for paragraph in paragraphs(text)]
