"""The words of a search marked in an article's own text, by the engine's highlighter.

The search page gets its highlighted titles and snippets from the engine; the article page
asks here, with the query it was reached from, so both mark the same words (stemmed forms,
phrases, expanded wildcards; nothing from NOT clauses).
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search import engine

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """Body paragraphs are separated by blank lines."""
    return [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]


def highlighted(texts: list[str], q: str) -> list[SafeString]:
    """Each text escaped, with the words ``q`` looks for in <mark> (just escaped when the index
    cannot answer: the article still shows)."""
    try:
        # The engine escapes the texts and adds only <mark> elements: safe HTML.
        return [mark_safe(marked) for marked in engine.highlight(texts, q)]
    except engine.IndexUnavailable:
        return [escape(text) for text in texts]
