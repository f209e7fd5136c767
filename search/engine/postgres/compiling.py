"""The neutral query tree (``search.query_language``) compiled to a PostgreSQL ``tsquery``.

Never ``to_tsquery`` on what the user typed: each leaf's text goes through ``to_tsvector`` (the
same ``newsroom_english`` analysis as the articles: lower case, unaccented, stemmed, stop words
out) in one round trip, and the tsquery is written here from those lexemes, each one quoted,
then read by the ``::tsquery`` cast, which does no further analysis.

- a word: its lexeme (a hyphenated word gives several: they must stand in order; when they
  are the compound and its own parts, the compound alone, which implies the rest);
- a phrase: its lexemes joined by ``<N>``, N the distance in the text, so a stop word in the
  phrase stands for any one word ("minister of defence" is ``'minist' <2> 'defenc'``). A phrase
  must lie within one field: unqualified, it is the title's phrase OR the body's (the two
  fields share one tsvector, where the body's positions follow the title's);
- ``title:`` / ``body:``: every lexeme of the leaf restricted to weight A (title) or B (body);
- a prefix (``secur*``): the archive's words starting with it (``search_engine_word``: the
  most common ``WILDCARD_MAX_EXPANSIONS`` of them when there are more, with a notice), as
  their lexemes, plus ``'secur':*`` for words newer than the vocabulary when not bounded.
  A bare ``:*`` alone would miss "securit*", whose words are indexed as the stem "secur".
- AND ``&``, OR ``|``, NOT ``!``; a leaf with no lexeme (only stop words) is left out;
- most of (``MinShouldMatch``, k of n): the OR of every AND of k of them while there are at
  most ``MAX_COMBINATIONS`` (up to nine words), answered from the GIN index alone; past that
  (a long question, costly anyway: ``search.engine.costly``) the OR of them finds the
  candidates and ``at_least`` counts each one's matching words.

``highlight`` is the words to mark: every lexeme outside a NOT, any field, OR'd.

``title_tsquery`` is what every match's title alone must hold, when the query says (a
``title:`` leaf every match needs): searched in the titles' own tsvector and GIN index, it
finds the few candidates, where ``'secur':A`` alone has the index return every article with
the word anywhere and PostgreSQL re-read each one's tsvector to check the weight.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from search import query_language
from search.query import PrefixExpansion
from search.query_language import And, MinShouldMatch, Node, Not, Or, Phrase, Term

CONFIG = "newsroom_english"
WEIGHTS = {"title": "A", "body": "B"}
# "k of n words" as an OR of ANDs up to this many ANDs (9 words, 6 of them: 84).
MAX_COMBINATIONS = 100


@dataclass
class Compiled:
    tsquery: str | None  # None: no words to search for
    highlight: str | None
    notices: list[str] = field(default_factory=list)
    title_tsquery: str | None = None  # None: the query leaves the titles free
    # (tsqueries, k): at least k of them must match, besides ``tsquery`` (their OR)
    at_least: tuple[list[str], int] | None = None
    expansions: tuple[PrefixExpansion, ...] = ()  # what each prefix searched
    ignored_words: tuple[str, ...] = ()  # leaves analysed to nothing: stop words


def quoted(lexeme: str) -> str:
    """A lexeme as a tsquery literal: quotes doubled, backslashes escaped."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def analysed_leaves(cursor, texts: list[str]) -> list[list[tuple[str, int]]]:
    """For each text, its (lexeme, position) pairs in text order, as articles are indexed."""
    if not texts:
        return []
    cursor.execute(
        f"""
        SELECT leaf.n, v.lexeme, p.position
        FROM unnest(%s::text[]) WITH ORDINALITY AS leaf(text, n)
        CROSS JOIN LATERAL unnest(to_tsvector('{CONFIG}', leaf.text)) AS v(lexeme, positions)
        CROSS JOIN LATERAL unnest(v.positions) AS p(position)
        ORDER BY leaf.n, p.position, v.lexeme
        """,
        [texts],
    )
    found: list[list[tuple[str, int]]] = [[] for _ in texts]
    for number, lexeme, position in cursor.fetchall():
        found[number - 1].append((lexeme, position))
    return found


def prefix_lexemes(cursor, prefix: str, limit: int) -> tuple[str, list[str], bool]:
    """(the prefix as indexed, lexemes of the ``limit`` commonest words it starts, whether
    there were more words than that)."""
    cursor.execute("SELECT lower(unaccent(%s))", [prefix])
    normalised = cursor.fetchone()[0]
    pattern = normalised.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cursor.execute(
        "SELECT word FROM search_engine_word WHERE word LIKE %s "
        "ORDER BY documents DESC, word LIMIT %s",
        [pattern, limit + 1],
    )
    words = [row[0] for row in cursor.fetchall()]
    bounded = len(words) > limit
    cursor.execute(
        f"SELECT DISTINCT lexeme FROM unnest(to_tsvector('{CONFIG}', %s)) ORDER BY 1",
        [" ".join(words[:limit])],
    )
    return normalised, [row[0] for row in cursor.fetchall()], bounded


class Compiler:
    def __init__(self, cursor, *, max_expansions: int):
        self.cursor = cursor
        self.max_expansions = max_expansions
        self.notices: list[str] = []
        self.positive: list[str] = []  # lexemes to highlight
        self.analysed: dict[int, list[tuple[str, int]]] = {}
        self.titles: dict[int, str] = {}  # a title: leaf -> its tsquery over the title alone
        self.at_least: tuple[list[str], int] | None = None
        self.expansions: dict[str, PrefixExpansion] = {}
        self.ignored_words: list[str] = []

    def compile(self, tree: Node | None) -> Compiled:
        if tree is None:
            return Compiled(None, None, self.notices)
        exact = [
            leaf
            for leaf, _negated in query_language.leaves(tree)
            if not (isinstance(leaf, Term) and leaf.prefix)
        ]
        for leaf, lexemes in zip(
            exact, analysed_leaves(self.cursor, [leaf.text for leaf in exact]), strict=True
        ):
            self.analysed[id(leaf)] = lexemes
        tsquery = self.node(tree, negated=False)
        highlight = " | ".join(dict.fromkeys(self.positive)) or None
        title = self.title_condition(tree) if tsquery else None
        return Compiled(
            tsquery,
            highlight,
            self.notices,
            title,
            self.at_least,
            tuple(self.expansions.values()),
            tuple(self.ignored_words),
        )

    def title_condition(self, node: Node) -> str | None:
        """A tsquery every match's title satisfies (None: none can be said): each ``title:``
        leaf an AND needs, or an OR whose every branch has one; nothing under a NOT."""
        if isinstance(node, And):
            parts = [part for child in node.children if (part := self.title_condition(child))]
            return "(" + " & ".join(parts) + ")" if parts else None
        if isinstance(node, Or):
            parts = [self.title_condition(child) for child in node.children]
            return "(" + " | ".join(parts) + ")" if parts and all(parts) else None
        return self.titles.get(id(node))

    def node(self, node: Node, *, negated: bool) -> str | None:
        if isinstance(node, Not):
            child = self.node(node.child, negated=not negated)
            return f"!({child})" if child else None
        if isinstance(node, MinShouldMatch):
            return self.most_of(node, negated=negated)
        if isinstance(node, And | Or):
            parts = [self.node(child, negated=negated) for child in node.children]
            parts = [part for part in parts if part]
            joiner = " & " if isinstance(node, And) else " | "
            return "(" + joiner.join(parts) + ")" if parts else None
        if isinstance(node, Term) and node.prefix:
            return self.prefix(node, negated=negated)
        return self.sequence(node, negated=negated)

    def most_of(self, node: MinShouldMatch, *, negated: bool) -> str | None:
        parts = [part for child in node.children if (part := self.node(child, negated=negated))]
        if not parts:
            return None
        minimum = min(node.minimum, len(parts))
        if math.comb(len(parts), minimum) > MAX_COMBINATIONS:
            self.at_least = (parts, minimum)  # one MinShouldMatch in a tree: a relaxed query
            return "(" + " | ".join(parts) + ")"
        combinations = itertools.combinations(parts, minimum)
        return "(" + " | ".join("(" + " & ".join(c) + ")" for c in combinations) + ")"

    def sequence(self, leaf: Term | Phrase, *, negated: bool) -> str | None:
        lexemes = self.analysed[id(leaf)]
        if not lexemes:
            if leaf.text not in self.ignored_words:
                self.ignored_words.append(leaf.text)
            return None
        if not negated:
            self.positive += [quoted(lexeme) for lexeme, _ in lexemes]
        if isinstance(leaf, Term):
            lexemes = one_hyphenated_word(lexemes)
        if leaf.field == "title" and not negated:
            self.titles[id(leaf)] = followed(lexemes, "")
        if leaf.field:
            return followed(lexemes, WEIGHTS[leaf.field])
        if len(lexemes) == 1:
            return quoted(lexemes[0][0])
        return f"({followed(lexemes, 'A')} | {followed(lexemes, 'B')})"

    def prefix(self, term: Term, *, negated: bool) -> str | None:
        normalised, lexemes, bounded = prefix_lexemes(self.cursor, term.text, self.max_expansions)
        self.expansions.setdefault(term.text, PrefixExpansion(term.text, tuple(lexemes), bounded))
        if bounded:
            message = (
                f"“{term.text}*” matches many words; "
                f"searched the {self.max_expansions} most common."
            )
            if message not in self.notices:
                self.notices.append(message)
        weight = WEIGHTS.get(term.field or "", "")
        alternatives = [quoted(lexeme) + (f":{weight}" if weight else "") for lexeme in lexemes]
        if not bounded:
            alternatives.append(f"{quoted(normalised)}:*{weight}")
        if term.field == "title" and not negated:
            anywhere = [quoted(lexeme) for lexeme in lexemes]
            anywhere += [] if bounded else [f"{quoted(normalised)}:*"]
            self.titles[id(term)] = "(" + " | ".join(anywhere) + ")"
        if not negated:
            self.positive += [quoted(lexeme) for lexeme in lexemes]
            if not bounded:
                self.positive.append(f"{quoted(normalised)}:*")
        return "(" + " | ".join(alternatives) + ")"


def one_hyphenated_word(lexemes: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """A hyphenated word's lexemes as its compound alone ("Indo-Pacific": 'indo-pacif', not
    'indo-pacif' <-> 'indo' <-> 'pacif'): the parser gives the compound only with its parts
    after it, so the compound finds the same articles, from the index alone, where the
    phrase would re-read every candidate's positions.
    Anything else (parts that are not the compound's, more words) stays as it is."""
    compound = lexemes[0][0]
    if "-" in compound and {lexeme for lexeme, _ in lexemes[1:]} <= set(compound.split("-")):
        return lexemes[:1]
    return lexemes


def followed(lexemes: list[tuple[str, int]], weight: str) -> str:
    """Lexemes in order, each ``<N>`` after the one before (N: their distance in the text);
    ``weight`` "": in any field."""
    suffix = f":{weight}" if weight else ""
    written = f"{quoted(lexemes[0][0])}{suffix}"
    for (lexeme, position), (_, before) in zip(lexemes[1:], lexemes, strict=False):
        written += f" <{max(position - before, 0)}> {quoted(lexeme)}{suffix}"
    return written


def compile_query(cursor, tree: Node | None, *, max_expansions: int) -> Compiled:
    return Compiler(cursor, max_expansions=max_expansions).compile(tree)
