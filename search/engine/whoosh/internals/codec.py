"""Whoosh's W3 codec with document lengths read once per segment instead of once per posting.

Whoosh quirk: writing a segment's postings asks the length of the document of every posting
(for the per-block min/max lengths), and ``W3PerDocReader.doc_field_length`` answers each time
with a seek and a read in the lengths column file; for a field without lengths it even calls
``os.stat`` per posting. Here a segment's lengths are read once (one byte a document a field)
and missing columns are remembered. The files on disk are exactly W3's.

Segments record their codec in the index's TOC (pickled): ``NewsroomCodec`` must stay
importable here, or the schema version be bumped (see ``schema.SCHEMA_VERSION``).
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import W3Codec, W3PerDocReader

from search.engine.whoosh.internals.postings import BYTE_TO_LENGTH, length_bytes

_MISSING = object()


class LengthCachingPerDocReader(W3PerDocReader):
    def __init__(self, storage, segment):
        super().__init__(storage, segment)
        self._length_bytes: dict[str, bytes | None] = {}

    def lengths(self, fieldname: str) -> bytes | None:
        lengths = self._length_bytes.get(fieldname, _MISSING)
        if lengths is _MISSING:
            lengths = self._length_bytes[fieldname] = length_bytes(self, fieldname)
        return lengths

    def doc_field_length(self, docnum, fieldname, default=0):
        if docnum > self._doccount:
            raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
        lengths = self.lengths(fieldname)
        if lengths is None or docnum >= len(lengths):
            return default
        value = lengths[docnum]
        return BYTE_TO_LENGTH[value] if value else default


class NewsroomCodec(W3Codec):
    def per_document_reader(self, storage, segment):
        return LengthCachingPerDocReader(storage, segment)

    def field_writer(self, storage, segment):
        # Same files as W3's; writes a term's postings at once when given grouped postings.
        from search.engine.whoosh.internals.bulk_writer import NewsroomFieldWriter

        return NewsroomFieldWriter(self, storage, segment)
