"""The product's query tree (``search.query_language``) as Whoosh query objects.

Words go through ``analysis.analyse`` exactly as indexed text does. A word that analysis
splits ("Indo-Pacific") is a phrase; a word or phrase without a field searches title and body,
and a document's scores in both add up (what Whoosh's MultifieldParser did). A prefix expands
to the indexed words it starts with the bounds of ``search.engine.prefixes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from search import query_language as ql
from search.engine.prefixes import MAX_PREFIX_CANDIDATES, PrefixExpander
from search.engine.whoosh.analysis import analyse
from search.engine.whoosh.schema import TEXT_FIELDS
from search.query import PrefixExpansion


class Phrase(wq.Phrase):
    """Words at given offsets from the first (``offsets``): a stop word between two words of
    the query is a gap of one, as it is in indexed text."""

    def __init__(self, fieldname: str, words: list[str], offsets: list[int]):
        super().__init__(fieldname, words)
        self.offsets = tuple(offsets)


class AtLeast(wq.Or):
    """At least ``minimum`` of the subqueries (Whoosh's own ``Or(minmatch=...)`` is documented
    as not implemented): ``matching`` counts each document's matching subqueries."""

    def __init__(self, subqueries: list[wq.Query], minimum: int):
        super().__init__(subqueries)
        self.minimum = minimum


@dataclass
class Compiled:
    query: wq.Query | None  # None: no words to search for
    terms: set[str] = field(default_factory=set)  # stems to highlight (none from NOT clauses)
    notices: list[str] = field(default_factory=list)
    expansions: dict[str, PrefixExpansion] = field(default_factory=dict)  # by prefix as typed
    ignored_words: list[str] = field(default_factory=list)  # analysed to nothing: stop words


def compile_query(tree: ql.Node | None, *, reader, max_expansions: int) -> Compiled:
    compiled = Compiled(None)
    compiler = Compiler(reader, max_expansions, compiled)
    compiled.query = compiler.node(tree, negated=False)
    compiled.notices.extend(compiler.prefixes.notices)
    compiled.expansions = compiler.prefixes.expansions
    return compiled


class Compiler:
    def __init__(self, reader, max_expansions: int, compiled: Compiled):
        self.reader = reader
        self.compiled = compiled
        self.prefixes = PrefixExpander(self.candidates, max_expansions=max_expansions)

    def node(self, node: ql.Node | None, *, negated: bool) -> wq.Query | None:
        if isinstance(node, ql.Not):
            child = self.node(node.child, negated=not negated)
            return wq.Not(child) if child is not None else None
        if isinstance(node, ql.MinShouldMatch):
            children = [self.node(child, negated=negated) for child in node.children]
            return AtLeast([child for child in children if child is not None], node.minimum)
        if isinstance(node, ql.And | ql.Or):
            children = [self.node(child, negated=negated) for child in node.children]
            children = [child for child in children if child is not None]
            if len(children) < 2:
                return children[0] if children else None
            return (wq.And if isinstance(node, ql.And) else wq.Or)(children)
        if isinstance(node, ql.Term | ql.Phrase):
            per_field = [self.leaf(node, name, negated=negated) for name in fields_of(node.field)]
            per_field = [query for query in per_field if query is not None]
            if len(per_field) < 2:
                return per_field[0] if per_field else None
            return wq.Or(per_field)
        return None

    def leaf(self, node: ql.Term | ql.Phrase, fieldname: str, *, negated: bool):
        if isinstance(node, ql.Term) and node.prefix:
            words = self.prefixes.words(fieldname, node.text)
            if not negated:
                self.compiled.terms.update(words)
            terms = [wq.Term(fieldname, word) for word in words]
            return wq.Or(terms) if len(terms) > 1 else (terms[0] if terms else None)
        words = analyse(node.text)
        if not negated:
            self.compiled.terms.update(word[0] for word in words)
        if len(words) == 1:
            return wq.Term(fieldname, words[0][0])
        if not words:
            if node.text not in self.compiled.ignored_words:
                self.compiled.ignored_words.append(node.text)
            return None
        first = words[0][1]
        return Phrase(fieldname, [w[0] for w in words], [w[1] - first for w in words])

    def candidates(self, fieldname: str, start: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        # Segment by segment, in term order: each word's document frequency comes with it,
        # where asking the whole reader for it looks every word up in every segment's hash
        # table (most of a many-prefix query's time).
        for segment_reader, _offset in self.reader.leaf_readers():
            for number, (word, info) in enumerate(segment_reader.iter_prefix(fieldname, start)):
                if number >= MAX_PREFIX_CANDIDATES:
                    break
                text = word.decode("utf-8")
                counts[text] = counts.get(text, 0) + info.doc_frequency()
        return counts


def fields_of(field_name: str | None) -> tuple[str, ...]:
    return (field_name,) if field_name else TEXT_FIELDS
