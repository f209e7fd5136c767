"""Facts read from one article: title, publication date, ministers named, topics discussed.

Pure functions over the clean body (or the raw HTML for title and date); no Django, so ingest can
re-run them cheaply and tests need no database.
"""

from __future__ import annotations

import datetime
import json
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import htmldate
import lxml.etree
import lxml.html

from search.ingest import cleaning_lines


@dataclass(frozen=True)
class MinisterSpec:
    slug: str
    names: tuple[str, ...]  # the canonical name first, then aliases


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    keywords: tuple[str, ...]  # words or phrases


TITLE_MAX_CHARS = 110
HEADLINE_MAX_CHARS = 160
DATELINE_MAX_CHARS = 80
HEADER_MAX_LINES = 40  # the first paragraph of a page is looked for this far down
TOP_LINES = 5  # a dateline stands in the first few paragraphs; later dates are events, not issues

# --- Dates --------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORDINAL = r"(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# Only full dates: a bare year or "September 2022" says too little to file an article under.
_TEXT_DATE = re.compile(
    rf"(?<!\w)(?:(?P<md_month>{_MONTH})\s+(?P<md_day>{_DAY}){_ORDINAL},?\s+(?P<md_year>{_YEAR})"
    rf"|(?P<dm_day>{_DAY}){_ORDINAL}\s+(?:of\s+)?(?P<dm_month>{_MONTH}),?\s+(?P<dm_year>{_YEAR})"
    rf"|(?P<iso_year>{_YEAR})-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d))(?!\d)",
    re.IGNORECASE,
)
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6}
_MONTHS |= {"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12}


def _date_of(match: re.Match[str]) -> datetime.date | None:
    if match["iso_year"]:
        year, month, day = match["iso_year"], match["iso_month"], match["iso_day"]
    else:
        year = match["md_year"] or match["dm_year"]
        month = _MONTHS[(match["md_month"] or match["dm_month"])[:3].lower()]
        day = match["md_day"] or match["dm_day"]
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:  # "February 30, 2024": looks like a date, is not one
        return None


def _first_date(text: str) -> datetime.date | None:
    return next(filter(None, map(_date_of, _TEXT_DATE.finditer(text))), None)


# Dates that do not date the article: a widget's "today", the weather, a copyright line, a
# stamp of a later edit. Matched in the line the date stands in (a stamp: just before the date).
_NOT_ARTICLE_DATE_LINE = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|^today\b|\btoday(?: is|['’]s date)\b|\bweather\b"
    r"|\bforecast\b|°|\bit is (?:currently|now)\b|\blast visit\b"
    r"|\b(?:current|local|server) (?:server )?(?:time|date)\b",
    re.IGNORECASE,
)
# A date line among a widget's lines ("Today in New Delhi, India", "31°C", "Humidity 64%",
# "Sensex 73,651 -0.2%") is the widget's: the day the page was served, not the story's.
WIDGET_NEIGHBOURHOOD = 1  # lines either side; a headline and a byline may follow the widget
_WIDGET_KINDS = frozenset({"weather-widget", "market-ticker"})
_EDIT_STAMP = re.compile(
    r"\b(?:updated|last (?:updated|modified|edited)|modified|edited|revised|corrected)\b"
    r"(?:\s+(?:on|at))?[\s:,|–—-]*(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*)?[^\w]*"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?$",
    re.IGNORECASE,
)
# "By Jane Doe | March 3, 2024", "Published 3 March 2024", "TOKYO, March 3, 2024 -": the
# byline and dateline of the article itself.
_BYLINE = re.compile(
    r"^(?:by\s|published|posted|filed|first published)|^(?-i:[A-Z][A-Z .'-]{1,40}),\s",
    re.IGNORECASE,
)
_PROSE = re.compile(r"^(?:\S+\s+){11,}.*[.!?][\"”’')]*$")  # a paragraph: a dozen words, then a stop


def _article_start(lines: list[str], title: str) -> int:
    """The title's line (lines above it are the page's header), else the first line."""
    wanted = " ".join(title.split())
    if wanted:
        for index, line in enumerate(lines[: TOP_LINES * 2]):
            if " ".join(line.split()) == wanted:
                return index
    return 0


def _is_widget_line(line: str) -> bool:
    return cleaning_lines.line_evidence(line).furniture in _WIDGET_KINDS


def _near_a_widget(lines: list[str], index: int) -> bool:
    """Whether the line is within reach of a weather widget or a market ticker: the dates
    there are the widget's own. Asked of date lines only (few): the widget test is costly."""
    reach = range(max(0, index - WIDGET_NEIGHBOURHOOD), index + WIDGET_NEIGHBOURHOOD + 1)
    return any(
        len(lines[other]) <= DATELINE_MAX_CHARS and _is_widget_line(lines[other])
        for other in reach
        if other < len(lines)
    )


def _article_dates(line: str) -> list[tuple[datetime.date, bool]]:
    """The full dates in a line that may date the article, each with whether it is an edit
    stamp ("Updated March 5"); none from a widget's or a copyright line."""
    if "19" not in line and "20" not in line:  # every full date has its year, 19xx or 20xx
        return []
    if _NOT_ARTICLE_DATE_LINE.search(line):
        return []
    found = []
    for match in _TEXT_DATE.finditer(line):
        if date := _date_of(match):
            found.append((date, bool(_EDIT_STAMP.search(line[: match.start()]))))
    return found


def find_published(body: str, *, title: str = "") -> datetime.date | None:
    """The article's own date, chosen by where it sits, not by which comes first: a byline or
    a dateline ("By ... | March 3, 2024", "TOKYO, March 3, 2024 -") near the top; else the date
    line nearest above the first paragraph (a page's header date sits higher up); else a date
    in the opening paragraphs; else the first date in the body. Dates above the title (when
    ``title`` is given), in weather, market or "today" widgets or next to them, in clocks
    ("It is currently ...") and in copyright lines never date the article; an "updated"
    stamp dates it only when there is no other date."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    start = _article_start(lines, title)
    header_end = min(len(lines), start + HEADER_MAX_LINES)  # menus, title, byline, dateline
    first_paragraph = next(
        (i for i in range(start, header_end) if _PROSE.match(lines[i])), start + TOP_LINES
    )
    best: tuple[int, int, datetime.date] | None = None
    for index, line in enumerate(lines[start:], start):
        found = _article_dates(line)
        if not found or (_near_a_widget(lines, index) and not _BYLINE.search(line)):
            continue
        dates = [date for date, stamp in found if not stamp]
        if not dates:
            # an edit stamp dates the article only when nothing else does: the last resort
            stamps = [date for date, stamp in found if stamp]
            candidate = (4, index, stamps[0]) if stamps else None
            best = min(best, candidate) if best and candidate else best or candidate
            continue
        near_top = index - start < TOP_LINES
        if near_top and _BYLINE.search(line) and len(line) <= DATELINE_MAX_CHARS * 2:
            candidate = (0, index, dates[0])
        elif index < first_paragraph and len(line) <= DATELINE_MAX_CHARS:
            candidate = (1, -index, dates[0])  # the lowest date line above the paragraphs
        else:
            candidate = (2 if near_top else 3, index, dates[0])
        best = min(best, candidate) if best else candidate
    return best[2] if best else None


# --- Titles -------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*(?=\s+[\"'“‘(]?[A-Z0-9]|\s*$)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "jr", "sr", "no", "gen", "lt", "col", "vs", "etc"}
# "NEW DELHI: ", "TOKYO (Reuters) - ": the place a story was filed from, not its first words.
_DATELINE_PREFIX = re.compile(r"^[A-Z][A-Z .,'-]{1,40}(?:\([^)]{1,40}\))?\s*[:–—-]\s+")


def _is_dateline_or_place(line: str) -> bool:
    """ "New Delhi", "Politics", "14:07 JST, March 8, 2024": labels above a story, not headlines."""
    if len(line) > DATELINE_MAX_CHARS:
        return False
    return len(re.findall(r"[^\W\d_]+", line)) < 3 or bool(_TEXT_DATE.search(line))


def _is_headline(line: str) -> bool:
    ends_sentence = line.endswith(".") and not line.endswith("...")
    return len(line) <= HEADLINE_MAX_CHARS and not ends_sentence


def _first_sentence(paragraph: str) -> str:
    for end in _SENTENCE_END.finditer(paragraph):
        last_word = (paragraph[: end.start()].rsplit(None, 1) or [""])[-1].lower()
        # "S. Jaishankar", "U.S. officials", "Mr. Modi": a period that ends no sentence
        if len(last_word) > 1 and "." not in last_word and last_word not in _ABBREVIATIONS:
            return paragraph[: end.end()]
    return paragraph


def _shorten(text: str, limit: int = TITLE_MAX_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    cut = cut[: cut.rindex(" ")] if " " in cut else cut
    clause_end = cut.rfind(", ")
    if clause_end > limit * 0.6:  # end on a whole clause when one ends near the limit
        cut = cut[:clause_end]
    return cut.rstrip(" ,;:–—-") + "…"


def _title_from_paragraph(paragraph: str) -> str:
    sentence = _first_sentence(_DATELINE_PREFIX.sub("", paragraph)).strip()
    return _shorten(sentence.removesuffix(".") if not sentence.endswith("...") else sentence)


def split_title(body: str) -> tuple[str, str]:
    """(title, rest of body): a headline-like first line is taken out of the body; a body that
    opens with its lead paragraph keeps it, and the title is that paragraph's first sentence."""
    lines = body.split("\n")
    real = [index for index, line in enumerate(lines) if line.strip()]
    if not real:
        return "", body
    # a place ("New Delhi") or a dateline may stand above the headline
    first = next((i for i in real if not _is_dateline_or_place(lines[i].strip())), real[0])
    line = " ".join(lines[first].split())
    if _is_dateline_or_place(line) or not _is_headline(line):
        return _title_from_paragraph(line), body
    after = first + 1
    while after < len(lines) and not lines[after].strip():
        after += 1
    return line, "\n".join(lines[:first] + lines[after:])


# --- HTML ---------------------------------------------------------------------------------------

_PUBLISHED_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "publishdate",
    "pubdate",
    "date",
    "dc.date.issued",
    "dc.date",
)
# the last " | Site" or " - Site" (the site's name may hold a hyphen: " – Indo-Pacific Review")
_SITE_SUFFIX = re.compile(r"\s+[|–—-]\s+(?:(?!\s[|–—-]\s).){1,40}$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse_html(html: str) -> lxml.html.HtmlElement | None:
    try:  # lxml refuses a str that declares its own encoding; the str is already decoded
        return lxml.html.document_fromstring(_XML_DECLARATION.sub("", html))
    except lxml.etree.ParserError:  # "Document is empty": nothing to read, so nothing found
        return None


def _meta_values(page: lxml.html.HtmlElement) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in page.iter("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        values.setdefault(key.strip().lower(), (meta.get("content") or "").strip())
    return values


def html_title(html: str) -> str | None:
    """og:title, else the first <h1>, else <title> without its " | Site" suffix."""
    page = _parse_html(html)
    if page is None:
        return None
    if og_title := " ".join(_meta_values(page).get("og:title", "").split()):
        return og_title
    for tag in ("h1", "title"):
        for element in page.iter(tag):
            if text := " ".join(element.text_content().split()):
                return (_SITE_SUFFIX.sub("", text) or text) if tag == "title" else text
    return None


def _values_under(data: object, key: str) -> Iterator[object]:
    """Every data[key] in nested JSON, outermost first (an @graph, a list of things)."""
    if isinstance(data, dict):
        if key in data:
            yield data[key]
        data = list(data.values())
    if isinstance(data, list):
        for value in data:
            yield from _values_under(value, key)


def _json_ld_dates(page: lxml.html.HtmlElement) -> Iterator[object]:
    for script in page.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:  # sites ship broken JSON-LD; the other sources of a date still count
            continue
        yield from _values_under(data, "datePublished")


def _published_candidates(page: lxml.html.HtmlElement) -> Iterator[object]:
    meta = _meta_values(page)
    yield from (meta.get(name) for name in _PUBLISHED_META)
    yield from _json_ld_dates(page)
    # <time> comes last: pages carry many of them (comments, related stories), the first may lie
    yield from page.xpath("//time/@datetime")


def html_published_by_rules(html: str) -> datetime.date | None:
    """The publisher's own date (meta, JSON-LD, <time>), as written: no shift to UTC."""
    page = _parse_html(html)
    if page is None:
        return None
    for value in _published_candidates(page):
        if isinstance(value, str) and (found := _first_date(value)):
            return found
    return None


def _htmldate_published(html: str) -> datetime.date | None:
    try:
        found = htmldate.find_date(html, original_date=True, extensive_search=True)
    except ValueError:  # htmldate refuses some malformed pages; our rules had their turn
        return None
    return datetime.date.fromisoformat(found) if found else None


def html_published(html: str) -> datetime.date | None:
    """The page's publication date: the publisher's own markup first, then htmldate's reading
    of the page (URL, visible dates, ...) where the markup says nothing."""
    return html_published_by_rules(html) or _htmldate_published(html)


# --- Ministers and topics -----------------------------------------------------------------------

_NAME_GAP = re.compile(r"[\s.,]+")  # "S. Jaishankar", "S Jaishankar", "Rajnath. Singh"
_PHRASE_GAP = re.compile(r"[\s\-‐‑–]+")  # "cyber-security" = "cyber security"
_COMBINING_MARKS = re.compile(r"[\u0300-\u036f]")
Words = tuple[str, ...]


def _fold(text: str) -> str:
    """Accents off, so "Jaishankar" matches "Jaïshankar".

    NFKD also splits the one letter whose .lower() is two ("İ"), so folded.lower() keeps the
    length of folded and a match's span in the one is the same words in the other.
    """
    if text.isascii():
        return text
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


@dataclass(frozen=True)
class _Matcher:
    """One alternation over every phrase, and who or what each phrase stands for.

    The regex runs over lowercased text with no capture groups: IGNORECASE and one group per
    phrase each made matching several times slower. The words matched find their targets.
    """

    pattern: re.Pattern[str]
    gap: re.Pattern[str]
    # lowercased words -> (slug, exact words or None): exact words must match in their case
    targets: dict[Words, tuple[tuple[str, Words | None], ...]]


def _build_matcher(
    phrases: list[tuple[Words, str, bool]], gap: re.Pattern[str], suffix: str
) -> _Matcher:
    """phrases: (words, slug, case-sensitive); longest first, so "cyber space" beats "space"."""
    targets: dict[Words, list[tuple[str, Words | None]]] = {}
    for words, slug, case_sensitive in phrases:
        key = tuple(word.lower() for word in words)
        targets.setdefault(key, []).append((slug, words if case_sensitive else None))
    keys = sorted(targets, key=lambda words: (len(words), sum(map(len, words))), reverse=True)
    alternatives = "|".join(gap.pattern.join(map(re.escape, words)) for words in keys)
    pattern = rf"(?<!\w)(?:{alternatives}){suffix}(?!\w)" if keys else r"(?!)"
    return _Matcher(re.compile(pattern), gap, {k: tuple(v) for k, v in targets.items()})


def _singular(words: Words) -> Words:
    return (*words[:-1], words[-1][:-1]) if words and words[-1][-1:] in "sS" else words


def _matched_slugs(matcher: _Matcher, text: str) -> set[str]:
    folded = _fold(text)
    slugs: set[str] = set()
    for match in matcher.pattern.finditer(folded.lower()):
        words = tuple(w for w in matcher.gap.split(folded[match.start() : match.end()]) if w)
        key = tuple(word.lower() for word in words)
        targets = matcher.targets.get(key) or matcher.targets.get(_singular(key), ())
        for slug, exact in targets:
            if exact is None or exact in (words, _singular(words)):
                slugs.add(slug)
    return slugs


def _words(phrase: str, gap: re.Pattern[str]) -> Words:
    return tuple(word for word in gap.split(_fold(phrase).strip()) if word)


@lru_cache(maxsize=8)
def _minister_matcher(ministers: tuple[MinisterSpec, ...]) -> _Matcher:
    phrases = []
    for minister in ministers:
        for name in minister.names:
            if words := _words(name, _NAME_GAP):
                phrases.append((words, minister.slug, False))
                # "Kihara Minoru": Japanese order; not for initials ("Jaishankar S" is no name)
                if len(words) == 2 and min(map(len, words)) > 1:
                    phrases.append((words[::-1], minister.slug, False))
    return _build_matcher(phrases, _NAME_GAP, suffix="")


@lru_cache(maxsize=8)
def _topic_matcher(topics: tuple[TopicSpec, ...]) -> _Matcher:
    phrases = [
        (words, topic.slug, keyword.isupper())  # "ODA", "G4": acronyms, not the words oda, g4
        for topic in topics
        for keyword in topic.keywords
        if (words := _words(keyword, _PHRASE_GAP))
    ]
    return _build_matcher(phrases, _PHRASE_GAP, suffix="s?")


def find_ministers(body: str, ministers: Sequence[MinisterSpec]) -> set[str]:
    """Slugs of the ministers named in the body, by any name or alias given, as whole words."""
    return _matched_slugs(_minister_matcher(tuple(ministers)), body)


def find_topics(body: str, topics: Sequence[TopicSpec]) -> set[str]:
    """Slugs of the topics whose keywords occur; the longest keyword at a place takes its words."""
    return _matched_slugs(_topic_matcher(tuple(topics)), body)
