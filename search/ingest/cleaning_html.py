"""HTML page -> the article's paragraphs (search.ingest.cleaning's rules then apply to them).

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
from collections.abc import Collection

import trafilatura
from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from search.ingest.cleaning import (
    CleanedText,
    RemovedBlock,
    clean_lines,
    ends_sentence,
    normalise_line,
    normalised,
)

_PROSE_MIN_WORDS = 8  # a sentence-like paragraph this long is prose, not navigation
_ENOUGH_PROSE_WORDS = 25  # below this, the extractor is thought to have missed the article
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
    counts = (len(paragraph.split()) for paragraph in paragraphs if ends_sentence(paragraph))
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
    paragraphs = _with_kept_blocks(paragraphs, blocks, normalised(keep_lines))
    cleaned = clean_lines(
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
