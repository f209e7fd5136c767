"""Writing a segment's postings a term at a time instead of a posting at a time.

Whoosh quirk: a ``SegmentWriter`` turns every posting into a tuple, sorts them all (spilling
runs to disk with one ``pickle.dump`` per posting once its small budget is spent), merges
the runs with ``heapq`` and hands the writer one posting at a time; the W3 postings writer
then makes a dozen Python calls per posting and as many again per term (pickle, zlib, the
term table, ``tell()``). With the word pairs an article has hundreds of postings and terms,
so this work per posting and per term, in the pool first, is most of a commit's time.

Here the pool groups postings per (field, term) as documents arrive, so nothing is sorted
but each field's terms, and ``NewsroomFieldWriter.add_postings`` writes each term's postings
in one go. Segments being merged are read a term at a time too (their blocks decoded whole),
not posting by posting. The bytes on disk are exactly W3's
(``tests/engine/test_engine_whoosh_writer.py`` compares the files with stock Whoosh's), so
readers are unchanged.
"""

from __future__ import annotations

import contextlib
import ctypes
import heapq
import marshal
import multiprocessing
import os
import signal
import struct
import zlib
from array import array
from hashlib import md5
from itertools import accumulate, groupby, repeat
from operator import itemgetter
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.filedb.filetables import OrderedHashWriter, _lengths, _pointer
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.system import emptybytes, pack_int, pack_long, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

from search.engine.whoosh.internals.codec import LengthCachingPerDocReader
from search.engine.whoosh.internals.postings import EXTENT, float32, posting_blocks
from search.engine.whoosh.internals.toc import commit_toc_with_checksums

# A spilled run is written in marshalled chunks of at most this many terms or postings.
# The final merge holds one chunk of every run at once, and a large segment has dozens of
# runs: a chunk bounded by its terms alone holds all the postings of its words, however
# common, so the merge's memory grew with the archive; bounding the postings too keeps it flat.
RUN_CHUNK_TERMS = 4096
RUN_CHUNK_POSTINGS = 8192
# Rough bytes of Python objects per buffered posting and per distinct term (a tuple, its
# float, a list slot; a dict entry, a list and the term's bytes), for the memory budget.
POSTING_BYTES = 100
TERM_BYTES = 160

_pack_terminfo = W3TermInfo._struct.pack
_TERMINFO_SIZE = W3TermInfo._struct.size


class GroupedPostingPool:
    """Postings grouped per field and term, in document order, spilled in sorted runs.

    Stands in for Whoosh's ``PostingPool`` (``fieldnames``, ``iter_postings``, ``cleanup``):
    ``iter_postings`` answers a ``GroupedPostings`` stream that ``NewsroomFieldWriter`` writes
    term by term. (``GroupingSegmentWriter`` fills it; nothing calls Whoosh's ``add``.)
    """

    def __init__(self, tempstore, limitmb: int = 128):
        self.tempstore = tempstore
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        self.fields: dict[str, dict[bytes, list]] = {}
        self.fieldnames: set[str] = set()
        self.runs: list[str] = []
        # (docnum of the first document, a source of (field, term, postings)) in the order
        # documents were numbered.
        self.sources: list[tuple[int, object]] = []
        self._first_docnum: int | None = None

    def terms_of(self, fieldname: str) -> dict[bytes, list]:
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        return terms

    def added(self, first_docnum: int, size: int) -> None:
        """Account for buffered postings; spill a run when over budget."""
        if self._first_docnum is None:
            self._first_docnum = first_docnum
        self.size += size
        if self.size > self.limit:
            self.spill()

    def add_reader(self, reader, startdoc: int, docmap, schema) -> None:
        """A segment being merged in, read a term at a time at flush (after what is buffered)."""
        self.spill_to_sources()
        for fieldname in reader.indexed_field_names():
            if fieldname in schema:
                self.fieldnames.add(fieldname)
        self.sources.append((startdoc, reader_terms(reader, startdoc, docmap, schema)))

    def spill_to_sources(self) -> None:
        """Close off the buffered postings as a source of their own (in document order)."""
        if self.fields:
            self.sources.append((self._first_docnum, sorted_terms(self.fields)))
            self.fields, self.size, self._first_docnum = {}, 0, None

    def spill(self) -> None:
        name = f"{os.urandom(8).hex()}.run"
        with self.tempstore.create_file(name).raw_file() as runfile:
            chunk, postings = [], 0
            for item in sorted_terms(self.fields):
                chunk.append(item)
                postings += len(item[2])
                if len(chunk) >= RUN_CHUNK_TERMS or postings >= RUN_CHUNK_POSTINGS:
                    write_chunk(runfile, chunk)
                    chunk, postings = [], 0
            if chunk:
                write_chunk(runfile, chunk)
        self.runs.append(name)
        self.sources.append((self._first_docnum, read_run(self.tempstore, name)))
        self.fields, self.size, self._first_docnum = {}, 0, None

    def iter_postings(self) -> GroupedPostings:
        self.spill_to_sources()
        sources = [source for _first, source in sorted(self.sources, key=itemgetter(0))]
        self.sources = []
        return GroupedPostings(sources)

    def cleanup(self) -> None:
        for name in self.runs:
            with contextlib.suppress(OSError):
                self.tempstore.delete_file(name)
        self.runs = []


def sorted_terms(fields: dict[str, dict[bytes, list]]):
    for fieldname in sorted(fields):
        terms = fields[fieldname]
        for btext in sorted(terms):
            yield fieldname, btext, terms[btext]


def read_run(tempstore, name: str):
    with tempstore.open_file(name).raw_file() as runfile:
        while header := runfile.read(_CHUNK_HEADER.size):
            (size,) = _CHUNK_HEADER.unpack(header)
            yield from marshal.loads(runfile.read(size))


# marshal.load() on a file object reads it a few bytes at a time: chunks are length-prefixed.
_CHUNK_HEADER = struct.Struct("<Q")


def write_chunk(runfile, chunk: list) -> None:
    data = marshal.dumps(chunk)
    runfile.write(_CHUNK_HEADER.pack(len(data)) + data)


def reader_terms(reader, startdoc: int, docmap, schema):
    """A segment's postings per term, renumbered as Whoosh's ``add_reader`` does, deleted
    documents left out as ``reader.iter_postings()`` does."""
    for fieldname, btext, postings in table_postings(reader, schema):
        if docmap is not None:
            postings = [(docmap[docnum], weight, value) for docnum, weight, value in postings]
        elif startdoc:
            postings = [(startdoc + docnum, weight, value) for docnum, weight, value in postings]
        if postings:
            yield fieldname, btext, postings


def table_postings(reader, schema):
    """Every term's postings, read in order straight off the term table and the postings file
    (asking the reader term by term cost a hash lookup, a term info and a matcher per term)."""
    terms_reader = reader._terms  # W3TermsReader
    deleted = reader.deleted_docs_set
    postfile = terms_reader._postfile
    fields: dict[int, tuple | None] = {}
    for keybytes, valbytes in table_rows(terms_reader._tindex):
        fieldnum = keybytes[0] << 8 | keybytes[1]
        field = fields.get(fieldnum, False)
        if field is False:
            fieldname = terms_reader._fieldunmap[fieldnum]
            field = fields[fieldnum] = (
                (fieldname, reader.schema[fieldname].format.fixed_value_size())
                if fieldname in schema
                else None
            )
        if field is None:
            continue
        fieldname, fixedsize = field
        btext = keybytes[2:]
        if valbytes[0]:  # postings inlined in the term table (a codec with inlinelimit > 1)
            ids, weights, values = terms_reader.term_info(fieldname, btext).inlined_postings()
            postings = list(zip(ids, weights, values, strict=False))
        else:
            offset, length = EXTENT.unpack_from(valbytes, _TERMINFO_SIZE)
            postings = decoded_postings(postfile.get(offset, length), fixedsize)
        if deleted:
            postings = [posting for posting in postings if posting[0] not in deleted]
        yield fieldname, btext, postings


def table_rows(tindex, chunk_size: int = 1 << 20):
    """(key, value) of each row of a Whoosh hash table file in order, read a chunk at a time."""
    dbfile = tindex.dbfile
    position, end = tindex.startofdata, tindex.endofdata
    header = _lengths.size
    unpack_lengths = _lengths.unpack_from
    buffer, buffer_start = b"", position
    while position < end:
        at = position - buffer_start
        if at + header > len(buffer):
            buffer = dbfile.get(position, min(max(chunk_size, header), end - position))
            buffer_start, at = position, 0
        keylength, valuelength = unpack_lengths(buffer, at)
        row_end = at + header + keylength + valuelength
        if row_end > len(buffer):
            wanted = max(chunk_size, header + keylength + valuelength)
            buffer = dbfile.get(position, min(wanted, end - position))
            buffer_start, at = position, 0
            row_end = header + keylength + valuelength
        key_end = at + header + keylength
        yield buffer[at + header : key_end], buffer[key_end:row_end]
        position += row_end - at


def decoded_postings(data: bytes, fixedsize) -> list:
    """The (docnum, weight, value) postings of one term's blocks, as W3's matcher gives them."""
    postings = []
    for count, deltas, weights, values in posting_blocks(data):
        ids = accumulate(deltas)
        if weights is None:
            weights = repeat(1.0, count)
        elif isinstance(weights, float):
            weights = repeat(float32(weights), count)
        if fixedsize == 0:
            values = repeat(None, count)
        elif fixedsize is not None and fixedsize > 0:
            values = [values[i : i + fixedsize] for i in range(0, len(values), fixedsize)]
        # Values can be fewer than ids (W3 drops empty ones): zip stops at the shortest, as
        # the matcher's block reads did.
        postings.extend(zip(ids, weights, values, strict=False))
    return postings


class GroupedPostings:
    """Sorted (field, term, postings) from several sources, concatenated per term."""

    def __init__(self, sources: list):
        self.sources = sources

    def terms(self):
        if len(self.sources) == 1:
            yield from self.sources[0]
            return
        # Each source is sorted by (field, term); merge them keeping documents in order.
        streams = [
            (((fieldname, btext, order), postings) for fieldname, btext, postings in source)
            for order, source in enumerate(self.sources)
        ]
        merged = heapq.merge(*streams, key=itemgetter(0))
        for (fieldname, btext), group in groupby(merged, key=lambda item: item[0][:2]):
            postings = []
            for _key, more in group:
                postings.extend(more)
            yield fieldname, btext, postings


def in_document_order(postings: list) -> list:
    """Postings as Whoosh's sorting pool orders them (by docnum, then weight, then value).

    They arrive in document order but for odd cases (a spelling posting, always at document
    0, from a segment merged in); only then is the list sorted.
    """
    previous = -1
    for docnum, _weight, _value in postings:
        if docnum <= previous:
            return sorted(postings)
        previous = docnum
    return postings


def md5_hash(key: bytes) -> int:
    """Whoosh's ``filetables.md5_hash`` (the digest's low 32 bits), without the hex round trip."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")


class FastOrderedHashWriter(OrderedHashWriter):
    """The term table writer, with rows added in bulk and positions counted, not asked.

    Whoosh keeps a (hash, position) tuple per term until the table is closed: ~120 bytes a
    term, and a segment of 50,000 articles has millions of terms (word pairs). Here they are
    two arrays per bucket (12 bytes a term), laid out on disk exactly as Whoosh does.
    """

    def compact(self) -> None:
        self.hash_buckets = [array("I") for _ in range(256)]
        self.position_buckets = [array("q") for _ in range(256)]

    def add_rows(self, rows: list[tuple[bytes, bytes]]) -> None:
        dbfile = self.dbfile
        position = dbfile.tell()
        index_append = self.index.append
        hash_buckets, position_buckets = self.hash_buckets, self.position_buckets
        lastkey = self.lastkey
        parts = []
        for key, value in rows:
            if key <= lastkey:
                raise ValueError(f"Keys must increase: {lastkey!r}..{key!r}")
            lastkey = key
            index_append(position)
            header = _lengths.pack(len(key), len(value))
            parts += (header, key, value)
            hashed = md5_hash(key)
            hash_buckets[hashed & 255].append(hashed)
            position_buckets[hashed & 255].append(position)
            position += len(header) + len(key) + len(value)
        self.lastkey = lastkey
        dbfile.write(emptybytes.join(parts))

    def _write_hashes(self):
        # HashWriter._write_hashes: per bucket an open-addressing table of twice its size,
        # entries placed in the order added, (0, 0) for an empty slot.
        dbfile = self.dbfile
        pack = _pointer.pack
        for hashes, positions in zip(self.hash_buckets, self.position_buckets, strict=True):
            numslots = 2 * len(hashes)
            self.directory.append((dbfile.tell(), numslots))
            slot_hashes = [0] * numslots
            slot_positions = [0] * numslots
            for hashval, position in zip(hashes, positions, strict=True):
                slot = (hashval >> 8) % numslots
                while slot_positions[slot]:  # no key sits at position 0 (the header does)
                    slot = (slot + 1) % numslots
                slot_hashes[slot] = hashval
                slot_positions[slot] = position
            dbfile.write(emptybytes.join(map(pack, slot_hashes, slot_positions)))


class NewsroomFieldWriter(W3FieldWriter):
    """W3's field writer, which also writes a whole term's postings in one call."""

    def __init__(self, codec, storage, segment):
        super().__init__(codec, storage, segment)
        # Swap in the bulk term table before anything but its header is written.
        stock = self._tindex
        self._tindex = FastOrderedHashWriter.__new__(FastOrderedHashWriter)
        self._tindex.__dict__.update(stock.__dict__)
        self._tindex.compact()
        self._blocklimit = codec._blocklimit
        self._compression = codec._compression
        if codec._inlinelimit > 1:
            raise ValueError("terms are written as blocks: NewsroomCodec keeps inlinelimit=1")

    def add_postings(self, schema, lengths, items: GroupedPostings) -> None:
        for fieldname, terms in groupby(items.terms(), key=itemgetter(0)):
            fieldobj = schema[fieldname]
            self.start_field(fieldname, fieldobj)
            writer = TermBlockWriter(
                self._postfile,
                fieldobj.format.fixed_value_size(),
                self._blocklimit,
                self._compression,
                field_lengths(lengths, fieldname),
            )
            prefix = pack_ushort(self._fieldid)
            rows = []
            for _fieldname, btext, postings in terms:
                rows.append((prefix + btext, writer.write(in_document_order(postings))))
                if len(rows) >= 4096:
                    writer.flush()
                    self._tindex.add_rows(rows)
                    rows = []
            writer.flush()
            self._tindex.add_rows(rows)
            self.finish_field()


def field_lengths(lengths, fieldname: str):
    """docnum -> the field's length byte, as W3 reads it back (0 when there is none)."""
    if lengths is None:
        return lambda docnum: 0
    if isinstance(lengths, LengthCachingPerDocReader):
        data = lengths.lengths(fieldname)
        if data is None:
            return lambda docnum: 0
        size = len(data)
        return lambda docnum: data[docnum] if docnum < size else 0
    return lambda docnum: length_to_byte(lengths.doc_field_length(docnum, fieldname))


class TermBlockWriter:
    """W3PostingsWriter's output for whole posting lists, byte for byte.

    Per block of up to ``blocklimit`` postings W3 writes: an int (the block's byte length,
    negative for the last), the pickled block info (count, last id, max weight, compression,
    min and max length bytes) and the zlib-compressed pickle of (delta-encoded ids,
    weights, values), after a magic number before the first block; the term table row holds
    the term's statistics and where its blocks are.
    """

    def __init__(self, postfile, fixedsize, blocklimit, compression, length_of):
        self.postfile = postfile
        self.position = postfile.tell()
        self.parts: list[bytes] = []
        self.fixedsize = fixedsize
        self.blocklimit = blocklimit
        self.compression = compression
        self.length_of = length_of
        # A single posting's blocks and statistics depend only on the posting: each document
        # has hundreds of terms of its own (word pairs), all with the same lone posting.
        self.single: dict = {}

    def flush(self) -> None:
        if self.parts:
            self.postfile.write(emptybytes.join(self.parts))
            self.parts = []

    def write(self, postings: list) -> bytes:
        start = self.position
        if len(postings) == 1:
            docnum, weight, value = postings[0]
            key = (docnum, weight, weight.__class__, value)
            cached = self.single.get(key)
            if cached is None:
                if len(self.single) > 100_000:
                    self.single.clear()
                cached = self.single[key] = self._single(docnum, weight, value)
            blockbytes, stats = cached
            self.parts.append(blockbytes)
            self.position += len(blockbytes)
            return stats + pack_long(start) + pack_int(len(blockbytes))
        self.parts.append(WHOOSH3_HEADER_MAGIC)
        self.position += len(WHOOSH3_HEADER_MAGIC)
        limit = self.blocklimit
        total_weight = 0
        minlength = maxlength = 0
        maxweight = 0
        count = len(postings)
        for offset in range(0, count, limit):
            block = postings[offset : offset + limit]
            blockbytes, weights, block_min, block_max, block_weight = self._block(
                block, last=offset + limit >= count
            )
            self.parts.append(blockbytes)
            self.position += len(blockbytes)
            total_weight += sum(weights)
            if block_min and (not minlength or block_min < minlength):
                minlength = block_min
            maxlength = max(maxlength, block_max)
            maxweight = max(maxweight, block_weight)
        stats = _pack_terminfo(
            0,
            total_weight,
            count,
            minlength,
            maxlength,
            maxweight,
            postings[0][0],
            postings[-1][0],
        )
        return stats + pack_long(start) + pack_int(self.position - start)

    def _single(self, docnum, weight, value):
        blockbytes, weights, minlength, maxlength, maxweight = self._block(
            [(docnum, weight, value)], last=True
        )
        stats = _pack_terminfo(
            0, 0 + sum(weights), 1, minlength, maxlength, maxweight, docnum, docnum
        )
        return WHOOSH3_HEADER_MAGIC + blockbytes, stats

    def _block(self, block: list, *, last: bool):
        docnums = [posting[0] for posting in block]
        raw_weights = [posting[1] for posting in block]
        weights = array("f", raw_weights)
        values = [posting[2] for posting in block]
        length_of = self.length_of
        lengths = [length_of(docnum) for docnum in docnums]
        present = [length for length in lengths if length]
        minlength = min(present) if present else 0
        maxlength = max(lengths)
        maxweight = 0
        for weight in raw_weights:
            if weight > maxweight:
                maxweight = weight

        deltas = [docnums[0]]
        deltas += [b - a for a, b in zip(docnums, docnums[1:], strict=False)]
        if all(weight == 1.0 for weight in weights):
            mini_weights = None
        elif all(weight == weights[0] for weight in weights):
            mini_weights = weights[0]
        else:
            mini_weights = tuple(weights)
        fixedsize = self.fixedsize
        # W3 keeps only non-empty values (a posting with b"" adds none).
        kept = [value for value in values if value]
        if fixedsize is None or fixedsize < 0:
            mini_values = tuple(kept)
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = emptybytes.join(kept)
        databytes = dumps((tuple(deltas), mini_weights, mini_values), 2)
        if self.compression:
            databytes = zlib.compress(databytes, self.compression)
        infobytes = dumps(
            (len(docnums), docnums[-1], maxweight, self.compression, minlength, maxlength), 2
        )
        blocklength = len(infobytes) + len(databytes)
        header = pack_int(-blocklength if last else blocklength)
        return header + infobytes + databytes, weights, minlength, maxlength, maxweight


class GroupingSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter with postings grouped per term (``GroupedPostingPool``).

    Pair it with a codec whose field writer is ``NewsroomFieldWriter`` (``NewsroomCodec``);
    any other field writer still gets Whoosh's posting tuples, in Whoosh's order.
    """

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = GroupedPostingPool(self._tempstorage, limitmb=limitmb)
        self._merged_readers: list = []

    def _commit_toc(self, segments):
        commit_toc_with_checksums(self, segments)

    def add_document(self, **fields):
        """Whoosh's ``SegmentWriter.add_document``, with postings put straight into their
        term's list instead of a tuple each through ``pool.add``."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        size = 0
        # Whoosh quirk kept: a spelling posting carries the value of its field's last posting.
        vbytes = None
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    scorable = field.scorable
                    terms = pool.terms_of(fieldname)
                    for tbytes, freq, weight, vbytes in field.index(value):
                        weight *= fieldboost
                        if scorable:
                            length += freq
                        postings = terms.get(tbytes)
                        if postings is None:
                            terms[tbytes] = [(docnum, weight, vbytes)]
                            size += TERM_BYTES + POSTING_BYTES + len(tbytes) + len(vbytes)
                        else:
                            postings.append((docnum, weight, vbytes))
                            size += POSTING_BYTES + len(vbytes)
                if field.separate_spelling():
                    terms = pool.terms_of(field.spelling_fieldname(fieldname))
                    for word in field.spellable_words(value):
                        word = word.encode("utf-8")
                        postings = terms.get(word)
                        if postings is None:
                            terms[word] = [(0, 1, vbytes)]
                            size += TERM_BYTES + len(word)
                        else:
                            postings.append((0, 1, vbytes))
                        size += POSTING_BYTES
                if field.vector:
                    raise NotImplementedError("term vectors: use Whoosh's SegmentWriter")
                stored_value = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, stored_value if field.stored else None, length
                )
                column = field.column_type
                if column and stored_value is not None:
                    perdocwriter.add_column_value(
                        fieldname, column, field.to_column_value(stored_value)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        pool.added(docnum, size)

    def add_postings_to_pool(self, reader, startdoc, docmap):
        # Merge policies close the reader as soon as this returns; the pool reads the
        # segment's terms at flush, so it gets a reader of its own (closed in cleanup).
        own = SegmentReader(self.storage, self.schema, reader.segment())
        self._merged_readers.append(own)
        self.pool.add_reader(own, startdoc, docmap, self.schema)

    def _close_segment(self):
        try:
            super()._close_segment()
        finally:
            for reader in self._merged_readers:
                reader.close()
            self._merged_readers = []


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies (a rebuild killed with -9 would
    otherwise leave its writers waiting on their job queue forever)."""
    parent = multiprocessing.parent_process()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the request took effect


PR_SET_PDEATHSIG = 1


class GroupingSubWriterTask(SubWriterTask):
    """MpWriter's child process, writing its documents with ``GroupingSegmentWriter``."""

    def run(self):
        die_with_parent()
        ix = self.storage.open_index(self.indexname)
        writer = self.writer = GroupingSegmentWriter(ix, _lk=False, **self.kwargs)
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            self._process_file(*job)
        if not self.running:
            writer.cancel()
            return
        segment = writer._finalize_segment()
        self.resultqueue.put((None, writer.pool.fieldnames, segment), timeout=5)


class GroupingMpWriter(MpWriter):
    """Whoosh's MpWriter in multisegment mode (each process writes its own segment) with
    ``GroupingSegmentWriter`` children. (Its single-segment mode re-reads the children's
    posting runs in Whoosh's format, which the grouped pool does not write.)"""

    def __init__(self, ix, procs: int, **kwargs):
        super().__init__(ix, procs=procs, multisegment=True, **kwargs)

    def _commit_toc(self, segments):
        commit_toc_with_checksums(self, segments)

    def _new_task(self):
        task = GroupingSubWriterTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task
