"""Where the article sits in a text dump: each line weighed by the evidence a person would use.

A text dump (a page copied with select-all) holds the article between the site's menus, widgets
and footers. Each line gets a weight: prose (long, many function words, punctuated) counts for
the article, menu-shaped lines (short, title-case, link-list items, handles, prices) count
against it, and a line that matches a named kind of site furniture counts strongly against it.
The article is the run of lines with the greatest total weight, the densest stretch of prose,
so a short subhead, a list item or a table row between prose paragraphs stays with them while a
menu of forty short links above them does not. The headline and the lines between it and the
prose (byline, dateline, place) are kept with the article.

Pure functions over lists of normalised lines; no Django.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

# Function words: prose is full of them, menus and headline lists are not (justext's signal).
STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself said says one two may might must shall
    us""".split()  # noqa: SIM905 (a word list reads better as words)
)

# Names a market ticker shows: stock indexes, commodities, coins, currency pairs ("EUR/USD").
_MARKET_NAMES = (
    r"(?:dow(?: jones)?(?: industrial average)?|djia|nasdaq(?: composite| 100)?|s&p(?: 500| 100)?"
    r"|s&p/asx 200|asx(?: 200)?|russell 2000|ftse(?: 100| 250| mib)?|dax|cac(?: 40)?|ibex(?: 35)?"
    r"|stoxx(?: 600| 50)?|euro stoxx 50|nikkei(?: 225)?|topix|hang seng|shanghai composite|kospi"
    r"|sensex|nifty(?: 50| bank)?|bse|nse|tsx|bovespa|ibovespa|gold|silver|crude(?: oil)?|brent"
    r"|wti|natural gas|bitcoin|btc|ethereum|eth|[a-z]{3}/[a-z]{3})"
)

# Named kinds of site furniture: (reason, pattern, the most words such a line has). A pattern
# with a leading "^" must match the whole line; the others are searched for in it. The word limit
# keeps an article's sentence about copyright, cookies or subscriptions out of reach.
FURNITURE_RULES = tuple(
    (reason, re.compile(pattern.removeprefix("^"), re.IGNORECASE), pattern.startswith("^"), limit)
    for reason, pattern, limit in (
        ("copyright-line", r"©|\(c\)\s*\d{4}|\Acopyright\b|\ball rights reserved\b", 25),
        (
            "cookie-notice",
            r"\b(?:we|this (?:site|website)|our (?:site|website)) uses? cookies\b"
            r"|\bcookies? (?:policy|settings|preferences|notice)\b"
            r"|\b(?:our use of|accept(?: all)?) cookies\b"
            r"|\bcookies\b.*\b(?:this|our) (?:site|website)\b",
            60,
        ),
        (
            "cookie-notice",
            r"^(?:privacy policy|terms of (?:use|service)|accept(?: all)?(?: cookies)?|reject all"
            r"|manage (?:cookies|settings|preferences))\W*",
            4,
        ),
        (
            "ad-placeholder",
            r"^(?:advertisement|advertising|sponsored(?: content| by\W*(?:\w+\W*){0,3})?|promoted"
            r"|(?:ads?\W*\d{0,2}\W*){1,6}|ads? by \w+|ad ?choices|remove ads"
            r"|advertise(?: with us| here)?"
            r"|story continues (?:below|after) (?:this )?(?:advertisement|ad))\W*"
            # "Advertisement - Scroll to continue": the slot's label and what it asks of a reader
            r"|^advertisement\s*[-–—:|]\s*[^.!?]{1,50}",
            8,
        ),
        (
            "share-prompt",
            r"^(?:share|share this(?: article| story| post| page)?|share on \w+|tweet|e-?mail"
            r"|print|copy link|link copied|follow us(?: on \w+)?|(?:like|follow) us on .{1,30})\W*",
            8,
        ),
        (
            "subscribe-prompt",
            r"\A(?:subscribe|sign up|sign in|log ?in|register|create (?:an|your) account"
            r"|become a (?:member|subscriber))\b|\bsubscribe (?:to|now|today|for)\b"
            r"|\b(?:already|become) a (?:subscriber|member)\b|\bsubscribers? only\b",
            12,
        ),
        ("weather-widget", r"\d\s*°\s*[CF]?\b", 8),
        (
            # a weather widget's labels, bare or with their figures ("Humidity 64%",
            # "Sunrise 6:12 AM"), and its place and day ("Today in New Delhi, India")
            "weather-widget",
            r"^(?:(?:humidity|precipitation|dew point|weather(?: today| forecast| now)?)\W*"
            r"|(?:humidity|precipitation|dew point|sunrise|sunset|wind|feels like|uv index"
            r"|visibility|air quality|aqi|pressure)\W*(?:[nsew]{1,3}\s+)?\d[\d.,:]*\s*%?"
            r"(?:\s*\(?[a-z/°]{1,12}\.?\)?){0,2}"
            r"|today(?:['’]s weather)? in [^.!?:]{2,40}|today is\b[^.!?]{0,40})",
            8,
        ),
        (
            # an index, a commodity or a currency pair with its figures and its change
            # ("Sensex 73,651.35 -0.21%", "Dow ▲ 120.5 (0.3%)"); several may share a line
            "market-ticker",
            rf"^(?:{_MARKET_NAMES}\W*(?:[\d.,]+\s*%?\s*(?:pts?\s*)?)?"
            r"[+\-−▲▼↑↓]\s*[\d.,]+\s*%?\W*(?:[+\-−]?\s*[\d.,]+\s*%\W*)?){1,8}",
            30,
        ),
        (
            "social-handle",
            r"^(?:facebook|twitter|x|instagram|linkedin|youtube|tiktok|pinterest|whatsapp"
            r"|telegram|reddit|threads|bluesky|rss|mastodon|x/twitter)\W*|@\w{2,30}",
            3,
        ),
        (
            "more-from-site",
            r"^(?:more (?:from|in|on) .{1,40}|see (?:all|more)(?: .{1,30})?|view (?:all|more)"
            r"(?: .{1,30})?|load more|show more|next (?:article|story|post)"
            r"|previous (?:article|story|post))\W*",
            8,
        ),
    )
)
_FURNITURE_MAX_WORDS = max(limit for *_, limit in FURNITURE_RULES)

# what is stripped from each side of a token to leave its word (str.split and str.strip run in
# C: several times faster than a word regex over every line of a dump)
_NOT_WORD_CHARACTERS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~“”‘’«»–—…•·|0123456789"
_DIGITS = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*$")
_SENTENCE_INSIDE = re.compile(r"\w[.!?;,]\s+\w")

# The weights and shapes below were set on the tuned part of the WCXB development pages
# (bench/cleaning_eval.py; results in docs/cleaning.md).
DENSITY_SAMPLE_CHARS = 300  # a long line's function words are counted in its opening
PROSE_MIN_WORDS = 7
PROSE_MIN_STOP_DENSITY = 0.2  # the share of function words in prose
UNKNOWN_LANGUAGE_PROSE_WORDS = 15  # a long punctuated line is prose in any language
MENU_LINE_COST = 1.5  # what a menu-shaped line costs the run that holds it
MENU_WORD_COST = 1.0  # and each of its words
FURNITURE_COST = 15.0  # a named kind of furniture outweighs a paragraph of prose
SHORT_SENTENCE_WORD_WEIGHT = 0.5  # "The talks resume in May.": prose, if only a little
TITLE_CASE_SHARE = 0.7
MENU_ITEM_MAX_WORDS = 5
MENU_MIN_LINES = 3  # fewer plain lines beside the article are a caption or a note, not a menu
MENU_SHARE = 0.5  # of a stretch beside the article, menu-shaped: the site's
BANNER_MAX_WORDS = 3  # a site's name; a doubled headline is longer
WRAPPED_LINE_MIN_CHARS = 30  # a shorter line without a stop is a label, not wrapped prose
HEADLINE_SEARCH_LINES = 6  # the headline stands this close above the article's prose
HEADLINE_WORDS = range(3, 31)
DATE_LINE_MAX_WORDS = 8
INTRODUCED_LIST_MAX_ITEMS = 40
LIST_ITEM_MAX_WORDS = 25


@dataclass(frozen=True)
class LineEvidence:
    words: int
    stop_density: float
    title_case: bool  # most longer words capitalised: a headline, a name, a menu entry
    ends_sentence: bool  # ends like a sentence, or holds a sentence break
    introduces_list: bool  # ends in a colon: "The band will play:"
    continues_sentence: bool  # starts in lower case or holds a comma: a wrapped line of prose
    has_digits: bool
    furniture: str | None  # the named kind of site furniture it is, if any

    @property
    def is_prose(self) -> bool:
        if self.furniture or self.words < PROSE_MIN_WORDS:
            return False
        if not self.ends_sentence and self.words < UNKNOWN_LANGUAGE_PROSE_WORDS:
            return self.continues_sentence and self.stop_density >= PROSE_MIN_STOP_DENSITY
        if self.stop_density >= PROSE_MIN_STOP_DENSITY:
            return True
        return self.words >= UNKNOWN_LANGUAGE_PROSE_WORDS and self.ends_sentence

    @property
    def is_sentence(self) -> bool:
        """A short sentence ("The talks resume in May."): prose, if only a little."""
        ends = self.ends_sentence or self.introduces_list
        return ends and self.words >= 2 and self.stop_density > 0

    @property
    def is_menu_item(self) -> bool:
        """A link in a menu or a list of other articles: a few words, or a title-case line."""
        if self.furniture:
            return True
        if self.is_prose or self.is_sentence or self.is_data:
            return False
        return self.words <= MENU_ITEM_MAX_WORDS or self.title_case

    @property
    def is_data(self) -> bool:
        """A short line with figures: a score, a price, a table row, a date."""
        return self.has_digits and not self.furniture


def furniture_reason(line: str, words: int) -> str | None:
    if words > _FURNITURE_MAX_WORDS:  # long prose: no rule could apply
        return None
    lowered = line.lower()
    for reason, pattern, whole_line, limit in FURNITURE_RULES:
        if reason == "cookie-notice" and not whole_line and "cookie" not in lowered:
            continue  # the one rule that scans the whole line: skip it where it cannot match
        if words <= limit and (pattern.fullmatch(line) if whole_line else pattern.search(line)):
            return reason
    return None


def _is_title_case(words: list[str]) -> bool:
    """Most longer words capitalised; a line all in upper case says nothing (old magazines and
    telex copy set their prose in capitals)."""
    significant = [word for word in words if len(word) > 3]
    if not any(character.islower() for word in significant for character in word):
        return False
    capitalised = sum(word[0].isupper() for word in significant)
    return capitalised >= TITLE_CASE_SHARE * len(significant) > 0


def line_evidence(line: str) -> LineEvidence:
    # a long line's function words are counted in its opening: the share is the same, and
    # a page of long paragraphs is cleaned in time linear in its length, with a small constant
    tokens = (token.strip(_NOT_WORD_CHARACTERS) for token in line[:DENSITY_SAMPLE_CHARS].split())
    words = [word for word in tokens if word]
    stop = sum(map(STOP_WORDS.__contains__, map(str.lower, words)))
    count = len(words) if len(line) <= DENSITY_SAMPLE_CHARS else line.count(" ") + 1
    return LineEvidence(
        words=count,
        stop_density=stop / len(words) if words else 0.0,
        title_case=count <= HEADLINE_WORDS[-1] and _is_title_case(words),
        ends_sentence=bool(_SENTENCE_END.search(line) or _SENTENCE_INSIDE.search(line)),
        introduces_list=line.endswith(":"),
        continues_sentence=line[:1].islower() or ", " in line,
        has_digits=bool(_DIGITS.search(line)),
        furniture=furniture_reason(line, count),
    )


def _weight(evidence: LineEvidence) -> float:
    if evidence.furniture:
        return -FURNITURE_COST
    if evidence.is_prose:
        return evidence.words * min(1.0, 0.5 + evidence.stop_density)
    if evidence.is_sentence:
        return SHORT_SENTENCE_WORD_WEIGHT * evidence.words
    if evidence.is_data:
        return 0.0
    return -(MENU_LINE_COST + MENU_WORD_COST * evidence.words)


def _continues(line: str, following: str) -> bool:
    """Hard-wrapped prose (wire copy, e-mail): the line stops mid-sentence, the next goes on."""
    if _SENTENCE_END.search(line) or line.endswith(":"):
        return False
    if following[:1].islower():
        return True
    return len(line) >= WRAPPED_LINE_MIN_CHARS and line.rsplit(None, 1)[-1][:1].islower()


def paragraphs(lines: list[str]) -> list[range]:
    """The lines grouped into paragraphs: a hard-wrapped paragraph is weighed as one."""
    groups, start = [], 0
    for index, line in enumerate(lines):
        if index + 1 == len(lines) or not _continues(line, lines[index + 1]):
            groups.append(range(start, index + 1))
            start = index + 1
    return groups


def line_weights(lines: list[str], evidence: list[LineEvidence]) -> list[float]:
    """Each line's weight: a wrapped paragraph's weight shared among its lines by their words,
    and a short line between two prose paragraphs counted as neutral (a subhead or a list
    item inside the article, not a menu)."""
    groups = paragraphs(lines)
    whole = [
        evidence[group.start]
        if len(group) == 1
        else line_evidence(" ".join(lines[i] for i in group))
        for group in groups
    ]
    group_weights = [_weight(item) for item in whole]
    for index in range(1, len(whole) - 1):
        previous, following = whole[index - 1], whole[index + 1]
        # site furniture goes by its own reason: between prose it does not split the article
        neutral = previous.is_prose and following.is_prose
        if group_weights[index] < 0 and neutral:
            group_weights[index] = 0.0
    weights = [0.0] * len(lines)
    for group, item, weight in zip(groups, whole, group_weights, strict=True):
        for index in group:
            weights[index] = weight * max(evidence[index].words, 1) / max(item.words, len(group))
    return weights


def densest_run(weights: list[float]) -> range:
    """The run of lines with the greatest total weight (empty when no line weighs anything)."""
    best, best_start, best_end = 0.0, 0, 0
    total, start = 0.0, 0
    for index, weight in enumerate(weights):
        if total <= 0:
            total, start = 0.0, index
        total += weight
        if total > best:
            best, best_start, best_end = total, start, index + 1
    return range(best_start, best_end)


def _is_headline(line: str, evidence: LineEvidence) -> bool:
    return (
        evidence.words in HEADLINE_WORDS
        and not evidence.furniture
        and not line.rstrip().endswith(".")
    )


def headline_start(lines: list[str], evidence: list[LineEvidence], article_start: int) -> int:
    """Where the article's heading block starts: the longest headline-like line a few lines
    above the prose; the byline, dateline or caption between it and the prose go with it."""
    window = range(max(0, article_start - HEADLINE_SEARCH_LINES), article_start)
    candidates = [i for i in window if _is_headline(lines[i], evidence[i])]
    if not candidates:
        return article_start
    return max(candidates, key=lambda i: (evidence[i].words, i))


def _extended(run: range, weights: list[float]) -> range:
    """The run with the lines of no weight either side of it: a table row or a date that ends
    the article belongs to it as much as one inside it."""
    start, stop = run.start, run.stop
    while start > 0 and weights[start - 1] >= 0:
        start -= 1
    while stop < len(weights) and weights[stop] >= 0:
        stop += 1
    return range(start, stop)


def _with_date_above(evidence: list[LineEvidence], start: int) -> int:
    """A short line of figures right above the headline ("Politics · 4 Sept 2025") is the
    article's date line, which the archive needs to date it."""
    above = evidence[start - 1] if start > 0 else None
    if above and above.is_data and not above.furniture and above.words <= DATE_LINE_MAX_WORDS:
        return start - 1
    return start


def _with_introduced_list(lines: list[str], evidence: list[LineEvidence], stop: int) -> int:
    """The article's last line ends in a colon ("Key topics include:"): the list it introduces
    is the article's, up to the first piece of site furniture or a line too long for a list."""
    if not lines[stop - 1].endswith(":"):
        return stop
    limit = min(len(lines), stop + INTRODUCED_LIST_MAX_ITEMS)
    while (
        stop < limit
        and not evidence[stop].furniture
        and evidence[stop].words <= LIST_ITEM_MAX_WORDS
    ):
        stop += 1
    return stop


def _is_site_furniture(evidence: list[LineEvidence]) -> bool:
    """A stretch beside the article that is a menu, a footer or a widget: several lines, half
    of them menu-shaped, or a named kind of furniture; not a stray line, not a table."""
    if any(item.furniture for item in evidence):
        return True
    menu_items = sum(item.is_menu_item for item in evidence)
    return len(evidence) >= MENU_MIN_LINES and menu_items >= MENU_SHARE * len(evidence)


def with_doubled_banners(evidence: list[LineEvidence], lines: list[str]) -> list[LineEvidence]:
    """A site's name shown twice as a banner (a logo's text, then the name): the same short
    name-shaped line twice in a row above the page's first paragraph. Lower down, a doubled
    line is a table's cells ("Yes", "Yes") or a code sample's file name, and stays."""
    for index, line in enumerate(lines[:-1]):
        if evidence[index].is_prose:
            break
        if line == lines[index + 1] and _is_banner_shaped(evidence[index]):
            banner = dataclasses.replace(evidence[index], furniture="site-banner")
            evidence[index] = evidence[index + 1] = banner
    return evidence


def _is_banner_shaped(evidence: LineEvidence) -> bool:
    return (
        evidence.words <= BANNER_MAX_WORDS
        and evidence.title_case
        and not (evidence.has_digits or evidence.ends_sentence or evidence.furniture)
    )


def article_span(lines: list[str]) -> tuple[range, list[LineEvidence]]:
    """The lines that hold the article (headline block to the end of its prose), and each
    line's evidence. Text with no prose at all (a table, a list) is all article, and so is a
    stretch of one or two plain lines beside it."""
    evidence = with_doubled_banners([line_evidence(line) for line in lines], lines)
    weights = line_weights(lines, evidence)
    run = densest_run(weights)
    if not run:
        return range(len(lines)), evidence
    run = _extended(run, weights)
    start = _with_date_above(evidence, headline_start(lines, evidence, run.start))
    stop = _with_introduced_list(lines, evidence, run.stop)
    if not _is_site_furniture(evidence[:start]):
        start = 0
    if not _is_site_furniture(evidence[stop:]):
        stop = len(lines)
    return range(start, stop), evidence


def repeated_line_is_boilerplate(lines: list[str], index: int) -> bool:
    """A line its source repeats across articles is the site's, unless it is article text where
    it stands: part of a wrapped paragraph, a sentence, a figure, or a label in a table."""
    line = lines[index]
    evidence = line_evidence(line)
    if evidence.furniture:
        return True
    if evidence.is_prose or evidence.is_sentence or evidence.is_data:
        return False
    before = lines[index - 1] if index > 0 else ""
    after = lines[index + 1] if index + 1 < len(lines) else ""
    if (before and _continues(before, line)) or (after and _continues(line, after)):
        return False
    return not any(line_evidence(neighbour).is_data for neighbour in (before, after) if neighbour)
