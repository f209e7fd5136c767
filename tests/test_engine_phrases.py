"""Phrases from the word-pair fields (engine.phrases): exactly Whoosh's phrase matches.

Each test builds a fresh on-disk index (the autouse fixture points it at tmp_path) and
compares ``phrase_mask`` with Whoosh's own phrase matcher (``searcher.docs_for_query``) on
an index of the same documents whose text fields keep word positions, as ours did before
the word pairs.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.qparser import QueryParser

from search import engine, index_sync
from search.documents import IndexDocument
from search.engine import storage, writing
from search.engine.phrases import phrase_mask, term_mask
from search.engine.schema import (
    TEXT_FIELDS,
    TITLE_BOOST,
    FastText,
    build_schema,
    pairs_field,
    sequence_field,
    text_analyzer,
    to_fields,
)
from search.query import SearchQuery


def doc(id: int, title: str, body: str) -> IndexDocument:
    return IndexDocument(id=id, title=title, body=body, published=None, ministers=(), topics=())


HAND_WRITTEN = [
    doc(1, "People know", "Most people know the prime minister of India."),
    doc(2, "Nobody", "People do not really know it; the know-how of people is known."),
    doc(3, "Stop words between", "People of the world know; people, know."),
    doc(4, "Repeats", "New new york, new york new york. People people know people."),
    doc(5, "Café crème", "A café crème at the Café de Flore: Café Crème is served."),
    doc(6, "Prime", "Minister prime; the minister said the prime minister said so."),
    doc(7, "Supply chain people", "Know supply. Chain of supply chains; supply chain risk."),
    doc(8, "Last year", "Last year and the year before last, last years' results."),
    doc(9, "Pairs apart", "The prime minister spoke. Later the minister said nothing."),
]


def searcher():
    return storage.open_live_index().searcher()


def phrase(fieldname: str, text: str) -> wq.Phrase:
    """The Phrase node the app's parser makes of ``"text"`` in one field (analysed words)."""
    node = QueryParser(fieldname, build_schema()).parse(f'"{text}"')
    assert isinstance(node, wq.Phrase), node
    return node


def whoosh_matches(documents, node, tmp_path) -> set[int]:
    """Article ids Whoosh's phrase matcher finds among ``documents`` (indexed with positions)."""
    directory = tmp_path / f"positions-{len(documents)}-{id(documents)}"
    if not directory.exists():
        directory.mkdir()
        schema = schema_before_pairs()
        writer = whoosh_index.create_in(str(directory), schema).writer()
        for document in documents:
            writer.add_document(**to_fields(document, schema))
        writer.commit()
    with whoosh_index.open_dir(str(directory)).searcher() as reference:
        return article_ids(reference, set(reference.docs_for_query(node)))


def mask_of(searcher, node):
    """``phrase_mask`` given its words' masks, as the scorer gives them."""
    size = searcher.doc_count_all()
    words = [term_mask(searcher, node.fieldname, word, size) for word in node.words]
    return phrase_mask(searcher, node, words)


def pairs_matches(searcher, node) -> set[int]:
    mask = mask_of(searcher, node)
    assert mask is not None
    live = np.array([not searcher.reader().is_deleted(d) for d in range(len(mask))])
    return set(np.flatnonzero(mask & live).tolist())


def article_ids(searcher, docnums: set[int]) -> set[int]:
    return {int(searcher.stored_fields(docnum)["id"]) for docnum in docnums}


@pytest.mark.parametrize(
    "fieldname, text, expected",
    [
        ("body", "people know", {1, 3, 4}),
        ("body", "prime minister", {1, 6, 9}),
        ("body", "prime minister of India", {1}),  # "of" is a stop word: no gap
        ("body", "prime minister said", {6}),  # 9 has both pairs, but not in a row
        ("body", "prime minister India", {1}),
        ("body", "minister prime", {6}),
        ("body", "really know", {2}),
        ("body", "new york", {4}),
        ("body", "new new york", {4}),
        ("body", "new new new", set()),
        ("body", "york new york new york", {4}),
        ("body", "people people know people", {4}),
        ("body", "café crème", {5}),
        ("body", "CAFE CREME", {5}),
        ("body", "supply chain", {7}),
        ("body", "supply chain risk", {7}),
        ("body", "last year", {8}),
        ("body", "year last", set()),  # "year before last": "before" is kept
        ("title", "people know", {1}),
        ("title", "supply chain people", {7}),
        ("title", "prime minister", set()),
    ],
)
def test_hand_written_phrases_match_as_whoosh_does(fieldname, text, expected, tmp_path):
    engine.rebuild(HAND_WRITTEN)
    with searcher() as s:
        node = phrase(fieldname, text)
        assert article_ids(s, pairs_matches(s, node)) == expected
    assert whoosh_matches(HAND_WRITTEN, node, tmp_path) == expected


def test_a_pair_is_only_two_adjacent_kept_words():
    engine.rebuild(HAND_WRITTEN)
    with searcher() as s:
        lexicon = {term.decode() for term in s.reader().lexicon("body_pairs")}
        # Doc 2: "people do not really know": "do" is kept, "not" is a stop word.
        assert {"peopl do", "do realli", "realli know"} <= lexicon
        # Words with a kept word between them are never a pair ...
        assert pairs_matches(s, phrase("body", "people really")) == set()
        assert pairs_matches(s, phrase("body", "prime India")) == set()
        # ... nor words split between title and body (doc 1: title "... know", body "Most").
        assert article_ids(s, pairs_matches(s, phrase("body", "know most"))) == set()
        # A title's words and a body's words are separate fields.
        assert pairs_matches(s, phrase("title", "most people")) == set()


def test_one_word_and_sloppy_phrases_are_their_words():
    engine.rebuild(HAND_WRITTEN)
    with searcher() as s:
        one_word = mask_of(s, wq.Phrase("body", ["chain"]))
        assert article_ids(s, set(np.flatnonzero(one_word).tolist())) == {7}
        sloppy = mask_of(s, wq.Phrase("body", ["peopl", "world"], slop=3))
        assert article_ids(s, set(np.flatnonzero(sloppy).tolist())) == {3}
        assert mask_of(s, wq.Phrase("minister", ["a", "b"])) is None


def corpus_articles(count: int) -> list[IndexDocument]:
    """Realistic bodies from the benchmark's generator (Zipf-distributed English words)."""
    corpus = pytest.importorskip("bench.corpus")
    maker = corpus.ArticleMaker(corpus.Vocabulary(), np.random.default_rng(11))
    articles = (maker.article(number) for number in range(count))
    return [
        doc(number + 1, article["title"], "\n".join(article["paragraphs"]))
        for number, article in enumerate(articles)
    ]


def sample_phrases(documents: list[IndexDocument], rng: random.Random) -> list[tuple[str, str]]:
    """Word runs cut from the texts (2-4 words: so they match somewhere, maybe elsewhere
    too) and the same words shuffled (mostly not adjacent), in titles and bodies."""
    phrases = [("body", "people know"), ("body", "last year"), ("body", "prime minister")]
    for document in rng.sample(documents, 40):
        for fieldname, text in (("title", document.title), ("body", document.body)):
            words = text.split()
            length = rng.choice((2, 2, 3, 4))
            if len(words) <= length:
                continue
            start = rng.randrange(len(words) - length)
            run = [word.strip(".,;:?!'\"()") for word in words[start : start + length]]
            phrases.append((fieldname, " ".join(run)))
            rng.shuffle(run)
            phrases.append((fieldname, " ".join(run)))
    return phrases


def test_phrases_on_a_generated_corpus_match_whoosh_across_segments_and_deletions(tmp_path):
    documents = corpus_articles(300)
    engine.rebuild(documents[:200])
    # Two more segments, with updates and deletions of documents in the first one.
    for batch in (documents[200:260], documents[260:] + documents[:20]):
        with engine.open_writer(timeout=5) as writer:
            for document in batch:
                writer.upsert(document)
    with engine.open_writer(timeout=5) as writer:
        for document in documents[100:110]:
            writer.delete(document.id)
    live_documents = documents[:100] + documents[110:]
    checked = matched = 0
    with searcher() as s:
        assert len(s.subsearchers or [s]) > 1
        for fieldname, text in sample_phrases(documents, random.Random(5)):
            node = QueryParser(fieldname, s.schema).parse(f'"{text}"')
            if not isinstance(node, wq.Phrase):
                continue  # fewer than two words left after stop words
            whoosh = whoosh_matches(live_documents, node, tmp_path)
            assert article_ids(s, pairs_matches(s, node)) == whoosh, (fieldname, text)
            checked += 1
            matched += bool(whoosh)
    assert checked > 60 and matched > 30


def schema_before_pairs():
    """The schema before the word pairs: no pair or sequence fields, text fields with word
    positions."""
    fields = dict(build_schema().items())
    for name in TEXT_FIELDS:
        del fields[pairs_field(name)], fields[sequence_field(name)], fields[f"spell_{name}"]
    for name, boost in (("title", TITLE_BOOST), ("body", 1.0)):
        fields[name] = FastText(
            analyzer=text_analyzer(), stored=True, field_boost=boost, spelling=True
        )
    return fields_schema(fields)


def fields_schema(fields):
    from whoosh.fields import Schema

    return Schema(**fields)


def publish_index_before_pairs(documents, old_schema=None) -> None:
    """An index as the code before the word pairs wrote it."""
    building = storage.new_building_dir()
    old_schema = old_schema or schema_before_pairs()
    writer = whoosh_index.create_in(str(building), old_schema).writer()
    for document in documents:
        writer.add_document(**to_fields(document, old_schema))
    writer.commit()
    storage.remove_old_generations(keep=storage.publish_generation(building))


def test_an_index_without_pairs_falls_back_to_whoosh_and_finds_the_same():
    publish_index_before_pairs(HAND_WRITTEN)
    with searcher() as s:
        node = phrase("body", "prime minister of India")
        assert mask_of(s, node) is None
    results = engine.search(SearchQuery(q='"prime minister"'))
    assert {hit.id for hit in results.hits} == {1, 6, 9}
    with pytest.raises(engine.IndexOutdated, match="lacks body_pairs, body_sequence"):
        engine.require_current_schema()
    # Saves still reach it (with the fields it has) until it is rebuilt.
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(doc(10, "New", "The prime minister spoke of the people."))
    results = engine.search(SearchQuery(q='"prime minister"'))
    assert {hit.id for hit in results.hits} == {1, 6, 9, 10}


def test_check_index_reports_an_outdated_index_and_repair_rebuilds_it(seeded, capsys):
    publish_index_before_pairs(index_sync.iter_public_documents())
    with pytest.raises(CommandError, match="--repair"):
        call_command("check_index")
    assert "predates the current schema" in capsys.readouterr().out
    call_command("check_index", "--repair", verbosity=0)
    engine.require_current_schema()
    assert index_sync.check_index().healthy
    with searcher() as s:
        assert pairs_field("body") in s.schema


def test_to_fields_gives_only_the_fields_an_older_index_has():
    fields = to_fields(HAND_WRITTEN[0], schema_before_pairs())
    assert pairs_field("body") not in fields and fields["body"] == HAND_WRITTEN[0].body
    assert to_fields(HAND_WRITTEN[0])[pairs_field("body")] == HAND_WRITTEN[0].body


def test_an_index_without_word_sequences_checks_phrases_against_stored_text():
    schema = build_schema()
    for name in TEXT_FIELDS:
        schema.remove(sequence_field(name))
    publish_index_before_pairs(HAND_WRITTEN, schema)
    results = engine.search(SearchQuery(q='"prime minister said"'))
    assert {hit.id for hit in results.hits} == {6}
    assert {hit.id for hit in engine.search(SearchQuery(q='"supply chain risk"')).hits} == {7}


def test_a_rebuild_pairs_the_archives_own_common_words(monkeypatch):
    """ "prime" is not among the common English words; in this archive it is everywhere."""
    monkeypatch.setattr(storage, "LEARN_COMMON_WORDS_FROM", 20)
    monkeypatch.setattr(writing, "COMMON_WORD_COUNT", 5)
    documents = [
        doc(n, f"Story {n}", f"The prime minister met ministers on day {n}. People know it.")
        for n in range(1, 31)
    ] + [doc(31, "Other", "Prime time: a minister of the prime of life.")]

    def pair_terms():
        with searcher() as s:
            return {term.decode() for term in s.reader().lexicon("body_pairs")}

    engine.rebuild(documents)  # nothing to learn from yet: the English list
    assert "prime minist" not in pair_terms() and "peopl know" in pair_terms()
    before = engine.search(SearchQuery(q='"prime minister"', per_page=50))
    engine.rebuild(documents)  # learns from the index it replaces
    assert "prime minist" in pair_terms()
    after = engine.search(SearchQuery(q='"prime minister"', per_page=50))
    assert before.total == after.total == 30
    assert [hit.id for hit in before.hits] == [hit.id for hit in after.hits]
