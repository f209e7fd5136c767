"""Committing a generation with its checksums recorded before its TOC is published.

Whoosh's ``SegmentWriter._commit_toc`` writes the TOC to a temporary file, renames it to
``_<indexname>_<generation>.toc`` (from then on readers open it) and deletes the files no
segment uses any more. Here the rename waits until ``checksums.write_manifest`` has recorded
every file of the generation (the TOC as written, under its final name: a rename keeps its
size and time), so no reader ever finds a generation without its checksums.
"""

from __future__ import annotations

from pathlib import Path

from whoosh.index import TOC, clean_files

from search.engine.whoosh import checksums


class RecordBeforeRename:
    """The writer's storage, for ``TOC.write``: which creates the temporary file and renames it."""

    def __init__(self, storage, on_written) -> None:
        self._storage = storage
        self._on_written = on_written

    def create_file(self, name, **kwargs):
        return self._storage.create_file(name, **kwargs)

    def rename_file(self, written: str, final: str, safe: bool = False) -> None:
        self._on_written(written, final)
        self._storage.rename_file(written, final, safe=safe)


def commit_toc_with_checksums(writer, segments) -> None:
    """What ``SegmentWriter._commit_toc`` does, with the checksums recorded first."""
    storage = writer.storage
    directory = Path(storage.folder)

    def record(written: str, final: str) -> None:
        names = {
            name: directory / name for segment in segments for name in segment.list_files(storage)
        }
        names[final] = directory / written
        checksums.write_manifest(directory, writer.generation, names)

    TOC(writer.schema, segments, writer.generation).write(
        RecordBeforeRename(storage, record), writer.indexname
    )
    clean_files(storage, writer.indexname, writer.generation, segments)
    checksums.remove_other_manifests(directory, writer.generation)
