"""Did-you-mean's shared parts (``search.engine.respelling``): the edit distance every
embedded engine ranks near spellings by."""

from __future__ import annotations

from search.engine.respelling import code_points, edit_distances


def distances(word: str, words: list[str]) -> list[int]:
    return edit_distances(word, code_points(words, len(words[0]))).tolist()


def test_an_adjacent_swap_counts_one_edit():
    assert distances("securty", ["security", "securely", "sincerer"]) == [1, 2, 5]
    assert distances("sceurity", ["security"]) == [1]
    assert distances("security", ["security"]) == [0]


def test_words_of_any_alphabet_are_compared_by_their_letters():
    assert distances("café", ["cafe", "café"]) == [1, 0]
    assert distances("москва", ["моксва", "москва"]) == [1, 0]
