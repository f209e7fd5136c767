"""Hard-wrapped text -> its paragraphs, one line each, before any line is judged.

Wire copy, mail archives and text exports break every paragraph into lines of one width. Judged
line by line, the pieces look like what they are not: "U.S. Agriculture Secretary Richard" is a
short title-case line (a menu entry?), and the same piece stands in several stories of the
source (boilerplate?). Joined, it is a sentence again. Lines are joined as a reader of the
printout would: the text has a wrap width (most of its lines end near one column), and a line
goes on into the next one when the sentence runs on and the next line's first word would not
have fitted on it (or the next line starts in lower case). A blank line, a deeper indent or a
list bullet starts a new paragraph; a short line ends one. A list broken over lines inside a
sentence ("Vickers da Costa Ltd; Bache\\nSecurities Ltd; ...") is joined with its sentence.

Pure functions over strings; no Django.
"""

from __future__ import annotations

import re

from search.ingest.cleaning_lines import STOP_WORDS

WRAP_MIN_WIDTH = 30  # narrower columns are lists or verse, not wrapped prose
WRAP_MAX_WIDTH = 100  # wider lines are paragraphs already (a text dump, one line per block)
WRAP_WIDTH_SHARE = 0.9  # the wrap width: the line length this share of the lines stays within
LONG_LINE_MAX_SHARE = 0.1  # more lines wider than WRAP_MAX_WIDTH: not a hard-wrapped text
WRAP_MIN_LINES = 3  # fewer lines near one width show no wrap width
TITLE_CASE_SHARE = 0.7  # as search.ingest.cleaning_lines counts a title-case line
FULL_LINE_SHARE = 0.8  # a line this close to the wrap width is a wrapped line, not a table row
FULL_LINES_SHARE = 0.5  # of a hard-wrapped text's lines, this many reach near its wrap width
TABLE_FIGURE_SHARE = 0.3
_WORD = re.compile(r"[a-z]+")
_INITIALS = re.compile(r"(?:^|\s)(?:[A-Z]\.){1,3}$")  # "S.G." ends a name, not a sentence
_SENTENCE_END = re.compile(r"[.!?:…][\"”’'»)\]]*$")
_LIST_START = re.compile(r"(?:[-–—•·*▪►‣◦]|\d{1,2}[.)]|\(?[a-z]\))\s")


def normalise_line(line: str) -> str:
    """Collapse every whitespace run (NBSP included) to one space and strip."""
    return " ".join(line.split())


def wrap_width(raw_lines: list[str]) -> int | None:
    """The column the text is wrapped at, or None when it is not hard-wrapped."""
    lengths = sorted(len(line.rstrip()) for line in raw_lines if line.strip())
    if len(lengths) < WRAP_MIN_LINES:
        return None
    long_lines = sum(length > WRAP_MAX_WIDTH for length in lengths)
    if long_lines > LONG_LINE_MAX_SHARE * len(lengths):
        return None
    width = lengths[min(len(lengths) - 1, int(WRAP_WIDTH_SHARE * len(lengths)))]
    full_lines = sum(FULL_LINE_SHARE * width <= length <= width for length in lengths)
    enough = full_lines >= max(WRAP_MIN_LINES, FULL_LINES_SHARE * len(lengths))
    wrapped = WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH and enough
    return width if wrapped else None


def _is_title_case(text: str) -> bool:
    """Most longer words capitalised, in a line that has lower case (upper case tells nothing)."""
    significant = [word for word in text.split() if len(word) > 3 and word[0].isalpha()]
    capitalised = sum(word[0].isupper() for word in significant)
    has_lower = any(character.islower() for character in text)
    return has_lower and capitalised >= TITLE_CASE_SHARE * len(significant) > 0


def _has_function_word(text: str) -> bool:
    """Words that hold a sentence together ("the", "of", "said"), in any case."""
    return not STOP_WORDS.isdisjoint(_WORD.findall(text.lower()))


def _is_table_row(text: str) -> bool:
    """Figures and no function words ("Net 12.6 mln vs 15.8 mln"): a row, never wrapped."""
    tokens = text.split()
    figures = sum(any(character.isdigit() for character in token) for token in tokens)
    many = figures >= 2 and figures >= TABLE_FIGURE_SHARE * len(tokens)
    return many and not _has_function_word(text)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def runs_on(line: str, following: str, width: int) -> bool:
    """``following`` (a raw line) continues the paragraph that ``line`` is wrapped in."""
    text, next_text = line.strip(), following.strip()
    if not text or not next_text or _indent(following) > _indent(line):
        return False
    if (
        _LIST_START.match(next_text)
        or not next_text[:1].isalnum()
        and next_text[:1] not in "\"“‘'("
    ):
        return False
    if _is_table_row(text) or _is_table_row(next_text):
        return False
    # a list inside a sentence ("Vickers da Costa Ltd; Bache") goes on, whatever its case
    if not (text.endswith((",", ";")) or "; " in text):
        if _is_title_case(text) and _is_title_case(next_text):  # a list of headlines
            return False
        if not _has_function_word(text):  # a label, not a line of a sentence
            return False
    first_word = next_text.split(None, 1)[0]
    # the line reaches the wrap width, or the next word would not have fitted on it (typeset
    # and scanned text is wrapped raggedly, so either will do)
    length = len(line.rstrip())
    full = length >= FULL_LINE_SHARE * width or length + 1 + len(first_word) > width
    if _SENTENCE_END.search(text) and not _INITIALS.search(text):
        return full and next_text[:1].islower()  # "... Acme Corp." / "said it would"
    return full or next_text[:1].islower()


def opening_runs_on(line: str, following: str, width: int) -> bool:
    """The opening line of a body whose title is given apart is no headline: cut short (wire
    copy's dateline was taken off it), it runs on into a full next line when its sentence does."""
    text, next_text = line.strip(), following.strip()
    if not text or not next_text or _indent(following) > _indent(line):
        return False
    full = len(following.rstrip()) >= FULL_LINE_SHARE * width
    return full and not _SENTENCE_END.search(text) and not _LIST_START.match(next_text)


def reflowed_lines(raw: str, *, titled: bool = False) -> list[str]:
    """The text's non-empty normalised lines, each hard-wrapped paragraph joined into one.

    ``titled``: the text is a body whose title was given apart (a record's ``body``), so its
    first line is article text too."""
    raw_lines = raw.removeprefix("\ufeff").expandtabs().splitlines()
    width = wrap_width(raw_lines)
    paragraphs: list[str] = []
    joined: list[str] = []
    for index, line in enumerate(raw_lines):
        if line.strip():
            joined.append(line)
        following = raw_lines[index + 1] if index + 1 < len(raw_lines) else ""
        opening = titled and len(joined) == 1 and not paragraphs
        if width:
            goes_on = runs_on(line, following, width) or (
                opening and opening_runs_on(line, following, width)
            )
        else:
            goes_on = titled and sentence_goes_on(line, following)
        if joined and not goes_on:
            paragraphs.append(normalise_line(" ".join(joined)))
            joined = []
    return paragraphs


def sentence_goes_on(line: str, following: str) -> bool:
    """In a body too short to show a wrap width: the line stops mid-sentence and the next one,
    no deeper indented, starts in lower case ("... 1.20 dlrs per" / "share.")."""
    text, next_text = line.strip(), following.strip()
    if not text or not next_text or _indent(following) > _indent(line):
        return False
    return next_text[:1].islower() and not _SENTENCE_END.search(text)
