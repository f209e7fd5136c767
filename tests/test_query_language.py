"""The query language as a tree: what users type, what it means, and what is repaired."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.query_language import (
    MAX_CLAUSES,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    And,
    MinShouldMatch,
    Not,
    Or,
    Phrase,
    Term,
    Token,
    is_stop_word,
    leaves,
    parse,
    relaxed,
    required_words,
    to_text,
)


def tree(text: str):
    return parse(text).tree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cyber", Term("cyber")),
        ("cyber security", And((Term("cyber"), Term("security")))),
        ('"cyber security"', Phrase("cyber security")),
        ("cyb*", Term("cyb", prefix=True)),
        ("title:rail", Term("rail", "title")),
        ("Title:rail", Term("rail", "title")),
        ('body:"outer space"', Phrase("outer space", "body")),
        ("title:(space OR rail)", Or((Term("space", "title"), Term("rail", "title")))),
        ("cyber -rail", And((Term("cyber"), Not(Term("rail"))))),
        ("cyber NOT rail", And((Term("cyber"), Not(Term("rail"))))),
        ('-"outer space" cyber', And((Not(Phrase("outer space")), Term("cyber")))),
        ("cyber -title:security", And((Term("cyber"), Not(Term("security", "title"))))),
        ('-Body:"outer space"', Not(Phrase("outer space", "body"))),
        ("a b OR c", And((Term("a"), Or((Term("b"), Term("c")))))),
        ("a AND b OR c", Or((And((Term("a"), Term("b"))), Term("c")))),
        (
            "(space OR rail) cooperation",
            And((Or((Term("space"), Term("rail"))), Term("cooperation"))),
        ),
        ("Indo-Pacific", Term("Indo-Pacific")),  # the engine reads it as a phrase
        ("and or not", And((Term("and"), Term("or"), Term("not")))),  # lower case: words
    ],
)
def test_what_users_type_and_what_it_means(text, expected):
    parsed = parse(text)
    assert parsed.tree == expected
    assert parsed.notices == []


@pytest.mark.parametrize(
    ("text", "expected", "notice"),
    [
        ('"cyber', Term("cyber"), "unmatched quotation"),
        ("(cyber", Term("cyber"), "unmatched parentheses"),
        (") cyber (", Term("cyber"), "unmatched parentheses"),
        ("minister:kihara", And((Term("minister"), Term("kihara"))), "not a field"),
        ("[a TO z]", And((Term("a"), Term("TO"), Term("z"))), "Ranges"),
        ("cyber~2 space^3", And((Term("cyber"), Term("space"))), "fuzzy and boosted"),
        ('"cyber security"~3', Phrase("cyber security"), "fuzzy and boosted"),
        ("c*ber", Term("cber"), "word's end"),
        ("*", None, "every article"),
        ("c*", None, "needs 2 letters"),
        ("*?*?*", None, "every article"),
        ("cyber\x00", Term("cyber"), "control characters"),
    ],
)
def test_malformed_input_is_repaired_with_a_notice(text, expected, notice):
    parsed = parse(text)
    assert parsed.tree == expected
    assert any(notice in message for message in parsed.notices), parsed.notices


def test_operators_with_nothing_to_apply_to_are_dropped():
    assert tree("AND") is None
    assert tree("cyber AND") == Term("cyber")
    assert tree("NOT") is None
    assert tree("cyber OR OR space") == Or((Term("cyber"), Term("space")))


def test_size_and_depth_are_bounded():
    many = parse(" ".join(f"word{n}" for n in range(100)))
    assert len(list(leaves(many.tree))) == MAX_CLAUSES
    assert any("more than" in notice for notice in many.notices)
    deep = parse("(" * 40 + "cyber" + ")" * 40)
    assert deep.tree == Term("cyber")
    assert any("nest deeper" in notice for notice in deep.notices)
    long = parse("word " * 400)
    assert len(long.text) <= 500 and long.notices


def counted_leaves(node) -> list:
    """The leaves that count toward MAX_CLAUSES: all but stop words."""
    return [
        leaf
        for leaf, _negated in leaves(node)
        if not (isinstance(leaf, Term) and is_stop_word(Token("word", leaf.text)))
    ]


def test_stop_words_do_not_use_up_the_cap_but_words_that_can_match_do():
    # 40 words, 15 of them stop words every engine leaves out: all 25 others are searched.
    content = [f"word{n}" for n in range(25)]
    stop = ["the", "of", "and", "in", "to", "a", "is", "for", "on", "with"] + [
        "The,",
        "that",
        "are",
        "by",
        "it",
    ]
    question = [word for pair in zip(content, stop, strict=False) for word in pair]
    question += content[len(stop) :]
    assert len(question) == 40
    parsed = parse(" ".join(question))
    assert [leaf.text for leaf in counted_leaves(parsed.tree)] == content
    assert not any("more than" in notice for notice in parsed.notices)
    # 40 words that can match are still cut at 30, with the notice.
    long = parse(" ".join(f"word{n}" for n in range(40)))
    assert [leaf.text for leaf in counted_leaves(long.tree)] == [f"word{n}" for n in range(30)]
    assert f"The query has more than {MAX_CLAUSES} words; searched the first." in long.notices
    # A prefix and a phrase of stop words count: they are not what engines leave out.
    prefixes = parse(" ".join(["the*"] * 31 + ['"of the"']))
    assert len(list(leaves(prefixes.tree))) == MAX_CLAUSES


def test_leaves_say_which_are_negated():
    found = list(leaves(tree("cyber -(rail OR NOT space)")))
    assert found == [(Term("cyber"), False), (Term("rail"), True), (Term("space"), False)]


def depth(node) -> int:
    if isinstance(node, Term | Phrase) or node is None:
        return 0
    if isinstance(node, Not):
        return 1 + depth(node.child)
    return 1 + max(depth(child) for child in node.children)


query_text = st.lists(
    st.sampled_from(
        [
            "cyber",
            "space",
            '"',
            "(",
            ")",
            "AND",
            "OR",
            "NOT",
            "-",
            "*",
            "?",
            "title:",
            "body:",
            "x:",
            "~2",
            "^3",
            "[",
            "]",
            "TO",
            "café",
            "Indo-Pacific",
            " ",
            "\x00",
        ]  # fmt: skip
    )
    | st.text(max_size=8),
    max_size=60,
).map("".join)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(query_text)
def test_any_input_parses_to_a_bounded_tree_that_reads_back_the_same(text):
    parsed = parse(text)
    assert len(counted_leaves(parsed.tree)) <= MAX_CLAUSES
    assert len(list(leaves(parsed.tree))) <= MAX_QUERY_CHARS
    assert depth(parsed.tree) <= 3 * (MAX_DEPTH + 2) + MAX_CLAUSES
    assert parse(to_text(parsed.tree)).tree == parsed.tree


def test_punctuation_of_prose_is_text_so_a_question_is_still_relaxed():
    # Parentheses around words side by side and quotes around one word change nothing; a
    # question mark is not a wildcard. A hyphen inside a word is part of it.
    question = parse('what is "MEDLARS" (the medical literature system), and how is it used?')
    assert question.bare and question.notices == []
    found = relaxed(question, counts=every_word_counts)
    assert found.words == (
        "what",
        "is",
        "MEDLARS",
        "medical",
        "literature",
        "system",
        "how",
        "it",
        "used",
    )  # fmt: skip; "system," in the notice is "system"
    assert parse("is it non-circular (i.e. along the generators)").bare
    assert tree("why? how?") == And((Term("why"), Term("how")))


def test_a_relaxed_query_requires_all_but_one_of_a_few_words_and_any_of_more():
    assert [required_words(count) for count in range(1, 11)] == [1, 2, 2, 3, 4, 1, 1, 1, 1, 1]
    assert required_words(30) == 1


def test_any_of_the_words_counts_a_hyphenated_words_parts_as_words():
    found = relaxed(parse("boundary-layer separation of shock waves"), counts=every_word_counts)
    typed = (Term("boundary-layer"), Term("separation"), Term("shock"), Term("waves"))
    assert found.tree == MinShouldMatch(typed, 3)  # most of the words: each typed word once
    parts = (Term("boundary"), Term("layer"), *typed[1:])
    assert found.steps()[1].tree == MinShouldMatch(parts, 1)
    assert found.steps()[1].every_word_text == "boundary-layer AND separation AND shock AND waves"


def every_word_counts(texts):
    # As an engine's analysis: punctuation alone and stop words leave nothing to match.
    return [
        text.lower() not in {"the", "of", "and"} and any(map(str.isalnum, text)) for text in texts
    ]


def test_only_three_plain_words_or_more_without_and_or_or_a_prefix_are_relaxed():
    found = relaxed(parse("The border dispute of Israel and Syria"), counts=every_word_counts)
    words = (Term("border"), Term("dispute"), Term("Israel"), Term("Syria"))
    assert found.tree == MinShouldMatch(words, 3)
    assert found.every_word_text == "border AND dispute AND Israel AND Syria"
    assert parse(found.every_word_text).bare is False  # the link's query is never relaxed
    for explicit in (
        "a AND b AND c",
        "a b OR c",
        "a NOT b c",
        "a -b c",
        '"a b" c d',
        "title:a b c",
        "a b c*",
        "a (b OR c) d",
        "a title:(b c) d",
        "a -(b c) d",
        '"a" "b" "c d"',
        "the a of b",  # two words besides stop words
        "a b",
    ):
        assert relaxed(parse(explicit), counts=every_word_counts) is None, explicit


def test_a_phrase_a_field_and_an_exclusion_stay_required_around_the_relaxed_words():
    query = 'border dispute Israel Syria -Jordan "water rights" title:talks'
    found = relaxed(parse(query), counts=every_word_counts)
    words = (Term("border"), Term("dispute"), Term("Israel"), Term("Syria"))
    required = (Not(Term("Jordan")), Phrase("water rights"), Term("talks", "title"))
    assert found.tree == And((MinShouldMatch(words, 3), *required))
    assert found.every_word_text == (
        'border AND dispute AND Israel AND Syria AND NOT Jordan AND "water rights" AND title:talks'
    )
    assert parse(found.every_word_text).tree == parse(query).tree  # every word: as typed
    assert [step.tree for step in found.steps()][1] == And((MinShouldMatch(words, 1), *required))
