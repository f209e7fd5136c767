"""From what a user typed to a Whoosh query, forgiving and bounded.

Malformed input never raises: control characters go, an over-long query is cut, an unmatched
quote or parenthesis is ignored, a field other than ``title:``/``body:`` is read as a word, a
wildcard expands to at most a bounded number of words, and a wildcard that would match
everything is dropped. Each repair adds a short notice for the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.qparser import AndGroup, MultifieldParser

from search.engine.schema import TEXT_FIELDS

MAX_QUERY_CHARS = 500
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# "-word" / -"a phrase" / -(group) means NOT; Whoosh's parser only knows the keyword.
LEADING_MINUS = re.compile(r'(^|[\s(])-(?=[\w"(])')
FIELD_PREFIX = re.compile(r"\b(\w+):")


@dataclass
class ParsedQuery:
    query: wq.Query | None  # None: nothing to search for (browse everything)
    text: str  # the cleaned text that was parsed
    notices: list[str] = field(default_factory=list)


def clean_query_text(raw: str, notices: list[str]) -> str:
    text = CONTROL_CHARACTERS.sub(" ", raw)
    if text != raw:
        notices.append("Removed control characters from the query.")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0]
        notices.append(
            f"The query was longer than {MAX_QUERY_CHARS} characters; searched its start."
        )
    if text.count('"') % 2:
        position = text.rfind('"')
        text = text[:position] + text[position + 1 :]
        notices.append("Ignored an unmatched quotation mark.")
    if text.count("(") != text.count(")"):
        text = text.replace("(", " ").replace(")", " ")
        notices.append("Ignored unmatched parentheses.")
    text = FIELD_PREFIX.sub(lambda m: keep_known_field(m, notices), text)
    return LEADING_MINUS.sub(r"\1NOT ", text).strip()


def keep_known_field(match: re.Match, notices: list[str]) -> str:
    name = match.group(1)
    if name.lower() in TEXT_FIELDS:
        return f"{name.lower()}:"
    message = f"“{name}:” is not a field you can search; searched it as a word."
    if message not in notices:
        notices.append(message)
    return f"{name} "


def parse_user_query(raw: str, *, schema, reader, max_expansions: int) -> ParsedQuery:
    notices: list[str] = []
    text = clean_query_text(raw, notices)
    if not text:
        return ParsedQuery(None, "", notices)
    parser = MultifieldParser(list(TEXT_FIELDS), schema, group=AndGroup)
    try:
        parsed = parser.parse(text)
    except Exception:  # the parser is tolerant; this is the last resort for odd input
        words = re.findall(r"\w+", text)
        parsed = parser.parse(" ".join(words))
        notices.append("Could not read the query's operators; searched its words.")
    parsed = bound_wildcards(parsed, reader, max_expansions, notices).normalize()
    if isinstance(parsed, type(wq.NullQuery)):
        notices.append("The query has no words to search for; showing all articles.")
        return ParsedQuery(None, text, notices)
    return ParsedQuery(parsed, text, notices)


def bound_wildcards(node: wq.Query, reader, max_expansions: int, notices: list[str]) -> wq.Query:
    if isinstance(node, wq.Every):
        add_once(notices, "Ignored a wildcard that would match every article.")
        return wq.NullQuery
    if isinstance(node, (wq.Prefix, wq.Wildcard)):
        return expand_wildcard(node, reader, max_expansions, notices)
    if node.is_leaf():
        return node
    return node.apply(lambda child: bound_wildcards(child, reader, max_expansions, notices))


def expand_wildcard(node, reader, max_expansions: int, notices: list[str]) -> wq.Query:
    """Whoosh would OR every matching word; keep the most frequent few, as search engines do."""
    words = list(node._btexts(reader))
    if len(words) > max_expansions:
        words.sort(key=lambda word: reader.doc_frequency(node.fieldname, word), reverse=True)
        words = words[:max_expansions]
        add_once(
            notices,
            f"“{node.text}*” matches many words; searched the {max_expansions} most common.",
        )
    terms = [wq.Term(node.fieldname, word.decode("utf-8")) for word in words]
    return wq.Or(terms) if terms else wq.NullQuery


def add_once(notices: list[str], message: str) -> None:
    if message not in notices:
        notices.append(message)


def positive_terms(node: wq.Query) -> set[str]:
    """The (analysed) words a query looks for, outside NOT clauses: what highlighting marks."""
    if node is None or isinstance(node, wq.Not):
        return set()
    if isinstance(node, wq.AndNot):
        return positive_terms(node.a)
    if node.is_leaf():
        return {
            text.decode("utf-8") if isinstance(text, bytes) else str(text)
            for _field, text in node.iter_all_terms(phrases=True)
        }
    terms: set[str] = set()
    for child in node.children():
        terms |= positive_terms(child)
    return terms
