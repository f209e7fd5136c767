"""The Whoosh engine's phrase check (search/engine/whoosh/phrases.py) on a real index on disk:
the same answers however the word-position column is read (a read a document, or runs of
many with the documents between them), and a check that runs past the search's time budget
stops, answers with what it has and says so."""

from __future__ import annotations

import itertools
import math
import random
import time
from types import SimpleNamespace

import numpy as np
import pytest

from bench import corpus as bench_corpus
from search import engine
from search.documents import IndexDocument
from search.engine.contract import CUT_SHORT_NOTICE
from search.engine.whoosh import phrases, searching
from search.engine.whoosh.analysis import analyse
from search.engine.whoosh.compiling import Phrase
from search.engine.whoosh.schema import sequence_field, stem_code
from search.query import SearchQuery

# A phrase in every seventh article.
PHRASE = "Indo-Pacific supply chain"
SENTENCE = f"\nOfficials spoke of the {PHRASE} again."


@pytest.fixture
def documents(settings):
    """300 generated articles in two segments, some updated and some deleted."""
    settings.SEARCH_ENGINE = "whoosh"
    maker = bench_corpus.ArticleMaker(bench_corpus.Vocabulary(), np.random.default_rng(7))
    documents = [
        IndexDocument(
            id=n + 1,
            title=article["title"],
            body="\n".join(article["paragraphs"]) + (SENTENCE if n % 7 == 0 else ""),
            published=None,
            ministers=(),
            topics=(),
        )
        for n, article in enumerate(maker.article(n) for n in range(300))
    ]
    engine.reset()
    engine.rebuild(documents[:200])
    with engine.open_writer(timeout=5) as writer:
        for document in documents[200:] + documents[:10]:
            writer.upsert(document)
        for document in documents[50:55]:
            writer.delete(document.id)
    yield documents
    engine.reset()


def phrase_nodes(documents, count: int, rng: random.Random) -> list[Phrase]:
    """Runs of 2-4 words cut from the texts (stop words inside leave gaps), and shuffled."""
    nodes = []
    for document in rng.sample(documents, count):
        for fieldname, text in (("title", document.title), ("body", document.body)):
            words = [word[:2] for word in analyse(text)]  # (stem, position)
            length = rng.choice((2, 3, 4))
            if len(words) > length:
                start = rng.randrange(len(words) - length)
                run = words[start : start + length]
                first = run[0][1]
                nodes.append(Phrase(fieldname, [w for w, _ in run], [p - first for _, p in run]))
                stems = [w for w, _ in run]
                rng.shuffle(stems)
                nodes.append(Phrase(fieldname, stems, list(range(len(stems)))))
    return nodes


def word_codes(searcher, fieldname: str) -> list[np.ndarray]:
    """Each document's word codes (by docnum), read through Whoosh's own column reader."""
    codes = []
    for subsearcher, _ in phrases.leaves(searcher):
        column = subsearcher.reader().column_reader(sequence_field(fieldname))
        codes += [np.frombuffer(column[d], dtype="<u4") for d in range(subsearcher.doc_count_all())]
    return codes


def one_by_one(searcher, node: Phrase, candidates: np.ndarray) -> set[int]:
    """The reference: each candidate checked on its own, position by position."""
    wanted = [
        (offset, stem_code(word)) for word, offset in zip(node.words, node.offsets, strict=True)
    ]
    span = node.offsets[-1]
    found = set()
    for docnum, codes in enumerate(word_codes(searcher, node.fieldname)):
        if candidates[docnum]:
            starts = range(len(codes) - span)
            if any(all(codes[at + shift] == code for shift, code in wanted) for at in starts):
                found.add(docnum)
    return found


def read(function):
    return searching.reading(lambda snapshot, searcher: function(searcher))


@pytest.mark.parametrize(
    "gap_bytes, read_bytes",
    [
        (phrases.GAP_BYTES, phrases.READ_BYTES),  # as served: one run here
        (0, 4),  # a read a document
        (0, 1 << 20),  # a run broken wherever a non-candidate lies between two candidates
        (1 << 20, 64),  # runs of a few documents, non-candidates read along
    ],
)
def test_the_check_finds_what_a_document_by_document_check_finds(
    documents, monkeypatch, gap_bytes, read_bytes
):
    monkeypatch.setattr(phrases, "GAP_BYTES", gap_bytes)
    monkeypatch.setattr(phrases, "READ_BYTES", read_bytes)
    nodes = phrase_nodes(documents, 10, random.Random(3))

    def check(searcher):
        size = searcher.doc_count_all()
        scattered = np.random.default_rng(1).random(size) < 0.3
        matched = 0
        for node, candidates in itertools.product(nodes, (np.ones(size, dtype=bool), scattered)):
            found, ran_out = phrases.in_sequence(searcher, node, candidates)
            expected = one_by_one(searcher, node, candidates)
            assert not ran_out
            assert set(np.flatnonzero(found).tolist()) == expected, (node.words, node.offsets)
            matched += bool(expected)
        return matched

    assert read(check) > 15  # most of the phrases cut from the texts are found


def clock(readings: list[float]) -> SimpleNamespace:
    """A stand-in for the phrase check's clock: ``readings`` in turn, then the last again."""
    remaining = iter(readings)
    now = [readings[0]]

    def monotonic() -> float:
        now[0] = next(remaining, now[0])
        return now[0]

    return SimpleNamespace(monotonic=monotonic)


def known_phrase(searcher) -> tuple[Phrase, set[int]]:
    """``PHRASE`` as the engine compiles it, and the documents holding it."""
    words = analyse(PHRASE)
    node = Phrase("body", [word[0] for word in words], [word[1] - words[0][1] for word in words])
    return node, one_by_one(searcher, node, np.ones(searcher.doc_count_all(), dtype=bool))


def test_a_check_past_its_deadline_reads_no_more_and_keeps_what_it_found(documents, monkeypatch):
    def check(searcher):
        node, everything = known_phrase(searcher)
        assert len(everything) > 30
        candidates = np.ones(searcher.doc_count_all(), dtype=bool)
        # A budget already spent: nothing is checked.
        found, ran_out = phrases.in_sequence(
            searcher, node, candidates, deadline=time.monotonic() - 1
        )
        assert ran_out and not found.any()
        # A read a document, and the clock past the deadline once the first match is read.
        long_enough = [
            docnum
            for docnum, codes in enumerate(word_codes(searcher, node.fieldname))
            if len(codes) > node.offsets[-1]
        ]
        reads = long_enough.index(min(everything)) + 1
        monkeypatch.setattr(phrases, "READ_BYTES", 4)
        monkeypatch.setattr(phrases, "time", clock([0.0] * reads + [math.inf]))
        found, ran_out = phrases.in_sequence(searcher, node, candidates, deadline=1.0)
        assert ran_out
        assert set(np.flatnonzero(found).tolist()) == everything & set(long_enough[:reads])
        assert {min(everything)} == set(np.flatnonzero(found).tolist()) < everything

    read(check)


def test_a_phrase_search_whose_check_runs_out_of_time_says_it_was_cut_short(documents, monkeypatch):
    phrase = f'"{PHRASE}"'
    whole = engine.search(SearchQuery(q=phrase))
    assert whole.total > 30 and CUT_SHORT_NOTICE not in whole.notices
    # The words read in time, and the clock past the budget when the phrase check starts
    # (as if reading the words had taken all of it).
    monkeypatch.setattr(phrases, "time", clock([math.inf]))
    cut = engine.search(SearchQuery(q=phrase))
    assert CUT_SHORT_NOTICE in cut.notices
    assert cut.total < whole.total
    assert cut.suggestion is None and cut.relaxed is None
