"""The Whoosh engine's own promises, beyond the contract: the same matches and BM25F scores
as Whoosh's matchers, phrases as a positional index finds them, one analysis for indexing,
queries and highlighting, damaged files reported, and the guards on Whoosh's internals."""

from __future__ import annotations

import hashlib
import json
import pickletools
import random
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from whoosh import analysis
from whoosh import fields as whoosh_fields
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.matching import ReadTooFar
from whoosh.support.charset import accent_map

from bench import corpus as bench_corpus
from search import engine
from search.documents import IndexDocument
from search.engine.snippets import matches as highlighted_words
from search.engine.whoosh import searching, storage
from search.engine.whoosh.analysis import NewsroomAnalyzer, analyse
from search.engine.whoosh.compiling import Phrase
from search.engine.whoosh.internals import UnsupportedWhooshVersion, check_whoosh_version
from search.engine.whoosh.internals.codec import NewsroomCodec
from search.engine.whoosh.matching import Scoring, best_scored
from search.engine.whoosh.phrases import leaves
from search.engine.whoosh.schema import SCHEMA_VERSION, build_schema
from search.operations import index_sync
from search.query import SearchQuery
from tests.conftest import index_directory

# Zipf-distributed words, so some are in most documents and some in a handful.
VOCABULARY = [
    "people", "time", "world", "government", "security", "japan", "india", "minister",
    "prime", "supply", "chain", "year", "last", "know", "maritime", "naval", "navy",
    "semiconductor", "satellite", "hospital", "estuary", "sonnet", "hygienist", "dialogue",
    "cooperation", "cooperate", "defence", "cyber", "space", "rail", "café", "tokyo", "delhi",
]  # fmt: skip


def doc(id, title, body):
    return IndexDocument(id=id, title=title, body=body, published=None, ministers=(), topics=())


def zipf_corpus(count: int, *, seed: int, first_id: int = 1) -> list[IndexDocument]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, len(VOCABULARY) + 1) ** 0.9
    weights /= weights.sum()

    def text(length: int) -> str:
        words = rng.choice(VOCABULARY, size=length, p=weights)
        stop_words = rng.choice(["the", "of", "and", "to"], size=length)
        keep_stop = rng.random(length) < 0.2
        return " ".join(
            f"{s} {w}" if k else w for w, s, k in zip(words, stop_words, keep_stop, strict=True)
        )

    return [
        doc(first_id + n, text(int(rng.integers(2, 9))), text(int(rng.integers(5, 400))))
        for n in range(count)
    ]


@pytest.fixture
def segmented_index():
    """Three segments, with updated and deleted documents."""
    engine.reset()
    engine.rebuild(zipf_corpus(300, seed=1))
    with engine.open_writer(timeout=10) as writer:
        for document in zipf_corpus(40, seed=2, first_id=281):  # 20 updated, 20 new
            writer.upsert(document)
        for article_id in range(1, 300, 17):
            writer.delete(article_id)
    with engine.open_writer(timeout=10) as writer:
        for document in zipf_corpus(15, seed=3, first_id=400):
            writer.upsert(document)
    with searching.CACHE.searching() as (snapshot, searcher):
        assert len(leaves(searcher)) > 1
        yield snapshot, searcher
    engine.reset()


SCORED_QUERIES = [
    "people",
    "hygienist",
    "people world",
    "maritime security",
    "navy OR naval",
    "security -japan",
    "security NOT (japan OR india)",
    "(space OR rail) cooperation",
    '"prime minister"',
    '"supply chain" security',
    '"last year"',
    '"people know" OR hospital',
    "title:security",
    "title:people body:world",
    "secur*",
    "cafe",
    "nosuchword",
    "people nosuchword",
]


def words_for_phrases(node):
    """The query with each phrase read as all its words: what Whoosh can run on text fields
    without positions, and what a phrase scores (Whoosh's phrase matcher sums its words)."""
    if isinstance(node, Phrase):
        return wq.And([wq.Term(node.fieldname, word) for word in node.words])
    if node.is_leaf():
        return node
    return node.apply(words_for_phrases)


def top_by_whoosh(searcher, node, docnums: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) among ``docnums`` by Whoosh's own matcher."""
    context = searcher.context()
    scored: list[tuple[float, int]] = []
    for subsearcher, offset in leaves(searcher):
        count = subsearcher.doc_count_all()
        local = docnums[(docnums >= offset) & (docnums < offset + count)] - offset
        matcher = node.matcher(subsearcher, context)
        for docnum in local.tolist():
            try:
                matcher.skip_to(docnum)
            except ReadTooFar:
                break
            if matcher.is_active() and matcher.id() == docnum:
                scored.append((matcher.score(), -(docnum + offset)))
    scored.sort(reverse=True)
    return [(-negative_docnum, score) for score, negative_docnum in scored[:limit]]


@pytest.mark.parametrize("text", SCORED_QUERIES)
def test_same_matches_and_scores_as_whoosh(segmented_index, text):
    snapshot, searcher = segmented_index
    compiled, _parsed = searching.compiled_query(text, searcher.reader())
    ours = searching.matches(snapshot, Scoring(searcher, snapshot.lengths), compiled.query)
    ours_docnums = np.flatnonzero(ours.mask)
    if compiled.query is None:
        assert text.startswith("nosuch") or not ours_docnums.size
        return
    has_phrase = any(isinstance(node, Phrase) for node in compiled.query.leaves())
    reference = words_for_phrases(compiled.query)
    whoosh_docnums = sorted(d for d in searcher.docs_for_query(reference) if snapshot.live[d])
    whoosh_scores = dict(top_by_whoosh(searcher, reference, ours_docnums, 10**6))
    if has_phrase:  # which documents a phrase matches: the positional test below
        assert set(ours_docnums.tolist()) <= set(whoosh_docnums)
        for docnum in ours_docnums.tolist():
            assert 0 < ours.scores[docnum] <= whoosh_scores[docnum] * (1 + 1e-6)
        return
    assert ours_docnums.tolist() == whoosh_docnums
    for docnum in ours_docnums.tolist():
        assert ours.scores[docnum] == pytest.approx(whoosh_scores[docnum], rel=1e-6)
    page = best_scored(ours.scores, ours.mask, 10)
    expected = top_by_whoosh(searcher, reference, ours_docnums, 10)
    assert [docnum for docnum, _ in page] == [docnum for docnum, _ in expected]


def test_best_scored_breaks_ties_by_lower_docnum():
    scores = np.array([1.0, 3.0, 2.0, 3.0, 2.0, 2.0, 0.5])
    matched = np.array([True, True, True, True, True, True, False])
    assert best_scored(scores, matched, 4) == [(1, 3.0), (3, 3.0), (2, 2.0), (4, 2.0)]
    assert best_scored(scores, matched, 10)[-1] == (0, 1.0)
    assert best_scored(scores, np.zeros(7, dtype=bool), 3) == []


def positional_reference(documents: list[IndexDocument], path: Path):
    """Stock Whoosh with word positions, stop words leaving gaps (``renumber=False``)."""
    analyzer = (
        analysis.RegexTokenizer()
        | analysis.LowercaseFilter()
        | analysis.CharsetFilter(accent_map)
        | analysis.StopFilter(renumber=False)
        | analysis.StemFilter()
    )
    schema = whoosh_fields.Schema(
        id=whoosh_fields.ID(stored=True),
        title=whoosh_fields.TEXT(analyzer=analyzer, phrase=True),
        body=whoosh_fields.TEXT(analyzer=analyzer, phrase=True),
    )
    path.mkdir()
    reference = whoosh_index.create_in(str(path), schema)
    with reference.writer() as writer:
        for document in documents:
            writer.add_document(id=str(document.id), title=document.title, body=document.body)
    return reference


def sample_phrases(documents: list[IndexDocument], rng: random.Random):
    """Runs of 2-4 words cut from the texts, and the same words shuffled."""
    phrases = [("body", "people know"), ("body", "last year"), ("body", "prime minister")]
    for document in rng.sample(documents, 40):
        for fieldname, text in (("title", document.title), ("body", document.body)):
            words = [word.strip(".,;:?!'\"()") for word in text.split()]
            length = rng.choice((2, 2, 3, 4))
            if len(words) > length:
                start = rng.randrange(len(words) - length)
                run = words[start : start + length]
                phrases.append((fieldname, " ".join(run)))
                rng.shuffle(run)
                phrases.append((fieldname, " ".join(run)))
    return phrases


def test_phrases_match_what_a_positional_index_finds(tmp_path, settings):
    maker = bench_corpus.ArticleMaker(bench_corpus.Vocabulary(), np.random.default_rng(11))
    documents = [
        doc(n + 1, article["title"], "\n".join(article["paragraphs"]))
        for n, article in enumerate(maker.article(n) for n in range(300))
    ]
    engine.reset()
    engine.rebuild(documents[:200])
    with engine.open_writer(timeout=5) as writer:  # a second segment, with updates
        for document in documents[200:] + documents[:20]:
            writer.upsert(document)
    with engine.open_writer(timeout=5) as writer:
        for document in documents[100:110]:
            writer.delete(document.id)
    live = documents[:100] + documents[110:]
    reference = positional_reference(live, tmp_path / "reference")
    checked = matched = 0
    with reference.searcher() as stock:
        for fieldname, text in sample_phrases(documents, random.Random(5)):
            words = analyse(text)
            if len(words) < 2 or words[-1][1] - words[0][1] != len(words) - 1:
                continue  # a stop word inside: Whoosh's phrase query has no gaps to compare
            stock_query = wq.Phrase(fieldname, [word[0] for word in words])
            expected = {
                int(stock.stored_fields(d)["id"]) for d in stock.docs_for_query(stock_query)
            }
            results = engine.search(SearchQuery(q=f'{fieldname}:"{text}"', per_page=100))
            assert results.total == len(expected), (fieldname, text)
            if results.total <= 100:
                assert {hit.id for hit in results.hits} == expected, (fieldname, text)
            checked += 1
            matched += bool(expected)
    assert checked > 60 and matched > 30
    engine.reset()


texts = st.lists(
    st.sampled_from(
        [
            "the",
            "of",
            "a",
            "Café",
            "CAFE",
            "ing",
            "running",
            "x",
            "Indo-Pacific",
            "2+2",
            "e.g.",
            "naïve",
            "ÉTÉ",
            "o'clock",
            " ",
            "\n",
            "\t",
            ",",
            "-",
            "ß",
        ]
    )
    | st.text(max_size=6),
    max_size=20,
).map(" ".join)


@hypothesis_settings(max_examples=200, deadline=None, derandomize=True)
@given(texts)
def test_indexing_queries_and_highlighting_analyse_a_text_the_same_way(text):
    indexed = [stem for stem, _position, _start, _end in analyse(text)]
    schema = build_schema()
    counted = {term.decode(): count for term, count, *_ in schema["body"].index(text)}
    assert counted == {stem: indexed.count(stem) for stem in set(indexed)}
    tokens = [token.text for token in NewsroomAnalyzer()(text)]
    assert tokens == indexed  # what Whoosh's own analysis (more-like-this) sees
    marked = [match.stem for match in highlighted_words(text, set(indexed))]
    assert marked == indexed
    some = set(indexed[::2])  # a query's words are some of them: only those are marked
    expected = [(start, end) for stem, _position, start, end in analyse(text) if stem in some]
    assert [(match.start, match.end) for match in highlighted_words(text, some)] == expected
    phrase_words = analyse(f"{text}")
    assert [word[0] for word in phrase_words] == indexed  # a query's words, as typed


def test_the_installed_whoosh_is_the_version_the_internals_were_written_for():
    check_whoosh_version()
    with pytest.raises(UnsupportedWhooshVersion, match="pip install -r requirements.txt"):
        check_whoosh_version((2, 7, 6))


# What the schema and the pickled classes look like at each SCHEMA_VERSION. A test failure
# here means a class pickled into the index moved or the schema changed: bump SCHEMA_VERSION
# (existing indexes are then rebuilt by check_index --repair) and record the new layout.
KNOWN_LAYOUTS = {6: "9270a7cd11f56559", 7: "2c128941cbd97db4", 8: "c8d73b09169ffee1"}


def pickled_layout() -> str:
    pickled_classes = set()
    for value in (build_schema(), NewsroomCodec()):
        for opcode, argument, _position in pickletools.genops(__import__("pickle").dumps(value, 0)):
            if opcode.name == "GLOBAL":
                pickled_classes.add(argument.replace(" ", "."))
    schema = build_schema()
    fields = {name: type(schema[name]).__name__ for name in schema.names()}
    layout = json.dumps([sorted(pickled_classes), fields], sort_keys=True)
    return hashlib.sha256(layout.encode()).hexdigest()[:16]


def test_a_pickled_class_cannot_move_without_a_schema_version_bump():
    layout = pickled_layout()
    assert KNOWN_LAYOUTS.get(SCHEMA_VERSION) == layout, (
        f"The index's pickled classes or fields changed (layout {layout}): bump "
        f"SCHEMA_VERSION in search/engine/whoosh/schema.py and add it to KNOWN_LAYOUTS."
    )


def test_an_index_of_another_schema_version_is_reported_and_rebuilt(seeded, settings, capsys):
    (storage.live_generation_dir() / storage.VERSION_FILE).write_text(str(SCHEMA_VERSION - 1))
    engine.reset()
    with pytest.raises(engine.IndexOutdated, match="check_index --repair"):
        engine.search(SearchQuery(q="cyber"))
    call_command("check_index", "--repair", verbosity=0)
    assert engine.search(SearchQuery(q="cyber")).total > 0


@pytest.mark.parametrize("damage", ["truncated", "garbage", "missing"])
def test_a_damaged_segment_is_reported_with_the_repair_and_rebuilt(
    client, seeded, settings, capsys, damage
):
    postings = next(index_directory(settings).glob("gen-*/*.pst"), None) or next(
        index_directory(settings).glob("gen-*/*.seg")
    )
    if damage == "truncated":
        postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 3])
    elif damage == "garbage":
        postings.write_bytes(b"\x00garbage" * 64)
    else:
        postings.unlink()
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="check_index --repair"):
        engine.search(SearchQuery(q="cyber"))
    search_page = client.get("/?q=cyber")
    assert search_page.status_code == 503 and b"check_index --repair" in search_page.content
    article = seeded["001"]
    assert client.get(f"/articles/{article.pk}/").status_code == 200  # needs only the database
    assert client.get(f"/api/articles/{article.pk}").json()["title"] == article.title
    with pytest.raises(CommandError):
        call_command("check_index")
    assert "damaged" in capsys.readouterr().out
    call_command("rebuild_index", verbosity=0)
    assert engine.search(SearchQuery(q="cyber")).total > 0
    assert index_sync.check_index().healthy


def test_a_missing_index_is_reported_with_the_repair(seeded, settings):
    import shutil

    shutil.rmtree(index_directory(settings))
    engine.reset()
    with pytest.raises(engine.IndexUnavailable, match="check_index --repair"):
        engine.search(SearchQuery(q="cyber"))


def test_prefixes_past_the_querys_word_budget_are_left_out_with_a_notice(tmp_path, settings):
    # 60 words for each of five prefixes, in the bodies only: four prefixes take the query's
    # 200 words (the 50 most common each); reading the fifth's candidates would add nothing.
    rng = random.Random(7)
    prefixes = ["co", "pr", "st", "re", "ma"]
    words = {
        p: [p + "".join(rng.choices("bdfgklmnpstvz", k=5)) for _ in range(60)] for p in prefixes
    }
    documents = [
        doc(n, f"Report {n}", " ".join(rng.choice(words[p]) for p in prefixes for _ in range(8)))
        for n in range(1, 101)
    ]
    engine.rebuild(documents)
    results = engine.search(SearchQuery(q="co* pr* st* re* ma*"))
    assert "“ma*” was left out: the query's other prefixes already match 200 words." in (
        results.notices
    )
    assert "“co*” matches many words; searched the 50 most common." in results.notices
    assert results.total == engine.search(SearchQuery(q="co* pr* st* re*")).total > 0
