"""Reading a segment's files straight into Python and numpy: posting lists, length and
numeric columns.

Whoosh's matchers hand documents out one at a time through several small reads and
unpickles per block; here a term's whole posting list is read in one call and its blocks
decoded in a tight loop. W3's layout on disk:

    b"W3Bl", then per block: a signed big-endian int32 length (negative for the last block),
    a pickled info tuple (count, last id, max weight, compression, min/max length bytes),
    and the (zlib-compressed if compression > 0) pickled (delta-coded ids, weights, values).

Weights are None when all are 1.0, one float when all are equal, else one per posting.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, _lenfield
from whoosh.columns import NumericColumn
from whoosh.util.numeric import byte_to_length

EMPTY = (np.empty(0, dtype=np.int64), np.empty(0))
BYTE_TO_LENGTH = [byte_to_length(value) for value in range(256)]
_BYTE_TO_LENGTH = np.array(BYTE_TO_LENGTH, dtype=np.float64)
_block_length = struct.Struct("!i")
EXTENT = struct.Struct("!qi")  # a term's postings: offset and length in the postings file
_float32 = array("f")


def float32(value: float) -> float:
    """``value`` as a 32-bit float, which is what W3's weight arrays keep."""
    _float32.append(value)
    return _float32.pop()


class DamagedPostings(ValueError):
    """A posting list whose bytes are not W3's: the index file is damaged."""


def posting_blocks(raw: bytes) -> Iterator[tuple[int, tuple, object, object]]:
    """(count, delta-coded ids, weights, values) of each block of one term's posting list."""
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise DamagedPostings(f"unexpected posting list header {raw[:4]!r}")
    position = 4
    while True:
        (block_length,) = _block_length.unpack_from(raw, position)
        start = position + _block_length.size
        end = start + abs(block_length)
        stream = io.BytesIO(raw[start:end])
        count, _max_id, _max_weight, compression, _min, _max = pickle.load(stream)
        data = raw[start + stream.tell() : end]
        deltas, weights, values = pickle.loads(zlib.decompress(data) if compression else data)
        yield count, deltas, weights, values
        if block_length < 0:
            return
        position = end


def term_extent(reader, fieldname: str, term: bytes) -> tuple[int, int] | None:
    """Where a term's postings are in its segment's postings file; None when inlined."""
    info = reader._terms.term_info(fieldname, term)  # W3TermsReader of this segment
    if info.is_inlined():
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):
        # Whoosh quirk: W3TermInfo.from_bytes keeps struct.unpack's 1-tuple as the length.
        (length,) = length
    return offset, length


def term_postings(reader, fieldname: str, term: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, weights) of ``term`` in one segment, deleted documents included (callers AND
    the result with the live mask)."""
    if (fieldname, term) not in reader:
        return EMPTY
    extent = term_extent(reader, fieldname, term)
    if extent is None:  # a term in one document keeps its posting in its term info
        info = reader._terms.term_info(fieldname, term)
        ids, weights, _values = info.inlined_postings()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64)
    id_blocks, weight_blocks = [], []
    for count, deltas, weights, _values in posting_blocks(reader._terms._postfile.get(*extent)):
        id_blocks.append(np.cumsum(deltas, dtype=np.int64))
        if weights is None:
            weight_blocks.append(np.ones(count))
        elif isinstance(weights, float):
            weight_blocks.append(np.full(count, weights))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float64))
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)


def term_docnums(reader, fieldname: str, term: bytes) -> np.ndarray:
    return term_postings(reader, fieldname, term)[0]


def length_bytes(perdoc_reader, fieldname: str) -> bytes | None:
    """A field's one-byte length of each document of a segment (shorter when the last
    documents have none); None when no document has a length in that field."""
    column = perdoc_reader._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return column._dbfile.get(column._basepos, column._count * column._fixedlen)


def length_array(reader, fieldname: str, size: int) -> np.ndarray:
    """A field's document lengths in one segment as BM25 reads them (1 where there is none)."""
    lengths = np.ones(size)
    raw = length_bytes(reader._perdoc, fieldname) if size else None
    if raw:
        coded = np.frombuffer(raw, dtype=np.uint8)
        lengths[: len(coded)] = np.where(coded > 0, _BYTE_TO_LENGTH[coded], 1.0)
    return lengths


def column_array(reader, name: str, size: int) -> np.ndarray:
    """An unsigned numeric column of one segment as an array (0 where there is no value)."""
    values = np.zeros(size, dtype=np.int64)
    if size == 0 or not reader.has_column(name):
        return values
    column = reader.column_reader(name, translate=False)
    if isinstance(column, NumericColumn.Reader) and column._typecode == "I":
        # Big-endian fixed-width values from _basepos, _count of them (later documents: 0).
        raw = column._dbfile.get(column._basepos, column._count * column._fixedlen)
        stored = np.frombuffer(raw, dtype=">u4").astype(np.int64)
        values[: len(stored)] = stored
        return values
    return np.fromiter(reader.column_reader(name), dtype=np.int64, count=size)
