"""A prefix's words and bounds (search.engine.prefixes), the same on the embedded engines:
against a term dictionary given as plain data."""

from __future__ import annotations

from search.engine.prefixes import MAX_EXPANDED_WORDS, PrefixExpander
from search.query import PrefixExpansion

# field -> indexed word -> documents holding it
DICTIONARY = {
    "body": {"cooper": 9, "continu": 4, "cyber": 7, "secur": 5, "securities": 2, "semicon": 1},
    "title": {"cooper": 3, "cyber": 1},
}


def expander(dictionary: dict[str, dict[str, int]], *, max_expansions: int = 50):
    reads = []

    def read_candidates(fieldname: str, start: str) -> dict[str, int]:
        reads.append((fieldname, start))
        words = dictionary.get(fieldname, {})
        return {word: count for word, count in words.items() if word.startswith(start)}

    return PrefixExpander(read_candidates, max_expansions=max_expansions), reads


def test_a_prefix_searches_the_words_starting_with_it_or_with_its_stem():
    prefixes, _reads = expander(DICTIONARY)
    assert prefixes.words("body", "Security") == ["secur", "securities"]  # stem "secur" too
    assert prefixes.words("body", "zz") == []
    assert prefixes.notices == []


def test_past_its_bound_a_prefix_searches_its_most_common_words_and_says_so():
    prefixes, _reads = expander(DICTIONARY, max_expansions=1)
    assert prefixes.words("body", "co") == ["cooper"]
    assert prefixes.expansions == {"co": PrefixExpansion("co", ("cooper",), True)}
    assert prefixes.notices == ["“co*” matches many words; searched the 1 most common."]


def test_the_title_and_body_words_of_a_prefix_are_one_expansion():
    prefixes, _reads = expander(DICTIONARY)
    prefixes.words("title", "c")
    prefixes.words("body", "c")
    assert prefixes.expansions["c"] == PrefixExpansion("c", ("cooper", "cyber", "continu"), False)


def test_prefixes_past_the_querys_word_budget_are_left_out_with_a_notice_and_not_read():
    many = {"body": {f"wa{n:03}": 1 for n in range(MAX_EXPANDED_WORDS)} | {"wb": 1}}
    prefixes, reads = expander(many, max_expansions=1000)
    assert len(prefixes.words("body", "wa")) == MAX_EXPANDED_WORDS
    assert prefixes.words("body", "wb") == []
    assert prefixes.expansions["wb"] == PrefixExpansion("wb", (), True)
    assert prefixes.notices == [
        f"“wb*” was left out: the query's other prefixes already match {MAX_EXPANDED_WORDS} words."
    ]
    assert ("body", "wb") not in reads
