"""The product's query language, parsed once into a small engine-neutral tree.

The language: words, "phrases", prefix* (a trailing star), AND / OR / NOT and a leading minus
(NOT), parentheses, and ``title:`` / ``body:`` before a word, phrase or group. Words side by
side must all match. An explicit OR binds tighter than that and looser than an explicit AND:
``a b OR c`` is a AND (b OR c), ``a AND b OR c`` is (a AND b) OR c, as Whoosh and web search
engines read them. Operators are upper case; ``and``/``or``/``not`` are ordinary words.

Every engine compiles this tree (``Term``, ``Phrase``, ``And``, ``Or``, ``Not`` and
``MinShouldMatch``); words stay as typed, and each engine analyses them its own way (stemming,
accents, stop words).

A long question rarely has all its words in one article: ``relaxed`` turns the plain words
of a query without AND, OR or a prefix (``ParsedQuery.bare``) into "most of these words"
(``MinShouldMatch``), which an engine searches when the query finds fewer than
``RELAX_BELOW`` articles; when most of them find fewer too, any of them (``Relaxed.steps``).
Anything explicit keeps its meaning: a phrase, a ``title:`` word and an exclusion (``-word``,
``NOT word``) stay required around the relaxed words; ``a AND b AND c`` requires every word
(the link that says so), and ``a b`` of one or two plain words is never relaxed. Punctuation
of prose is text: parentheses around words side by side change nothing, a quoted single word
is that word, a question mark is no wildcard, and a hyphen inside a word is part of it.

Malformed or hostile input never raises: control characters go, an over-long query is cut,
an unmatched quote or parenthesis is ignored, a field other than title/body is read as words,
and so are ranges, fuzzy ``~`` and boosts ``^`` (not in the language: ranges cost seconds on
a large index); a star other than a trailing one is dropped, and so is a prefix too short to
bound; a question mark is punctuation. The tree is bounded in size and depth. Each repair
adds a notice for the user.

Hand-written rather than luqum: the grammar is seven constructs, every input must parse (luqum
raises on malformed input and would need the same repairs around it), and PLY, under luqum,
keeps parser state that is not safe to share between threads (luqum issues #72 and #108).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

FIELDS = ("title", "body")
MAX_QUERY_CHARS = 500
MAX_CLAUSES = 30  # words that can match and phrases in one query (the cost of a query)
# Words every engine leaves out of its index (Whoosh's stop list and PostgreSQL's English one
# have these in common): they cost nothing to search, so they do not count toward MAX_CLAUSES.
# fmt: off
COMMON_STOP_WORDS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "have", "if", "in",
    "is", "it", "not", "of", "on", "or", "that", "the", "this", "to", "we", "when", "will",
    "with", "you", "your",
))
# fmt: on
MAX_DEPTH = 8  # nested parentheses
MIN_PREFIX_CHARS = 2
# Fewer matches than this (with every word required, in the search's filters) and a bare run
# of words is searched for most of its words instead: the same "only a handful" below which
# the engines offer "did you mean"; one or two hits for a long question are a near dead end.
RELAX_BELOW = 3
# Plain words a query needs before it is relaxed; up to ALL_BUT_ONE_UP_TO words, a relaxed
# match has all but one of them, and longer questions any of them, ranked (``required_words``).
RELAX_FROM_WORDS = 3
ALL_BUT_ONE_UP_TO = 5

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<field>(?i:title|body):)(?=["(\w])
    | (?P<minus>-)(?=["(]|(?i:title|body):["(\w])
    | (?P<phrase>"[^"]*")(?P<phrase_suffix>[~^][\d.]*)?
    | (?P<open>\()
    | (?P<close>\))
    | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)
OPERATORS = {"AND", "OR", "NOT"}
UNSUPPORTED_SUFFIX = re.compile(r"[~^][\d.]*$")
RANGE_CHARACTERS = re.compile(r"[\[\]{}]")
UNKNOWN_FIELD = re.compile(r"^([^:]+):(?=.)")
ONE_WORD = re.compile(r"\w+")
EDGE_PUNCTUATION = re.compile(r"^\W+|\W+$")  # "humans." is the word humans, in a notice
COMPOUND = re.compile(r"\w+(?:-\w+)+")


@dataclass(frozen=True)
class Term:
    text: str  # as typed (without the star)
    field: str | None = None  # None: title or body
    prefix: bool = False


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class MinShouldMatch:
    """At least ``minimum`` of the children (never typed: ``relaxed`` makes it)."""

    children: tuple[Node, ...]
    minimum: int


Node = Term | Phrase | And | Or | Not | MinShouldMatch


@dataclass
class ParsedQuery:
    tree: Node | None  # None: nothing to search for (browse everything)
    text: str  # the query as cleaned, before parsing (what "did you mean" respells)
    notices: list[str] = field(default_factory=list)
    bare: bool = False  # no AND, OR or prefix: its plain words may be relaxed (``relaxed``)


def parse(raw: str) -> ParsedQuery:
    notices: list[str] = []
    text = clean_text(raw, notices)
    tokens = tokenize(text, notices) if text else []
    tree = Parser(tokens, notices).parse() if text else None
    if tree is None and text:
        add_once(notices, "The query has no words to search for; showing all articles.")
    return ParsedQuery(tree, text, notices, bare=is_bare(tokens, tree))


def is_bare(tokens: list[Token], tree: Node | None) -> bool:
    """No AND, OR or prefix: clauses side by side, whose plain words may be relaxed while
    the rest (a phrase, a field, an exclusion) stays required. An explicit AND or OR says
    how words combine, and a prefix stands for many words: those queries mean what they say."""
    if not tokens or any(
        token.text in ("AND", "OR") for token in tokens if token.kind == "operator"
    ):
        return False
    return not any(isinstance(leaf, Term) and leaf.prefix for leaf, _negated in leaves(tree))


def is_plain_word(node: Node) -> bool:
    """A word without a field or a star, or quotes around one word (a phrase of one word is
    that word, in every engine): parentheses around words side by side are flattened away
    by the parser ("a (b c) d" is a b c d), so punctuation of prose leaves plain words."""
    if isinstance(node, Term):
        return node.field is None and not node.prefix
    return isinstance(node, Phrase) and node.field is None and bool(ONE_WORD.fullmatch(node.text))


@dataclass(frozen=True)
class Relaxed:
    """A query's plain words as "most of them": ``words`` the words that count (as typed,
    stop words out), ``minimum`` how many of them each match has; ``required`` the query's
    other clauses (phrases, fields, exclusions), which every match still satisfies."""

    plain: tuple[Node, ...]
    words: tuple[str, ...]
    minimum: int
    required: tuple[Node, ...] = ()

    @property
    def tree(self) -> Node:
        # Any of the words: a hyphenated word's parts too, as separate words ("boundary-layer"
        # finds "boundary"), as Lucene's query parsers read them; most of the words counts
        # each typed word once, so it stays whole (its parts side by side).
        plain = self.plain if self.minimum > 1 else word_parts(self.plain)
        most = MinShouldMatch(plain, self.minimum)
        return And((most, *self.required)) if self.required else most

    @property
    def every_word_text(self) -> str:
        """The query that requires every word (explicit AND: never relaxed)."""
        return " AND ".join([*self.words, *(to_text(clause) for clause in self.required)])

    def steps(self) -> tuple[Relaxed, ...]:
        """Most of the words, then any of them, ranked: an engine searches each in turn until
        one finds at least ``RELAX_BELOW`` articles (the last stands whatever it finds), so a
        question that shares a word with some article never dead-ends."""
        if self.minimum == 1:
            return (self,)
        return (self, replace(self, minimum=1))


def required_words(count: int) -> int:
    """How many of ``count`` words a relaxed match has: all but one of 3–5 words, any one
    of longer questions (ranked: those with more of the words, and rarer ones, come first);
    every one of 1 or 2."""
    if count < RELAX_FROM_WORDS:
        return count
    if count <= ALL_BUT_ONE_UP_TO:
        return count - 1
    return 1


def word_parts(words: tuple[Node, ...]) -> tuple[Node, ...]:
    """The words with each hyphenated one ("boundary-layer") as its parts, each part once."""
    parts: dict[str, Node] = {}
    for word in words:
        texts = (
            word.text.split("-")
            if isinstance(word, Term) and COMPOUND.fullmatch(word.text)
            else None
        )
        for part in [Term(text) for text in texts] if texts else [word]:
            parts.setdefault(part.text.lower(), part)
    return tuple(parts.values())


def relaxed(parsed: ParsedQuery, *, counts: Callable[[list[str]], list[bool]]) -> Relaxed | None:
    """``parsed`` as most of its plain words, or None when it is not to be relaxed (not bare,
    or fewer than ``RELAX_FROM_WORDS`` plain words that count). ``counts(texts)`` is the
    engine's stop-word rule: for each word, whether its analysis keeps anything to match."""
    if not parsed.bare or parsed.tree is None:
        return None
    clauses = parsed.tree.children if isinstance(parsed.tree, And) else (parsed.tree,)
    plain = [clause for clause in clauses if is_plain_word(clause)]
    required = tuple(clause for clause in clauses if not is_plain_word(clause))
    unique = list({word.text.lower(): word for word in plain}.values())
    keep = counts([word.text for word in unique])
    kept = tuple(word for word, counted in zip(unique, keep, strict=True) if counted)
    if len(kept) < RELAX_FROM_WORDS:
        return None
    words = tuple(EDGE_PUNCTUATION.sub("", word.text) or word.text for word in kept)
    return Relaxed(kept, words, required_words(len(kept)), required)


def add_once(notices: list[str], message: str) -> None:
    if message not in notices:
        notices.append(message)


def clean_text(raw: str, notices: list[str]) -> str:
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
    if not parentheses_balance(text):
        text = " ".join(text.replace("(", " ").replace(")", " ").split())
        notices.append("Ignored unmatched parentheses.")
    return text


def parentheses_balance(text: str) -> bool:
    """Outside quotes, every ``)`` closes an earlier ``(``, and all are closed."""
    depth = 0
    for index, part in enumerate(text.split('"')):
        if index % 2:
            continue  # inside a phrase
        for character in part:
            depth += {"(": 1, ")": -1}.get(character, 0)
            if depth < 0:
                return False
    return depth == 0


@dataclass(frozen=True)
class Token:
    kind: str  # word, phrase, field, open, close, operator
    text: str


def tokenize(text: str, notices: list[str]) -> list[Token]:
    tokens: list[Token] = []
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group(kind)
        if kind == "phrase_suffix":
            kind, value = "phrase", match.group("phrase")
            add_once(notices, "Ignored “~” and “^”: fuzzy and boosted words are not supported.")
        if kind == "space":
            continue
        if kind == "minus":
            tokens.append(Token("operator", "NOT"))
            continue
        if kind == "word":
            tokens += word_tokens(value, notices)
        elif kind == "phrase":
            tokens.append(Token("phrase", value[1:-1]))
        elif kind == "field":
            tokens.append(Token("field", value[:-1].lower()))
        else:
            tokens.append(Token(kind, value))
    return tokens


def word_tokens(value: str, notices: list[str]) -> list[Token]:
    if value in OPERATORS:
        return [Token("operator", value)]
    if value.startswith("-") and len(value) > 1:
        return [Token("operator", "NOT"), *word_tokens(value[1:], notices)]
    if "?" in value:
        # Not a wildcard in this language: the question mark of a question ("why?").
        return word_tokens(value.replace("?", ""), notices)
    inner_wildcards = value.rstrip("*")
    if "*" in inner_wildcards:
        add_once(notices, "A wildcard works only at a word's end (cyber*); ignored others.")
        cleaned = inner_wildcards.replace("*", "") + value[len(inner_wildcards) :]
        return word_tokens(cleaned, notices) if cleaned else []
    if RANGE_CHARACTERS.search(value):
        add_once(notices, "Ranges such as [a TO z] are not supported; searched their words.")
        return word_tokens(RANGE_CHARACTERS.sub("", value), notices)
    if UNSUPPORTED_SUFFIX.search(value) and len(value) > 1:
        add_once(notices, "Ignored “~” and “^”: fuzzy and boosted words are not supported.")
        return word_tokens(UNSUPPORTED_SUFFIX.sub("", value), notices)
    unknown = UNKNOWN_FIELD.match(value)
    if unknown:
        add_once(
            notices, f"“{unknown.group(1)}:” is not a field you can search; searched it as a word."
        )
        words = [part for part in value.split(":") if part]
        return [token for word in words for token in word_tokens(word, notices)]
    return [Token("word", value)] if value else []


class Parser:
    """Recursive descent over the tokens; never raises, drops what it cannot read."""

    def __init__(self, tokens: list[Token], notices: list[str]):
        self.tokens = tokens
        self.position = 0
        self.notices = notices
        self.clauses = 0

    def parse(self) -> Node | None:
        nodes = self.sequence(depth=0, field_name=None)
        while self.position < len(self.tokens):  # a stray ")" at the top level
            self.position += 1
            nodes += self.sequence(depth=0, field_name=None)
        return combine(And, nodes)

    def peek(self) -> Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def sequence(self, *, depth: int, field_name: str | None) -> list[Node]:
        """Clauses side by side (all must match), up to a closing parenthesis or the end."""
        nodes = []
        while (token := self.peek()) is not None and token.kind != "close":
            before = self.position
            node = self.disjunction(depth=depth, field_name=field_name)
            if node is not None:
                nodes.append(node)
            if self.position == before:  # an operator with nothing to apply to
                self.position += 1
        return nodes

    def disjunction(self, **context) -> Node | None:
        nodes = [self.conjunction(**context)]
        while self.is_operator("OR"):
            self.position += 1
            nodes.append(self.conjunction(**context))
        return combine(Or, nodes)

    def conjunction(self, **context) -> Node | None:
        nodes = [self.unary(**context)]
        while self.is_operator("AND"):
            self.position += 1
            nodes.append(self.unary(**context))
        return combine(And, nodes)

    def is_operator(self, name: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "operator" and token.text == name

    def unary(self, **context) -> Node | None:
        if self.is_operator("NOT"):
            self.position += 1
            child = self.unary(**context)
            return Not(child) if child is not None else None
        return self.atom(**context)

    def atom(self, *, depth: int, field_name: str | None) -> Node | None:
        token = self.peek()
        if token is None or token.kind in ("close", "operator"):
            return None
        self.position += 1
        if token.kind == "field":
            return self.atom(depth=depth, field_name=field_name or token.text)
        if token.kind == "open":
            if depth + 1 > MAX_DEPTH:
                add_once(self.notices, f"Parentheses nest deeper than {MAX_DEPTH}; flattened.")
                inner = self.sequence(depth=depth, field_name=field_name)
            else:
                inner = self.sequence(depth=depth + 1, field_name=field_name)
            if self.peek() is not None:  # the matching ")"
                self.position += 1
            return combine(And, inner)
        return self.leaf(token, field_name)

    def leaf(self, token: Token, field_name: str | None) -> Node | None:
        counted = not is_stop_word(token)
        if counted and self.clauses >= MAX_CLAUSES:
            add_once(
                self.notices, f"The query has more than {MAX_CLAUSES} words; searched the first."
            )
            return None
        if token.kind == "phrase":
            node: Node | None = Phrase(token.text, field_name) if token.text.strip() else None
        else:
            node = self.word(token.text, field_name)
        if node is not None and counted:
            self.clauses += 1
        return node

    def word(self, text: str, field_name: str | None) -> Term | None:
        stem = text.rstrip("*")
        prefix = stem != text
        if prefix and not stem:
            add_once(self.notices, "Ignored a wildcard that would match every article.")
            return None
        if prefix and len(stem) < MIN_PREFIX_CHARS:
            add_once(
                self.notices,
                f"Ignored “{stem}*”: a wildcard needs {MIN_PREFIX_CHARS} letters before it.",
            )
            return None
        return Term(stem, field_name, prefix=prefix)


def is_stop_word(token: Token) -> bool:
    """A word (not a prefix) that every engine leaves out, such as "the" or "the,"."""
    if token.kind != "word" or token.text.endswith("*"):
        return False
    return EDGE_PUNCTUATION.sub("", token.text).lower() in COMMON_STOP_WORDS


def combine(kind: type[And] | type[Or], nodes: list[Node | None]) -> Node | None:
    """One node from several: None dropped, one left alone, same kinds flattened."""
    kept: list[Node] = []
    for node in nodes:
        if node is None:
            continue
        kept += node.children if isinstance(node, kind) else [node]
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else kind(tuple(kept))


def to_text(node: Node | None) -> str:
    """The tree written back in the language (parses to an equal tree)."""
    if node is None:
        return ""
    if isinstance(node, Term):
        field_prefix = f"{node.field}:" if node.field else ""
        return f"{field_prefix}{node.text}{'*' if node.prefix else ''}"
    if isinstance(node, Phrase):
        return f'{node.field + ":" if node.field else ""}"{node.text}"'
    if isinstance(node, Not):
        return f"NOT {to_text(node.child)}"
    joiner = " OR " if isinstance(node, Or) else " AND "
    return "(" + joiner.join(to_text(child) for child in node.children) + ")"


def leaves(node: Node | None, *, negated: bool = False):
    """(leaf, whether it sits under a NOT) for every Term and Phrase of the tree."""
    if node is None:
        return
    if isinstance(node, Term | Phrase):
        yield node, negated
    elif isinstance(node, Not):
        yield from leaves(node.child, negated=not negated)
    else:
        for child in node.children:
            yield from leaves(child, negated=negated)
