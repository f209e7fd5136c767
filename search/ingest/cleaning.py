"""Raw article (text dump or HTML page) -> the article's paragraphs, and what was removed and why.

Every removal carries a reason an editor can review; the editor's keep/drop lines and the
archive's site-wide repeated lines are applied on every run, so re-cleaning never undoes them.
Text dumps: search.ingest.reflowing joins hard-wrapped paragraphs, then the rules here for
markers, promos, comments and headline lists, and search.ingest.cleaning_lines finds the
article among the site's menus and widgets. A body given as text (a record's ``body``) is the
article: only the evidence rules apply to it (``clean_given_body``). HTML pages:
search.ingest.cleaning_html finds the article's paragraphs, and the same rules apply to them.
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from search.ingest import cleaning_lines, reflowing


@dataclass(frozen=True)
class RemovedBlock:
    text: str  # the removed line or block (whitespace-normalised), as it stood in the input
    reason: str  # short kebab-case reason, e.g. "page-marker", "ranking-list"


@dataclass(frozen=True)
class CleanedText:
    body: str  # the article: paragraphs joined by "\n\n", each paragraph one line
    removed: tuple[RemovedBlock, ...]  # in input order


# Whole-line rules, in order of precedence: (reason, pattern).
_LINE_RULES = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        (
            "page-marker",
            r"(?:[↑^]\s*)?(?:(?:back|go|return|scroll) to (?:the )?top(?: of (?:the )?page)?"
            r"|(?:top|bottom) of (?:the )?page"
            r"|(?:skip|jump) to (?:main )?(?:content|navigation))\W*",
        ),
        (
            "read-more-promo",
            r"(?:read more|continue reading|read (?:the )?full (?:story|article))\W*"
            r"|(?:read more|read also|also read|see also)\s*[:|»›→\-–—]\s*\S.*"
            r"|.*?(?:\s[-–—|:»]|…|\.\.\.)\s*read more\W*",
        ),
        (
            "newsletter-promo",
            r".*\b(?:newsletter|briefing|inbox)\b.*\b(?:sign up|subscribe|register)"
            r"(?: here| now| today| for free)?\W*",
        ),
    )
)
_COMMENTS_MARKER = re.compile(
    r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?|comments (?:are|have been) (?:closed|disabled)\.?"
    r"|(?:leave|add|post|write) (?:a |your )?(?:comment|reply)\.?"
    r"|(?:show|view|load|read|see) (?:all )?(?:\d+ )?comments\W*"
    r"|join the (?:conversation|discussion)",
    re.IGNORECASE,
)
# An optional quoted section ('"Politics" POPULAR ARTICLE') or short upper-case site prefix
# ("JN ACCESS RANKING"), then the name of a list of other articles.
_RANKING_MARKER = re.compile(
    r"(?:[\"“‘'«][^\"”’'»]{1,40}[\"”’'»]\s*)?(?-i:[A-Z]{2,5}\s+)?"
    r"(?:popular (?:articles?|stories|news)|most (?:read|popular|viewed|shared|commented)"
    r"(?: articles| stories| news)?|(?:access )?ranking|also read|read also|see also"
    r"|related(?: articles?| stories| news| posts| content| coverage| links| reading)?"
    r"|recommended(?: for you| stories| articles| reading)?|trending(?: now| stories| news)?"
    r"|you (?:may|might) also like|more from .{1,40}|more (?:stories|news|headlines)|top stories"
    r"|latest (?:news|stories|headlines)|editors?['’]? picks|don['’]t miss|further reading)"
    r"\s*[:»›]?",
    re.IGNORECASE,
)
_PROMO_MAX_CHARS = 300
_SEPARATOR = re.compile(r"[-–—=_*•·|:\s]+")
_BULLET = re.compile(r"[-–—•·*▪►‣◦]\s+(?=\S)")
_HEADLINE_WORDS = range(4, 31)  # a list of links has items this long (in words)
_LIST_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# An item with a date, a time, a price or a score ("Oct 12 - Chicago", "Day 3:", "3-1", "$25"):
# the article's own list (tour dates, itineraries, results), not a list of other articles.
_OWN_LIST_ITEM = re.compile(
    rf"(?:\d{{1,2}}\s+{_LIST_MONTH}|{_LIST_MONTH}\s*\d|(?:day|step|stage|round|week|part)\s+\d)"
    r"|.*(?:\b\d{1,2}[:.]\d{2}\b|[$€£¥₹]\s?\d|\b\d+\s?[-–]\s?\d+\b)",
    re.IGNORECASE,
)
# A numbered item ("1. Soak the beans"): a step of the article's own, unless a ranking marker
# ("Most read") heads the list, whose entries are numbered too.
_NUMBERED_ITEM = re.compile(r"\d{1,2}[.)]?\s")
_MIN_TRAILING_HEADLINES = 3


def normalise_line(line: str) -> str:
    """Collapse every whitespace run (NBSP included) to one space and strip."""
    return " ".join(line.split())


def normalised(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(map(normalise_line, lines))


def _txt_lines(raw: str, *, titled: bool = False) -> list[str]:
    """The text's paragraphs: its non-empty lines, hard-wrapped paragraphs joined."""
    return reflowing.reflowed_lines(raw, titled=titled)


def _item_text(line: str) -> str:
    """The line without a leading list bullet."""
    bullet = _BULLET.match(line)
    return line[bullet.end() :] if bullet else line


def ends_sentence(line: str) -> bool:
    stripped = line.rstrip("\"”’'»)]")
    return bool(stripped) and stripped[-1] in ".!?:;…"


def _is_list_line(line: str) -> bool:
    """A separator, or a line short of a sentence: an item in a list of links."""
    item = _item_text(line)
    short = len(item.split()) <= _HEADLINE_WORDS[-1] and not ends_sentence(item)
    return short or bool(_SEPARATOR.fullmatch(line))


def _is_own_list_item(line: str, *, numbered: bool = True) -> bool:
    """A tour date, an itinerary day, a result, a price (and, unless ``numbered`` is False, a
    numbered step): an item of the article's own list, which another article's headline is not."""
    item = _item_text(line)
    return bool(_OWN_LIST_ITEM.match(item) or (numbered and _NUMBERED_ITEM.match(item)))


def _is_list_of_own_items(items: list[str]) -> bool:
    """Half the items under a ranking marker are dates, prices or results: the article's list."""
    items = [item for item in items if not _SEPARATOR.fullmatch(item)]
    own = sum(_is_own_list_item(item, numbered=False) for item in items)
    return bool(items) and own * 2 >= len(items)


def _is_headline(line: str) -> bool:
    """Several Title Case words and no sentence end: another article's headline."""
    item = _item_text(line)
    if _is_own_list_item(item):
        return False
    words = item.split()
    significant = [word for word in words if len(word) > 3 and word[0].isalpha()]
    title_case = sum(word[0].isupper() for word in significant) >= 0.7 * len(significant) > 0
    return len(words) in _HEADLINE_WORDS and title_case and not ends_sentence(item)


def _evidence_reason(line: str, keep, drop, sitewide) -> str | None:
    """The editor's decision, else the source's: a line in most of its articles."""
    if line in keep:
        return None
    if line in drop:
        return "editor-drop"
    return "sitewide-line" if line in sitewide else None


def _line_reason(line: str, keep, drop, sitewide) -> str | None:
    if line in keep or line in drop or line in sitewide:
        return _evidence_reason(line, keep, drop, sitewide)
    if len(line) > _PROMO_MAX_CHARS:  # a paragraph, not a marker or a promo
        return None
    return next((reason for reason, pattern in _LINE_RULES if pattern.fullmatch(line)), None)


def _mark_repeated_boilerplate(lines: list[str], reasons: list, keep, repeated) -> None:
    """Lines the source repeats across its articles go when they look like the site's own
    (a name, a prompt, a menu entry), not when they are article text where they stand."""
    for index, line in enumerate(lines):
        if line in repeated and cleaning_lines.repeated_line_is_boilerplate(lines, index):
            _mark(reasons, lines, [index], "repeated-line", keep)


def _mark(reasons: list, lines: list[str], indexes: Iterable[int], reason: str, keep) -> None:
    for index in indexes:
        if reasons[index] is None and lines[index] not in keep:
            reasons[index] = reason


def _mark_ranking_blocks(lines: list[str], reasons: list, keep) -> None:
    """A marker ("Most read") and the list of links after it; removed lines do not end a list."""
    index = 0
    while index < len(lines):
        if lines[index] not in keep and _RANKING_MARKER.fullmatch(lines[index]):
            end = index + 1
            while end < len(lines) and (reasons[end] or _is_list_line(lines[end])):
                end += 1
            own_list = _is_list_of_own_items(lines[index + 1 : end])
            # a lone marker before prose may be a subhead
            if (end > index + 1 or end == len(lines)) and not own_list:
                _mark(reasons, lines, range(index, end), "ranking-list", keep)
                index = end
        index += 1


def _mark_comments_footer(lines: list[str], reasons: list, keep) -> None:
    """A comments marker after most of the text, and everything after it."""
    words = [len(line.split()) for line in lines]
    words_before, total = 0, sum(words)
    for index, line in enumerate(lines):
        near_end = total - words_before - words[index] < words_before
        if near_end and line not in keep and _COMMENTS_MARKER.fullmatch(line):
            _mark(reasons, lines, range(index, len(lines)), "comments-footer", keep)
            return
        words_before += words[index]


def _mark_trailing_headlines(lines: list[str], reasons: list, keep) -> None:
    """A run of other articles' headlines at the end of the text, without a marker."""
    run, headlines = [], 0
    for index in range(len(lines) - 1, 0, -1):  # the first line is never part of the run
        line = lines[index]
        if reasons[index]:
            continue
        if not (_SEPARATOR.fullmatch(line) or _is_headline(line)):
            if line in keep:  # the editor's line stays; the list around it still goes
                continue
            break
        run.append(index)
        headlines += not _SEPARATOR.fullmatch(line)
    else:
        return  # nothing but headlines: a list-shaped article, not a list after one
    if line.endswith(":"):  # "The tour takes in:": the article introduces its own list
        return
    if headlines >= _MIN_TRAILING_HEADLINES:
        _mark(reasons, lines, run, "ranking-list", keep)


def _mark_outside_article(lines: list[str], reasons: list, keep) -> None:
    """Lines before the article's heading block or after its prose, and site furniture inside;
    judged over the lines that no earlier rule removed."""
    remaining = [index for index, reason in enumerate(reasons) if reason is None]
    span, evidence = cleaning_lines.article_span([lines[index] for index in remaining])
    for position, index in enumerate(remaining):
        if evidence[position].furniture:
            _mark(reasons, lines, [index], evidence[position].furniture, keep)
        elif position < span.start:
            _mark(reasons, lines, [index], "before-article", keep)
        elif position >= span.stop:
            _mark(reasons, lines, [index], "after-article", keep)


def clean_lines(
    lines: list[str],
    *,
    repeated_lines,
    keep_lines,
    drop_lines,
    sitewide_lines=(),
    find_article: bool = False,
) -> CleanedText:
    keep, drop, repeated, sitewide = map(
        normalised, (keep_lines, drop_lines, repeated_lines, sitewide_lines)
    )
    reasons = [_line_reason(line, keep, drop, sitewide) for line in lines]
    _mark_repeated_boilerplate(lines, reasons, keep, repeated)
    _mark_ranking_blocks(lines, reasons, keep)
    _mark_comments_footer(lines, reasons, keep)
    _mark_trailing_headlines(lines, reasons, keep)
    if find_article:
        _mark_outside_article(lines, reasons, keep)
    pairs = list(zip(lines, reasons, strict=True))
    return CleanedText(
        body="\n\n".join(line for line, reason in pairs if reason is None),
        removed=tuple(RemovedBlock(line, reason) for line, reason in pairs if reason),
    )


def clean_text(
    raw: str,
    *,
    repeated_lines: Collection[str] = (),
    keep_lines: Collection[str] = (),
    drop_lines: Collection[str] = (),
    sitewide_lines: Collection[str] = (),
) -> CleanedText:
    """Clean a plain-text dump: every non-empty line is a paragraph.

    ``repeated_lines`` (seen in several articles of the source) go where they look like the
    site's; ``sitewide_lines`` (in most of the source's articles) go wherever they stand."""
    return clean_lines(
        _txt_lines(raw),
        repeated_lines=repeated_lines,
        keep_lines=keep_lines,
        drop_lines=drop_lines,
        sitewide_lines=sitewide_lines,
        find_article=True,
    )


def clean_given_body(
    raw: str,
    *,
    repeated_lines: Collection[str] = (),
    keep_lines: Collection[str] = (),
    drop_lines: Collection[str] = (),
    sitewide_lines: Collection[str] = (),
) -> CleanedText:
    """Clean a body given as text (a record's ``body``): it is the article, so only what the
    archive's evidence proves is boilerplate goes (lines in most of the source's articles, and
    lines repeated across it that look like the site's where they stand), and the editor's
    drops. No line is judged by its shape or position alone: upper case, hard wrapping and
    short lines are how some archives are, not evidence of furniture."""
    keep, drop, repeated, sitewide = map(
        normalised, (keep_lines, drop_lines, repeated_lines, sitewide_lines)
    )
    lines = _txt_lines(raw, titled=True)
    reasons = [_evidence_reason(line, keep, drop, sitewide) for line in lines]
    _mark_repeated_boilerplate(lines, reasons, keep, repeated)
    pairs = list(zip(lines, reasons, strict=True))
    return CleanedText(
        body="\n\n".join(line for line, reason in pairs if reason is None),
        removed=tuple(RemovedBlock(line, reason) for line, reason in pairs if reason),
    )


def text_lines(raw: str, raw_format: str) -> list[str]:
    """The input's distinct normalised lines ("txt"; "body": a body given as text, its first
    line no headline) or text blocks ("html"), in order; hard-wrapped paragraphs joined."""
    if raw_format in ("txt", "body"):
        lines = _txt_lines(raw, titled=raw_format == "body")
    elif raw_format == "html":
        lines = cleaning_html.html_blocks(raw)
    elif raw_format == "pdf":  # its pages (search.ingest.page_furniture) read as one text
        return text_lines(raw.replace("\f", "\n"), "txt")
    else:
        raise ValueError(f"Unknown raw_format {raw_format!r}: expected 'txt' or 'html'.")
    return list(dict.fromkeys(lines))


# The HTML half, re-exported here: callers clean any input through this module. Imported last,
# because it builds on the definitions above.
from search.ingest import cleaning_html  # noqa: E402
from search.ingest.cleaning_html import clean_html, html_blocks  # noqa: E402

__all__ = [
    "CleanedText",
    "RemovedBlock",
    "clean_given_body",
    "clean_html",
    "clean_lines",
    "clean_text",
    "html_blocks",
    "normalise_line",
    "text_lines",
]
