"""The one place that knows Whoosh's private parts: its W3 file layout and writer internals.

Everything here was written against Whoosh-Reloaded ``WHOOSH_VERSION`` and relies on these
private names (anything else in the app uses Whoosh's public API only):

- ``whoosh.codec.whoosh3``: ``_lenfield``; ``W3TermInfo._struct``; ``W3TermsReader._tindex``,
  ``._postfile``, ``._fieldunmap``; ``W3PerDocReader._cached_reader``, ``._doccount``;
  ``W3FieldWriter._tindex``, ``._postfile``, ``._fieldid``; ``W3Codec._blocklimit``,
  ``._compression``, ``._inlinelimit``.
- ``whoosh.columns``: ``NumericColumn.Reader._typecode``, ``._dbfile``, ``._basepos``,
  ``._count``, ``._fixedlen`` (and the same on the lengths column reader).
- ``whoosh.filedb.filetables``: ``_lengths``, ``_pointer``; ``OrderedHashWriter`` and
  ``HashWriter._write_hashes``.
- ``whoosh.reading.SegmentReader``: ``._terms``, ``._perdoc``.
- ``whoosh.writing.SegmentWriter``: ``_check_state``, ``_doc_boost``, ``_check_fields``,
  ``_field_boost``, ``_added``, ``_tempstorage``, ``_close_segment``, ``_finalize_segment``.
- ``whoosh.multiproc``: ``MpWriter`` / ``SubWriterTask`` (``_process_file``, ``_lk``).
- ``SegmentWriter._commit_toc`` (overridden: ``toc.py``), and ``TOC.write`` creating its
  temporary file with ``storage.create_file`` and publishing it with ``storage.rename_file``.

``check_whoosh_version`` runs at start-up (``search.apps``): another Whoosh version may lay
these out differently and damage indexes silently, so the app refuses to start instead.
"""

from __future__ import annotations

import whoosh

WHOOSH_VERSION = (2, 7, 5)


class UnsupportedWhooshVersion(RuntimeError):
    pass


def check_whoosh_version(installed: tuple[int, ...] = whoosh.__version__) -> None:
    if tuple(installed[:3]) != WHOOSH_VERSION:
        wanted = ".".join(map(str, WHOOSH_VERSION))
        found = ".".join(map(str, installed))
        raise UnsupportedWhooshVersion(
            f"Whoosh-Reloaded {found} is installed, but search/engine/whoosh/internals was "
            f"written for {wanted}: install Whoosh-Reloaded=={wanted} "
            "(pip install -r requirements.txt), or review the internals for the new version."
        )
