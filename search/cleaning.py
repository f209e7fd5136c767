"""Raw article (text dump or HTML page) -> the article's paragraphs, and what was removed and why.

Every removal carries a reason an editor can review; the editor's keep/drop lines and the
archive's site-wide repeated lines are applied on every run, so re-cleaning never undoes them.

Why trafilatura: finding the article in a page is the hard part of HTML, and trafilatura knows
far more site conventions than our class-name rules. Word F1 on tests/fixtures/html, clean_html /
our bs4 fallback alone / bare trafilatura: asia_ledger 0.93 / 0.87 / 0.90 (hashed class names,
written last as a held-out check: clean_html first scored 0.86, before favor_precision and the
newsletter and dateline rules), tokyo_herald 0.96 / 1.00 / 0.93, delhi_wire 1.00 / 1.00 / 0.95,
indopacific_review 0.99 / 0.99 / 0.98. The fallback stays for pages like ministry_press: its
article sits in class="comment", which trafilatura prunes as reader comments (0.05); the
fallback gets 1.00. favor_precision had the best worst case; fast=True returned whole pages
(menus, rankings) for short briefs. bs4 parsing is ~70% of clean_html's time on big pages.
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

import trafilatura
from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from search import cleaning_lines


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
_HEADLINE_WORDS = range(4, 31)
_LIST_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# An item that starts with a number or a date ("1. Preheat", "Oct 12 - Chicago", "Day 3:") or
# holds a time, a price or a score: the article's own list, not a list of other articles.
_OWN_LIST_ITEM = re.compile(
    rf"(?:\d|{_LIST_MONTH}\s*\d|(?:day|step|stage|round|week|part)\s+\d)"
    r"|.*(?:\b\d{1,2}[:.]\d{2}\b|[$€£¥₹]\s?\d|\b\d+\s?[-–]\s?\d+\b)",
    re.IGNORECASE,
)  # a list of links has items this long (in words)
_MIN_TRAILING_HEADLINES = 3
_PROSE_MIN_WORDS = 8  # a sentence-like paragraph this long is prose, not navigation
_ENOUGH_PROSE_WORDS = 25  # below this, the extractor is thought to have missed the article


def normalise_line(line: str) -> str:
    """Collapse every whitespace run (NBSP included) to one space and strip."""
    return " ".join(line.split())


def _normalised(lines: Iterable[str]) -> frozenset[str]:
    return frozenset(map(normalise_line, lines))


def _txt_lines(raw: str) -> list[str]:
    lines = (normalise_line(line) for line in raw.removeprefix("\ufeff").splitlines())
    return [line for line in lines if line]


def _item_text(line: str) -> str:
    """The line without a leading list bullet."""
    bullet = _BULLET.match(line)
    return line[bullet.end() :] if bullet else line


def _ends_sentence(line: str) -> bool:
    stripped = line.rstrip("\"”’'»)]")
    return bool(stripped) and stripped[-1] in ".!?:;…"


def _is_list_line(line: str) -> bool:
    """A separator, or a line short of a sentence: an item in a list of links."""
    item = _item_text(line)
    short = len(item.split()) <= _HEADLINE_WORDS[-1] and not _ends_sentence(item)
    return short or bool(_SEPARATOR.fullmatch(line))


def _is_own_list_item(line: str) -> bool:
    """A tour date, an itinerary day, a numbered step, a result, a price: an item of the
    article's own list, which another article's headline is not."""
    return bool(_OWN_LIST_ITEM.match(_item_text(line)))


def _is_list_of_own_items(items: list[str]) -> bool:
    items = [item for item in items if not _SEPARATOR.fullmatch(item)]
    return bool(items) and sum(map(_is_own_list_item, items)) * 2 >= len(items)


def _is_headline(line: str) -> bool:
    """Several Title Case words and no sentence end: another article's headline."""
    item = _item_text(line)
    if _is_own_list_item(item):
        return False
    words = item.split()
    significant = [word for word in words if len(word) > 3 and word[0].isalpha()]
    title_case = sum(word[0].isupper() for word in significant) >= 0.7 * len(significant) > 0
    return len(words) in _HEADLINE_WORDS and title_case and not _ends_sentence(item)


def _line_reason(line: str, keep, drop, sitewide) -> str | None:
    if line in keep:
        return None
    if line in drop:
        return "editor-drop"
    if line in sitewide:
        return "sitewide-line"
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


def _clean_lines(
    lines: list[str],
    *,
    repeated_lines,
    keep_lines,
    drop_lines,
    sitewide_lines=(),
    find_article: bool = False,
) -> CleanedText:
    keep, drop, repeated, sitewide = map(
        _normalised, (keep_lines, drop_lines, repeated_lines, sitewide_lines)
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
    return _clean_lines(
        _txt_lines(raw),
        repeated_lines=repeated_lines,
        keep_lines=keep_lines,
        drop_lines=drop_lines,
        sitewide_lines=sitewide_lines,
        find_article=True,
    )


# --- HTML ---------------------------------------------------------------------------------------

# a <select> shows one option, not the list of them; a <datalist> shows none
_INVISIBLE_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "select", "datalist"]
_HTML_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd", "details", "div"}
    | {"dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "html"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "li", "main", "nav", "ol", "p", "pre", "section"}
    | {"summary", "table", "td", "th", "tr", "ul"}
)
_XML_BLOCK_TAGS = frozenset({"main", "p", "head", "list", "item", "quote", "table", "row", "lb"})
_CONTENT_TAGS = ["h1", "h2", "h3", "p", "li", "blockquote", "figcaption", "td", "th"]
_BOILERPLATE_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "button", "select"})
_BOILERPLATE_ATTRIBUTE = re.compile(
    r"(?<![a-z0-9])(?:shar(?:e|ing)|social|sns|related|popular|most-?read|trending|ranking"
    r"|comment(?!ary)|respond|repl(?:y|ies)|newsletter|subscri|promo|cookie|consent|breadcrumb"
    r"|topicpath|advert|sponsor|banner|nav|menu|header|masthead|footer|colophon|side|widget"
    r"|skip|pagetop|byline|tags?(?![a-z])|ads?(?![a-z])|contentinfo|complementary)",
    re.IGNORECASE,
)
_DATE_ATTRIBUTE = re.compile(r"(?<![a-z])(?:date|time|published|updated|posted)", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_DATE_TEXT = re.compile(
    rf"\b{_MONTH} \d{{1,2}}\b|\b\d{{1,2}} {_MONTH}|\b\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}\b",
    re.IGNORECASE,
)
_DATELINE_SEARCH_LIMIT = 20  # elements after the headline; a date further on is not the article's


def _lines_from_pieces(pieces: list[str]) -> list[str]:
    lines = (normalise_line(line) for line in "".join(pieces).split("\n"))
    return [line for line in lines if line]


def _html_text_blocks(root: Tag | None) -> list[str]:
    """The text as a browser lays it out: a new block at every block-level element or <br>."""
    pieces: list[str] = []
    owner = None
    for node in root.descendants if root else ():
        if isinstance(node, Tag):
            if node.name in _HTML_BLOCK_TAGS:
                pieces.append("\n")
        elif type(node) is NavigableString:  # not comments, doctypes or ruby annotations
            block = next((tag for tag in node.parents if tag.name in _HTML_BLOCK_TAGS), None)
            if block is not owner:
                pieces.append("\n")
                owner = block
            pieces.append(node.replace("\n", " "))
    return _lines_from_pieces(pieces)


def _parse_html(raw: str) -> BeautifulSoup:
    soup = BeautifulSoup(raw, "lxml")
    for tag in soup.find_all(_INVISIBLE_TAGS):
        if not tag.decomposed:
            tag.decompose()
    return soup


def _attributes(tag: Tag) -> str:
    return " ".join([*tag.get("class", ()), tag.get("id", ""), tag.get("role", "")])


def _headline_tag(soup: BeautifulSoup) -> Tag | None:
    """The article's <h1>; an <h1> in a site header or menu is the site's logo."""
    in_article = soup.select_one("article h1, main h1, [role=main] h1")
    standalone = (h1 for h1 in soup.find_all("h1") if not h1.find_parent(["header", "nav"]))
    return in_article or next(standalone, None)


def _is_dateline_tag(tag: Tag) -> bool:
    text = tag.get_text()
    if len(text) > 80 or not any(character.isdigit() for character in text):
        return False
    return tag.name == "time" or bool(
        _DATE_ATTRIBUTE.search(_attributes(tag)) or _DATE_TEXT.search(text)
    )


def _heading_lines(soup: BeautifulSoup) -> tuple[str, str]:
    """The headline and the date line under it, which extractors tend to leave out."""
    headline = _headline_tag(soup)
    following = headline.find_all_next(limit=_DATELINE_SEARCH_LIMIT) if headline else []
    dateline = next(filter(_is_dateline_tag, following), None)
    return " ".join(_html_text_blocks(headline)), " ".join(_html_text_blocks(dateline))


def _with_heading(paragraphs: list[str], headline: str, dateline: str) -> list[str]:
    body, result = "\n".join(paragraphs), list(paragraphs)
    if headline and headline not in body:
        result.insert(0, headline)
    if dateline and dateline not in body:
        result.insert(result.index(headline) + 1 if headline in result else 0, dateline)
    return result


def _xml_paragraphs(xml: str) -> list[str]:
    """Paragraphs of trafilatura's XML: one per p/head/item/quote/line break, one per table row."""
    pieces: list[str] = []
    main = etree.fromstring(xml).find("main")
    for event, element in etree.iterwalk(main, events=("start", "end")):
        if element.tag in _XML_BLOCK_TAGS:
            pieces.append("\n")
        if event == "start" and element.tag == "cell" and element.getprevious() is not None:
            pieces.append(" | ")
        text = element.text if event == "start" else element.tail
        pieces.append((text or "").replace("\n", " "))
    return _lines_from_pieces(pieces)


def _trafilatura_paragraphs(raw: str) -> list[str]:
    xml = trafilatura.extract(
        raw, include_comments=False, include_tables=True, favor_precision=True, output_format="xml"
    )
    return _xml_paragraphs(xml) if xml else []


def _prose_word_count(paragraphs: list[str]) -> int:
    """Words in sentence-like paragraphs; a menu has many words but no sentences."""
    counts = (len(paragraph.split()) for paragraph in paragraphs if _ends_sentence(paragraph))
    return sum(count for count in counts if count >= _PROSE_MIN_WORDS)


def _drop_boilerplate(soup: BeautifulSoup) -> None:
    """Remove site furniture, but never a container of the headline (whatever its class)."""
    headline = _headline_tag(soup)
    protected = {id(tag) for tag in headline.parents} if headline else set()
    for tag in soup.find_all(True):
        if tag.decomposed or id(tag) in protected:
            continue
        if tag.name in _BOILERPLATE_TAGS or _BOILERPLATE_ATTRIBUTE.search(_attributes(tag)):
            tag.decompose()


def _content_paragraphs(region: Tag) -> list[str]:
    innermost = (tag for tag in region.find_all(_CONTENT_TAGS) if not tag.find(_CONTENT_TAGS))
    return [block for tag in innermost for block in _html_text_blocks(tag)]


def _fallback_paragraphs(soup: BeautifulSoup) -> list[str]:
    """The article/main region with the most prose, or the whole body; mutates soup."""
    _drop_boilerplate(soup)
    regions = soup.select("article, main, [role=main], [itemprop=articleBody]")
    best = max(map(_content_paragraphs, regions), key=_prose_word_count, default=[])
    if _prose_word_count(best) >= _ENOUGH_PROSE_WORDS or soup.body is None:
        return best
    return _content_paragraphs(soup.body)


def _article_paragraphs(raw: str, soup: BeautifulSoup) -> list[str]:
    """trafilatura's paragraphs, or the fallback's when trafilatura found too little prose."""
    extracted = _trafilatura_paragraphs(raw)
    if _prose_word_count(extracted) >= _ENOUGH_PROSE_WORDS:
        return extracted
    fallback = _fallback_paragraphs(soup)
    return fallback if _prose_word_count(fallback) > _prose_word_count(extracted) else extracted


def _with_kept_blocks(paragraphs: list[str], blocks: list[str], keep: frozenset[str]) -> list[str]:
    """Put back the page blocks an editor kept that extraction left out, each after the last
    paragraph that comes before it on the page."""
    body = "\n".join(paragraphs)
    missing = [block for block in dict.fromkeys(blocks) if block in keep and block not in body]
    position = {block: index for index, block in reversed(list(enumerate(blocks)))}
    result, keys, last = list(paragraphs), [], -1
    for paragraph in paragraphs:  # a paragraph that is no page block goes with its predecessor
        last = position.get(paragraph, last)
        keys.append(last)
    for block in missing:
        at = 1 + max((i for i, key in enumerate(keys) if key < position[block]), default=-1)
        result.insert(at, block)
        keys.insert(at, position[block])
    return result


def _html_removed(blocks: list[str], cleaned: CleanedText) -> tuple[RemovedBlock, ...]:
    """Page blocks missing from the body, with the text rule's reason where a rule removed them."""
    by_rule = {block.text: block.reason for block in cleaned.removed}
    paragraphs = set(cleaned.body.split("\n\n"))
    removed = [
        RemovedBlock(block, by_rule.get(block, "non-article-html"))
        for block in blocks
        if block in by_rule or not (block in paragraphs or block in cleaned.body)
    ]
    page = set(blocks)
    return (*removed, *(block for block in cleaned.removed if block.text not in page))


def clean_html(
    raw: str,
    *,
    repeated_lines: Collection[str] = (),
    keep_lines: Collection[str] = (),
    drop_lines: Collection[str] = (),
    sitewide_lines: Collection[str] = (),
) -> CleanedText:
    """Clean an HTML page: find the article, then apply the text-dump rules to its paragraphs."""
    if not raw.strip():
        return CleanedText(body="", removed=())
    soup = _parse_html(raw)
    blocks = _html_text_blocks(soup.body)
    headline, dateline = _heading_lines(soup)  # before the fallback changes the soup
    paragraphs = _with_heading(_article_paragraphs(raw, soup), headline, dateline)
    paragraphs = _with_kept_blocks(paragraphs, blocks, _normalised(keep_lines))
    cleaned = _clean_lines(
        paragraphs,
        repeated_lines=repeated_lines,
        keep_lines=keep_lines,
        drop_lines=drop_lines,
        sitewide_lines=sitewide_lines,
    )
    return CleanedText(body=cleaned.body, removed=_html_removed(blocks, cleaned))


def html_blocks(raw: str) -> list[str]:
    """The page's visible text blocks in order, repeats included: what a reader's select-all and
    copy gives, one line per block, menus and footers included."""
    return _html_text_blocks(_parse_html(raw).body) if raw.strip() else []


def text_lines(raw: str, raw_format: str) -> list[str]:
    """The input's distinct normalised lines ("txt") or text blocks ("html"), in order."""
    if raw_format == "txt":
        lines = _txt_lines(raw)
    elif raw_format == "html":
        lines = html_blocks(raw)
    else:
        raise ValueError(f"Unknown raw_format {raw_format!r}: expected 'txt' or 'html'.")
    return list(dict.fromkeys(lines))
