"""Whoosh's W3 codec with document lengths read once per segment instead of once per posting.

Whoosh quirk: writing a segment's postings asks the length of the document of every single
posting (for the per-block min/max lengths), and ``W3PerDocReader.doc_field_length`` answers
each time with a seek and a read in the lengths column file; for a field without lengths
(unscored fields: id, minister, topic, the spelling fields) it even calls ``os.stat`` per
posting, since the "no column" answer is never cached. That was about a third of the cost
of committing a batch. Searching pays the same per scored document (BM25 reads lengths).

Here a segment's lengths are read once into memory (one byte a document a field) and
missing columns are remembered. The files on disk are exactly W3's. Segments record their
codec in the index's TOC (pickled), so an index written with this codec needs this class
importable at ``search.engine.codec.NewsroomCodec``; indexes written before it keep W3Codec.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.util.numeric import byte_to_length

BYTE_TO_LENGTH = [byte_to_length(value) for value in range(256)]
_MISSING = object()


class LengthCachingPerDocReader(W3PerDocReader):
    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._length_bytes: dict[str, bytes | None] = {}

    def _lengths(self, fieldname: str) -> bytes | None:
        lengths = self._length_bytes.get(fieldname, _MISSING)
        if lengths is _MISSING:
            reader = self._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if reader is None:
                lengths = None
            else:
                # A fixed one-byte column: the bytes of documents 0..n-1 (shorter when the
                # last documents have no length; those read as 0 below).
                lengths = reader._dbfile.get(reader._basepos, reader._count * reader._fixedlen)
            self._length_bytes[fieldname] = lengths
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        lengths = self._lengths(fieldname)
        if lengths is None or docnum >= len(lengths):
            return default
        value = lengths[docnum]
        return BYTE_TO_LENGTH[value] if value else default


class NewsroomCodec(W3Codec):
    def per_document_reader(self, storage, segment):
        return LengthCachingPerDocReader(storage, segment)

    def field_writer(self, storage, segment):
        # Same files as W3's; writes a term's postings at once when given grouped postings.
        from search.engine.bulk_postings import NewsroomFieldWriter

        return NewsroomFieldWriter(self, storage, segment)
