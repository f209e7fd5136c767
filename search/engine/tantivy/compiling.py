"""The product's query tree (``search.query_language``) as tantivy queries.

As the Whoosh engine does: words go through the app's analyser (``search.engine.analysis``),
exactly as indexed text did; a word that analysis splits is a phrase, with a stop word between
two words a gap; a word without a field searches title and body (scores add up). A prefix
expands against the term dictionary with the bounds of ``search.engine.prefixes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import tantivy
from tantivy import Occur, Query

from search import query_language as ql
from search.engine.analysis import analyse
from search.engine.prefixes import MAX_PREFIX_CANDIDATES, PrefixExpander
from search.engine.tantivy.schema import TEXT_FIELDS
from search.query import PrefixExpansion


@dataclass
class Compiled:
    query: Query | None  # None: no words to search for
    terms: set[str] = field(default_factory=set)  # stems to highlight (none from NOT clauses)
    notices: list[str] = field(default_factory=list)
    expansions: dict[str, PrefixExpansion] = field(default_factory=dict)  # by prefix as typed
    ignored_words: list[str] = field(default_factory=list)  # analysed to nothing: stop words
    phrases: bool = False  # whether it has a phrase: matching each costs reading positions
    tree: ql.Node | None = None  # what was compiled, and with how many expansions a prefix
    max_expansions: int = 0


def compile_query(
    tree: ql.Node | None,
    *,
    schema: tantivy.Schema,
    searcher: tantivy.Searcher,
    max_expansions: int,
    phrases_within: Query | None = None,
) -> Compiled:
    """``phrases_within``: each phrase only among its matches. For a query that is itself
    asked for within them (and nothing else): the same matches, but tantivy reads positions
    only for the articles there, not for every article with all the phrase's words."""
    compiled = Compiled(None, tree=tree, max_expansions=max_expansions)
    compiler = Compiler(schema, searcher, max_expansions, compiled, phrases_within)
    compiled.query = compiler.node(tree, negated=False)
    if isinstance(tree, ql.Not) and compiled.query is not None:  # only exclusions: of everything
        compiled.query = compiler.every_article_but(tree)
    compiled.notices.extend(compiler.prefixes.notices)
    compiled.expansions = compiler.prefixes.expansions
    return compiled


def any_of(queries: list[Query]) -> Query | None:
    if len(queries) < 2:
        return queries[0] if queries else None
    return Query.boolean_query([(Occur.Should, query) for query in queries])


class Compiler:
    def __init__(
        self, schema, searcher, max_expansions: int, compiled: Compiled, phrases_within=None
    ):
        self.schema = schema
        self.searcher = searcher
        self.compiled = compiled
        self.phrases_within = phrases_within
        self.prefixes = PrefixExpander(self.candidates, max_expansions=max_expansions)

    def every_article_but(self, node: ql.Not) -> Query | None:
        excluded = self.node(node.child, negated=True)
        return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, excluded)])

    def node(self, node: ql.Node | None, *, negated: bool) -> Query | None:
        if isinstance(node, ql.Not):
            # A Not is only meaningful among other clauses (And): see ``clauses``.
            return self.node(node.child, negated=not negated)
        if isinstance(node, ql.MinShouldMatch):
            children = [self.node(child, negated=negated) for child in node.children]
            children = [child for child in children if child is not None]
            if not children:
                return None
            return Query.boolean_query(
                [(Occur.Should, child) for child in children],
                minimum_number_should_match=min(node.minimum, len(children)),
            )
        if isinstance(node, ql.And):
            return self.conjunction(node.children, negated=negated)
        if isinstance(node, ql.Or):
            children = [self.node(child, negated=negated) for child in node.children]
            children = [
                self.alone(child, original) if isinstance(original, ql.Not) else child
                for child, original in zip(children, node.children, strict=True)
                if child is not None
            ]
            return any_of(children)
        if isinstance(node, ql.Term | ql.Phrase):
            fields = (node.field,) if node.field else TEXT_FIELDS
            return any_of(
                [q for q in (self.leaf(node, name, negated=negated) for name in fields) if q]
            )
        return None

    def alone(self, query: Query, _original: ql.Not) -> Query:
        """A NOT inside an OR: every article but those."""
        return Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, query)])

    def conjunction(self, nodes: tuple[ql.Node, ...], *, negated: bool) -> Query | None:
        clauses = []
        for child in nodes:
            compiled = self.node(child, negated=negated)
            if compiled is not None:
                occur = Occur.MustNot if isinstance(child, ql.Not) else Occur.Must
                clauses.append((occur, compiled))
        if not clauses:
            return None
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.insert(0, (Occur.Must, Query.all_query()))
        if len(clauses) == 1:
            return clauses[0][1]
        return Query.boolean_query(clauses)

    def leaf(self, node: ql.Term | ql.Phrase, fieldname: str, *, negated: bool) -> Query | None:
        if isinstance(node, ql.Term) and node.prefix:
            words = self.prefixes.words(fieldname, node.text)
            if not negated:
                self.compiled.terms.update(words)
            return any_of([Query.term_query(self.schema, fieldname, word) for word in words])
        words = analyse(node.text)
        if not negated:
            self.compiled.terms.update(word[0] for word in words)
        if not words:
            if node.text not in self.compiled.ignored_words:
                self.compiled.ignored_words.append(node.text)
            return None
        if len(words) == 1:
            return Query.term_query(self.schema, fieldname, words[0][0])
        first = words[0][1]
        phrase = Query.phrase_query(
            self.schema, fieldname, [(word[1] - first, word[0]) for word in words]
        )
        self.compiled.phrases = True
        if self.phrases_within is None:
            return phrase
        return Query.boolean_query([(Occur.Must, self.phrases_within), (Occur.Must, phrase)])

    def candidates(self, fieldname: str, start: str) -> dict[str, int]:
        return dict(self.searcher.terms_with_prefix(fieldname, start, limit=MAX_PREFIX_CANDIDATES))
