"""The app's analyser as indexing uses it for whole texts (``Vocabulary``): the same words,
stems and positions as ``analyse``, word by word."""

from __future__ import annotations

import re

from whoosh.analysis.tokenizers import default_pattern

from search.engine.analysis import GAP, WORD, Vocabulary, analyse, fold

TEXTS = [
    "The last of the year: rail talks, last year's plan.",
    "Café au lait in U.S.A. costs 3.50 (a 2nd-hand *wild* card); e.g. x.y..z end.",
    "",
    "   ",
    "I a an",
    "tabs\tand\nlines,\xa0no-break\u3000spaces\u2028—(rail), «rail» rail... the end",
]


def test_words_are_found_as_whoosh_finds_them():
    whoosh_words = re.compile(default_pattern.pattern, re.UNICODE)
    for text in TEXTS:
        assert WORD.findall(text) == [match.group() for match in whoosh_words.finditer(text)]


def test_stems_with_gaps_put_each_stem_at_its_position():
    vocabulary = Vocabulary()
    for text in TEXTS:
        tokens = vocabulary.stems_with_gaps(vocabulary.pieces(text)).split()
        kept = [(token, position) for position, token in enumerate(tokens) if token != GAP]
        assert kept == [(stem, position) for stem, position, _start, _end in analyse(text)]


def test_kept_words_are_the_kept_words_unstemmed():
    vocabulary = Vocabulary()
    text = "Cafés and cafés: the talks talked."
    assert set(vocabulary.kept_words(vocabulary.pieces(text)).split()) == {
        "cafes",
        "talks",
        "talked",
    }
    for text in TEXTS:
        kept = {fold(text[start:end]) for _stem, _position, start, end in analyse(text)}
        assert set(vocabulary.kept_words(vocabulary.pieces(text)).split()) == kept


def test_a_full_vocabulary_forgets_and_still_answers():
    vocabulary = Vocabulary(max_pieces=3)
    first = vocabulary.stems_with_gaps(vocabulary.pieces("rail talks satellites chips"))
    again = vocabulary.stems_with_gaps(vocabulary.pieces("rail talks satellites chips"))
    assert first == again == "rail talk satellit chip"
    assert len(vocabulary.stems) <= 4


def newly_seen(vocabulary: Vocabulary, text: str) -> set[str]:
    vocabulary.stems_with_gaps(vocabulary.pieces(text))
    return set(vocabulary.newly_seen_words().split())


def test_a_rebuild_gives_each_word_to_the_first_two_texts_that_have_it():
    vocabulary = Vocabulary()
    assert newly_seen(vocabulary, "rail talks") == {"rail", "talks"}
    assert newly_seen(vocabulary, "rail plan") == {"rail", "plan"}
    assert newly_seen(vocabulary, "rail talks plan") == {"talks", "plan"}
    assert newly_seen(vocabulary, "rail talks plan") == set()
    # Another piece of the same word ("Rail," is not "rail") gives it again, twice.
    assert newly_seen(vocabulary, "Rail, talks") == {"rail"}


def test_between_them_the_texts_carry_every_kept_word():
    vocabulary, carried = Vocabulary(max_pieces=5), set()
    for text in TEXTS * 3:
        carried |= newly_seen(vocabulary, text)
    kept = {word for text in TEXTS for word in Vocabulary().kept_words(text.split()).split()}
    assert carried == kept
