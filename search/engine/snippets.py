"""Marking a query's words in text: whole titles, and a body's best passages as a snippet
(every engine that analyses text in Python: Whoosh, tantivy).

Whoosh's highlighter runs every word of a body through its token objects, fragmenter and
scorer in Python, a cost every page of hits pays for each of its bodies whatever the
archive's size. Here one regex pass finds the words whose stem the query looks for
(``analysis.word_stem``, as indexing and queries stem words), and the passages are cut
around those matches only.

Everything outside the marks is escaped; the only markup added is <mark>.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from search.engine.analysis import WORD, word_stem

PASSAGES = 3
CONTEXT_CHARS = 50  # shown before the first and after the last match of a passage
PASSAGE_SPAN_CHARS = 100  # furthest a passage's last match may end from its first's start
PLAIN_CHARS = 240  # a snippet without any match: the start of the text
BETWEEN = " … "


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    stem: str


def matches(text: str, terms: set[str]) -> list[Match]:
    """Where the words of ``text`` whose stems are in ``terms`` are (character offsets).

    The text's distinct words are stemmed once each (a body repeats most of its words), and
    only the words found wanted become matches: what ``analyse`` would give, filtered to
    ``terms``, at a fraction of its cost on a long body."""
    if not terms:
        return []
    wanted = {word for word in set(WORD.findall(text)) if word_stem(word) in terms}
    if not wanted:
        return []
    return [
        Match(match.start(), match.end(), word_stem(match.group()))
        for match in whole_words(wanted).finditer(text)
    ]


def whole_words(words: set[str]) -> re.Pattern:
    """Finds these words where ``WORD`` finds them as whole words: not inside a longer word,
    nor joined to one by a dot ("U.S"). Longest first, so no word stops inside another."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w)(?!\.\w)")


def highlight_text(text: str, terms: set[str], *, whole: bool) -> str:
    """Escaped text with the query's words (any form of them) in <mark>: all of ``text`` when
    ``whole``, else its best passages (most distinct words, then most matches, then first),
    in text order, joined by an ellipsis; the text's start when nothing matches."""
    found = matches(text, terms)
    if whole:
        return marked(text, 0, len(text), found)
    if not found:
        return html.escape(shorten(text, PLAIN_CHARS))
    passages = best_passages(group_passages(found))
    return BETWEEN.join(
        marked(text, *passage_bounds(text, passage), passage) for passage in passages
    )


def group_passages(found: list[Match]) -> list[list[Match]]:
    passages = [[found[0]]]
    for match in found[1:]:
        current = passages[-1]
        if match.end - current[0].start <= PASSAGE_SPAN_CHARS:
            current.append(match)
        else:
            passages.append([match])
    return passages


def best_passages(passages: list[list[Match]]) -> list[list[Match]]:
    ranked = sorted(
        range(len(passages)),
        key=lambda i: (-len({m.stem for m in passages[i]}), -len(passages[i]), i),
    )
    return [passages[i] for i in sorted(ranked[:PASSAGES])]


def passage_bounds(text: str, passage: list[Match]) -> tuple[int, int]:
    """The passage's matches with some context, cut at whitespace (never inside a word)."""
    start = max(0, passage[0].start - CONTEXT_CHARS)
    if start > 0:
        space = text.find(" ", start, passage[0].start)
        start = space + 1 if space >= 0 else passage[0].start
    end = min(len(text), passage[-1].end + CONTEXT_CHARS)
    if end < len(text):
        space = text.rfind(" ", passage[-1].end, end)
        end = space if space >= 0 else passage[-1].end
    return start, end


def marked(text: str, start: int, end: int, found: list[Match]) -> str:
    pieces, position = [], start
    for match in found:
        if match.start < start or match.end > end:
            continue
        pieces.append(html.escape(text[position : match.start]))
        pieces.append(f"<mark>{html.escape(text[match.start : match.end])}</mark>")
        position = match.end
    pieces.append(html.escape(text[position:end]))
    return " ".join("".join(pieces).split()) if start or end < len(text) else "".join(pieces)


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"
