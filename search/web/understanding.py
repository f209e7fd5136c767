"""How the search was read: the query's parts as the parser and the engine understood them.

One plain line under the search box (and ``understood`` in the API) names each part: the words
every match has, the excluded ones, phrases, fields, what each prefix expanded to (and whether
its bound cut it), the stop words the engine dropped, the syntax read as plain text
(parentheses around words side by side, a question mark, quotes around one word) and a
question's relaxation to most (or any) of its words. Each part comes with the query without
it, so one click removes it: a word or an exclusion goes, a field or a phrase's quotes or a
prefix's star come off, and a relaxed question requires every word.

Built from the neutral tree (``query_language``) and what only the engine knows
(``SearchResults.expansions`` and ``ignored_words``); the queries without a part are written
back in the language, clauses side by side, so a question stays one that may be relaxed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from search import query_language as ql
from search.links import search_url
from search.query import PrefixExpansion, SearchResults

WORDS_SHOWN = 6  # of a prefix's expansion
KIND_LABELS = {
    "required": "required",
    "excluded": "excluded",
    "phrase": "phrase",
    "field": "field",
    "one_of": "one of",
    "prefix": "prefix",
    "stop_word": "ignored",
    "plain_text": "read as text",
    "relaxed": "relaxed to",
}
FIELD_DETAILS = {"title": "only in the title", "body": "only in the body"}


@dataclass(frozen=True)
class Part:
    kind: str  # a key of KIND_LABELS
    text: str  # the part as the query says it
    detail: str  # how it was read ("" when its kind says it all)
    without: str  # the query without this part

    @property
    def label(self) -> str:
        """The part in the line: "excluded: rail", "prefix: secur* (…)"."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{KIND_LABELS[self.kind]}: {self.text}{detail}"


@dataclass(frozen=True)
class Understood:
    parts: tuple[Part, ...]

    @property
    def text(self) -> str:
        return "; ".join(part.label for part in self.parts) + "."


def understood(results: SearchResults) -> Understood | None:
    """How ``results``' query was read, or None when there was nothing to read."""
    parsed = ql.parse(results.query.q)
    if parsed.tree is None:
        return None
    tree = parsed.tree
    ignored = {word.lower() for word in results.ignored_words}
    relaxed_words = bool(results.relaxed)

    def without(change: Callable[[ql.Node], ql.Node | None]) -> str:
        return written(rewrite(tree, change))

    parts: list[Part] = []
    for clause in clauses_of(tree):
        leaf = clause.child if isinstance(clause, ql.Not) else clause
        if isinstance(leaf, ql.Term | ql.Phrase) and leaf.text.lower() in ignored:
            continue  # said once below, as a stop word
        if relaxed_words and ql.is_plain_word(clause):
            continue  # said by the relaxed part
        parts += clause_parts(clause, tree)
    for expansion in results.expansions:
        parts.append(prefix_part(expansion, tree))
    for drop, word in {word.lower(): word for word in results.ignored_words}.items():
        parts.append(
            Part(
                "stop_word",
                word,
                "too common to search" if any(c.isalnum() for c in word) else "not a word",
                without(lambda node, drop=drop: None if is_leaf_of(node, drop) else node),
            )
        )
    parts += plain_text_parts(parsed, tree)
    if results.relaxed is not None:
        relaxed = results.relaxed
        detail = (
            "any of these words, ranked"
            if relaxed.minimum == 1
            else f"at least {relaxed.minimum} of these {len(relaxed.words)} words"
        )
        parts.append(Part("relaxed", ", ".join(relaxed.words), detail, relaxed.every_word_q))
    return Understood(tuple(parts)) if parts else None


def clause_parts(clause: ql.Node, tree: ql.Node) -> list[Part]:
    """The parts one clause of the top level says (its words side by side)."""
    dropped = written(rewrite(tree, lambda node: None if node is clause else node))
    if isinstance(clause, ql.Not):
        return [Part("excluded", ql.to_text(clause.child), "", dropped)]
    if isinstance(clause, ql.Term | ql.Phrase) and clause.field:
        unfielded = written(
            rewrite(tree, lambda node: replace(clause, field=None) if node is clause else node)
        )
        return [Part("field", ql.to_text(clause), FIELD_DETAILS[clause.field], unfielded)]
    if isinstance(clause, ql.Term):
        return [] if clause.prefix else [Part("required", clause.text, "", dropped)]
    if isinstance(clause, ql.Phrase):
        if ql.is_plain_word(clause):
            return [Part("required", clause.text, "", dropped)]
        unquoted = written(rewrite(tree, lambda node: words_of(clause) if node is clause else node))
        return [Part("phrase", ql.to_text(clause), "these words in this order", unquoted)]
    kind = "one_of" if isinstance(clause, ql.Or) else "required"
    return [Part(kind, written(clause), "", dropped)]


def prefix_part(expansion: PrefixExpansion, tree: ql.Node) -> Part:
    words = expansion.words
    if not words:
        detail = (
            "left out: the query's other prefixes already match as many words as allowed"
            if expansion.cut
            else "no word in the archive starts with it"
        )
    else:
        shown = ", ".join(words[:WORDS_SHOWN]) + (", …" if len(words) > WORDS_SHOWN else "")
        count = f"{len(words)} word{'s' if len(words) != 1 else ''}"
        detail = f"{count}: {shown}"
        if expansion.cut:
            detail += f"; cut at its bound: only the {len(words)} most common searched"

    def starless(node: ql.Node) -> ql.Node:
        is_it = isinstance(node, ql.Term) and node.prefix and node.text == expansion.prefix
        return replace(node, prefix=False) if is_it else node

    return Part("prefix", f"{expansion.prefix}*", detail, written(rewrite(tree, starless)))


def plain_text_parts(parsed: ql.ParsedQuery, tree: ql.Node) -> list[Part]:
    """Syntax read as plain text: the query without it searches the same."""
    as_is = written(tree)
    parts = []
    if prose_parentheses(parsed.text):
        parts.append(Part("plain_text", "( )", "parentheses around words change nothing", as_is))
    if any("?" in outside for outside in parsed.text.split('"')[::2]):
        parts.append(Part("plain_text", "?", "punctuation, not a wildcard", as_is))
    for leaf, _negated in ql.leaves(tree):
        if isinstance(leaf, ql.Phrase) and ql.ONE_WORD.fullmatch(leaf.text):
            unquoted = written(
                rewrite(tree, lambda node, leaf=leaf: words_of(leaf) if node is leaf else node)
            )
            parts.append(
                Part("plain_text", ql.to_text(leaf), "quotes around one word: that word", unquoted)
            )
    return parts


def prose_parentheses(text: str) -> bool:
    """Parentheses around words side by side: not after a field or NOT, holding no OR."""
    tokens = ql.tokenize(text, [])
    groups: list[bool] = []  # for each open group: whether it says something
    for index, token in enumerate(tokens):
        if token.kind == "open":
            before = tokens[index - 1] if index else None
            groups.append(
                before is not None
                and (before.kind == "field" or (before.kind, before.text) == ("operator", "NOT"))
            )
        elif token.kind == "operator" and token.text == "OR" and groups:
            groups[-1] = True
        elif token.kind == "close" and groups and not groups.pop():
            return True
    return False


def clauses_of(tree: ql.Node) -> tuple[ql.Node, ...]:
    return tree.children if isinstance(tree, ql.And) else (tree,)


def is_leaf_of(node: ql.Node, word: str) -> bool:
    return (
        isinstance(node, ql.Term | ql.Phrase)
        and not getattr(node, "prefix", False)
        and node.text.lower() == word
    )


def words_of(phrase: ql.Phrase) -> ql.Node | None:
    """A phrase's words side by side, without its quotes."""
    terms = [ql.Term(text, phrase.field) for text in phrase.text.split()]
    return ql.combine(ql.And, terms)


def rewrite(node: ql.Node | None, change: Callable[[ql.Node], ql.Node | None]) -> ql.Node | None:
    """The tree with ``change`` applied to each node, top down (a node it keeps is walked)."""
    if node is None:
        return None
    changed = change(node)
    if changed is not node:
        return changed
    if isinstance(node, ql.Not):
        child = rewrite(node.child, change)
        return ql.Not(child) if child is not None else None
    if isinstance(node, ql.And | ql.Or):
        children = [rewrite(child, change) for child in node.children]
        return ql.combine(type(node), children)
    return node


def written(tree: ql.Node | None) -> str:
    """The tree as a query, its top level side by side ("a -b"; AND would stop relaxing)."""
    if tree is None:
        return ""
    return " ".join(clause_text(clause) for clause in clauses_of(tree))


def clause_text(clause: ql.Node) -> str:
    if isinstance(clause, ql.Not) and isinstance(clause.child, ql.Term | ql.Phrase):
        return "-" + ql.to_text(clause.child)
    return ql.to_text(clause)


@dataclass(frozen=True)
class PartLink:
    part: Part
    url: str  # the search page without the part, on page 1, with the same filters


def page_line(results: SearchResults) -> dict | None:
    """What the search page shows: the line, each part with the link that removes it."""
    reading = understood(results)
    if reading is None:
        return None
    links = [
        PartLink(part, search_url(replace(results.query, q=part.without, page=1)))
        for part in reading.parts
    ]
    return {"text": reading.text, "parts": links}
