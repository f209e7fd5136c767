"""The grouped posting writer writes exactly the files stock Whoosh writes.

Each scenario is run twice on fresh indexes, once with Whoosh's SegmentWriter and W3Codec
and once with ours; every segment file (postings, term table, columns, stored fields,
lengths) must be byte for byte the same. Where the files may differ (a two-process rebuild
splits segments differently), the readers must agree term by term.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from bench import corpus
from search.documents import IndexDocument
from search.engine.whoosh.internals import bulk_writer
from search.engine.whoosh.internals.bulk_writer import GroupingMpWriter, GroupingSegmentWriter
from search.engine.whoosh.internals.codec import NewsroomCodec
from search.engine.whoosh.schema import build_schema, to_fields


@functools.cache
def corpus_documents(count: int) -> list[dict]:
    """Realistic articles from the benchmark's generator, as the index's fields."""
    maker = corpus.ArticleMaker(corpus.Vocabulary(), np.random.default_rng(5))
    documents = []
    for number in range(count):
        article = maker.article(number)
        published = datetime.date(2010 + number % 12, 1 + number % 12, 1 + number % 28)
        document = IndexDocument(
            id=number + 1,
            title=article["title"],
            body="\n".join(article["paragraphs"]),
            ministers=("jaishankar", "modi")[: number % 3],
            topics=("defence",) if number % 2 else (),
            published=published if number % 5 else None,
        )
        documents.append(to_fields(document))
    # Odd values: no indexable words, accents, a repeated word.
    documents[1]["body"] = "the and of"
    documents[2]["title"] = "Café crème brûlée: crème, crème"
    return documents


def small_blocks(codec_class):
    """Blocks of 16 postings, so a small corpus has terms spanning many blocks."""
    return codec_class(blocklimit=16)


def build(path: Path, writer_class, codec_class, documents, *, limitmb: int) -> Path:
    """Four commits (updates, deletions, small-segment merges), then one optimize."""
    path.mkdir()
    ix = whoosh_index.create_in(str(path), build_schema())
    quarter = len(documents) // 4
    for batch_number in range(4):
        writer = writer_class(ix, codec=small_blocks(codec_class), limitmb=limitmb, compound=False)
        for fields in documents[batch_number * quarter : (batch_number + 1) * quarter]:
            writer.update_document(**fields)
        if batch_number == 2:
            writer.delete_by_term("id", documents[0]["id"])  # document 0 holds the spelling
            writer.delete_by_term("id", documents[7]["id"])
        if batch_number == 3:
            for fields in documents[10:20]:
                writer.update_document(**fields)
        writer.commit()
    return path


def segment_files(path: Path) -> dict[str, list[bytes]]:
    """Each kind of segment file's contents, in segment order (names are random)."""
    ix = whoosh_index.open_dir(str(path))
    files: dict[str, list[bytes]] = {}
    for segment in ix._segments():
        for name in sorted(ix.storage.list()):
            if name.startswith(f"{segment.segment_id()}."):
                suffix = name.split(".", 1)[1]
                files.setdefault(suffix, []).append((path / name).read_bytes())
    return files


def postings_of(path: Path) -> dict:
    ix = whoosh_index.open_dir(str(path))
    with ix.reader() as reader:
        return {
            (fieldname, term): [(docnum, weight, value) for _, _, docnum, weight, value in postings]
            for (fieldname, term), postings in grouped(reader.iter_postings()).items()
        } | {("stored", docnum): fields for docnum, fields in reader.iter_docs()}


def grouped(postings) -> dict:
    out: dict = {}
    for posting in postings:
        out.setdefault(posting[:2], []).append(posting)
    return out


WRITER_DOCUMENTS = 80


def optimize(path: Path, writer_class, codec_class) -> None:
    """Merge everything into one segment (every posting read back and rewritten)."""
    ix = whoosh_index.open_dir(str(path))
    writer_class(ix, codec=small_blocks(codec_class), compound=False).commit(optimize=True)


@pytest.fixture(scope="module")
def stock_files(tmp_path_factory) -> tuple[dict, dict]:
    """Stock Whoosh's segment files of the scenario, before and after merging them all: built
    once for every variant of our writer."""
    path = tmp_path_factory.mktemp("stock") / "index"
    build(path, SegmentWriter, W3Codec, corpus_documents(WRITER_DOCUMENTS), limitmb=64)
    before = segment_files(path)
    optimize(path, SegmentWriter, W3Codec)
    return before, segment_files(path)


@pytest.mark.parametrize(
    ("limitmb", "chunk_postings"),
    [(1, bulk_writer.RUN_CHUNK_POSTINGS), (1, 50), (64, bulk_writer.RUN_CHUNK_POSTINGS)],
    ids=["spilling runs", "spilling runs in many small chunks", "in memory"],
)
def test_grouped_writer_writes_whoosh_files_byte_for_byte(
    tmp_path, stock_files, monkeypatch, limitmb, chunk_postings
):
    monkeypatch.setattr(bulk_writer, "RUN_CHUNK_POSTINGS", chunk_postings)
    stock_before, stock_after = stock_files
    ours = build(
        tmp_path / "ours",
        GroupingSegmentWriter,
        NewsroomCodec,
        corpus_documents(WRITER_DOCUMENTS),
        limitmb=limitmb,
    )
    our_files = segment_files(ours)
    assert {"pst", "trm", "_stored.col", "_body_len.col", "year.col"} <= set(stock_before)
    assert [len(contents) for contents in our_files.values()] == [
        len(contents) for contents in stock_before.values()
    ]
    assert our_files == stock_before  # the same bytes: a reader reads the same postings

    optimize(ours, GroupingSegmentWriter, NewsroomCodec)
    assert segment_files(ours) == stock_after


def test_two_process_rebuild_holds_the_same_postings(tmp_path):
    documents = corpus_documents(200)
    (tmp_path / "stock").mkdir()
    (tmp_path / "ours").mkdir()
    stock = whoosh_index.create_in(str(tmp_path / "stock"), build_schema())
    writer = SegmentWriter(stock, codec=W3Codec())
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    ours = whoosh_index.create_in(str(tmp_path / "ours"), build_schema())
    writer = GroupingMpWriter(ours, procs=2, batchsize=50, codec=NewsroomCodec(), limitmb=1)
    for fields in documents:
        writer.add_document(**fields)
    writer.commit()
    assert len(ours._segments()) == 2
    # Two segments number their documents apart: compare by article id.
    assert by_article(tmp_path / "ours") == by_article(tmp_path / "stock")


def by_article(path: Path) -> dict:
    ix = whoosh_index.open_dir(str(path))
    with ix.searcher() as searcher:
        ids = {docnum: fields["id"] for docnum, fields in searcher.reader().iter_docs()}
        postings = {}
        for fieldname, term in searcher.reader().all_terms():
            if fieldname.startswith("spell_"):
                continue  # one posting a word a segment, at its first document
            matcher = searcher.reader().postings(fieldname, term)
            postings[(fieldname, term)] = sorted(
                (ids[docnum], weight, value) for docnum, weight, value in all_of(matcher)
            )
        columns = {
            name: sorted(
                (ids[docnum], value)
                for docnum, value in enumerate(searcher.reader().column_reader(name))
            )
            for name in ("year", "published")
        }
        # "or 0": W3's reader answers None for a zero length, NewsroomCodec's 0 (codec.py).
        lengths = sorted(
            (ids[docnum], searcher.reader().doc_field_length(docnum, "body") or 0) for docnum in ids
        )
    return {"postings": postings, "columns": columns, "lengths": lengths}


def matcher_postings(reader, schema):
    """Every term's postings through Whoosh's own matchers (deletions left out)."""
    for fieldname, term in reader.all_terms():
        if fieldname in schema:
            yield fieldname, term, list(all_of(reader.postings(fieldname, term)))


def all_of(matcher):
    while matcher.is_active():
        yield matcher.id(), matcher.weight(), matcher.value()
        matcher.next()


def test_merges_read_a_segment_as_its_matchers_do(tmp_path):
    """The merge path's reading of a segment (term table rows a chunk at a time, each term's
    blocks decoded) gives every term's postings exactly as Whoosh's matchers do, deletions
    left out, whatever the chunk size."""
    path = build(
        tmp_path / "ix", GroupingSegmentWriter, NewsroomCodec, corpus_documents(40), limitmb=64
    )
    ix = whoosh_index.open_dir(str(path))
    schema = ix.schema
    with ix.reader() as multi:
        segments = [reader for reader, _offset in multi.leaf_readers()]
        assert any(reader.has_deletions() for reader in segments)
        for reader in segments:
            expected = list(matcher_postings(reader, schema))
            assert list(bulk_writer.table_postings(reader, schema)) == expected
            rows = list(reader._terms._tindex.items())
            for chunk_size in (7, 4096):
                assert list(bulk_writer.table_rows(reader._terms._tindex, chunk_size)) == rows
