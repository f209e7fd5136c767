"""``ts_headline`` output made safe: everything escaped except the <mark> it adds.

``ts_headline`` returns the text with its StartSel and StopSel around matches, and drops
whatever its parser reads as an HTML tag (a body's literal "<script>" would vanish). So ``<``
and ``>`` reach it as two private-use characters, and StartSel/StopSel are two more; all four
are removed from the text first, so every one in the output is ours: put ``<`` and ``>`` back,
escape everything, then turn the selection markers into <mark> and </mark>.
"""

from __future__ import annotations

import html

START, STOP = "\ue000", "\ue001"
LESS, GREATER = "\ue002", "\ue003"
# ts_headline options: StartSel/StopSel are quoted (they could otherwise end the option list).
WHOLE = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
SNIPPET = (
    f'StartSel="{START}", StopSel="{STOP}", MaxFragments=3, MaxWords=25, MinWords=10, '
    'FragmentDelimiter=" … "'
)
HEADLINE_CHARS = 100_000  # of a body: a snippet of a 2 MB body need not parse all of it
PLAIN_CHARS = 240  # a snippet without any match: the start of the text


def for_headline_sql(column: str) -> str:
    """SQL for ``column`` ready for ``ts_headline``: ``<``/``>`` as markers, ours removed."""
    return f"translate({column}, '<>{START}{STOP}{LESS}{GREATER}', '{LESS}{GREATER}')"


def to_html(headline: str) -> str:
    escaped = html.escape(headline.replace(LESS, "<").replace(GREATER, ">"))
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")


def plain_snippet(text: str) -> str:
    """The start of ``text``, cut at a word, escaped (a hit with no words to mark)."""
    text = " ".join(text.split())
    if len(text) > PLAIN_CHARS:
        text = text[:PLAIN_CHARS].rsplit(" ", 1)[0] + " …"
    return html.escape(text)
