"""Checksums of every file of an index generation: written at commit, verified before it answers.

Committed Whoosh files never change, so each commit records, beside its TOC, every file of
that generation (the TOC and each segment's files) with its size, modification time and
CRC-32 (what Lucene's per-file footer holds; this guards against damage, not against someone
forging files): ``CHECKSUMS_<generation>.json``, written *before* the TOC is published, so a
reader never finds a generation without it. ``CHECKSUMS`` (no generation) marks a directory
whose generations all have one.

A process hashes a file once (when it first opens a generation holding it) and remembers it by
size and modification time; a new commit costs hashing only its new files. A warm process
stats its generation's files at most once a second (``STAT_INTERVAL``, in ``cache.py``) and
hashes again only a file whose size or time changed: a different size is damage outright, a
different checksum too; the same bytes with a new time (a copy) are not.

An index written before checksums existed (no ``CHECKSUMS``) is served unverified, with a
warning in the log, until its next commit or rebuild records every file.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from search.engine.file_checksums import ALGORITHM, FileEntry, damaged, file_crc32

logger = logging.getLogger(__name__)

MARKER = "CHECKSUMS"


@dataclass(frozen=True)
class GenerationFiles:
    """What a commit recorded of one generation's files; ``entries`` is empty (and
    ``recorded`` False) for an index written before checksums."""

    directory: Path
    generation: int
    entries: tuple[FileEntry, ...]
    recorded: bool = True


def manifest_path(directory: Path, generation: int) -> Path:
    return directory / f"{MARKER}_{generation}.json"


def read_manifest(directory: Path, generation: int) -> GenerationFiles:
    """Raises IndexDamaged when a directory that keeps checksums lacks this generation's.

    A generation being replaced meanwhile loses its manifest too: callers check for that
    (``cache.py``) before calling it damage.
    """
    try:
        recorded = json.loads(manifest_path(directory, generation).read_text())
        entries = tuple(
            FileEntry(name, size, mtime_ns, crc)
            for name, (size, mtime_ns, crc) in recorded["files"].items()
        )
    except FileNotFoundError:
        if (directory / MARKER).exists():
            detail = f"{manifest_path(directory, generation)} is missing"
            raise damaged("its checksums are missing", detail) from None
        logger.warning("Search index %s has no checksums yet (written before them)", directory)
        return GenerationFiles(directory, generation, (), recorded=False)
    except (OSError, ValueError, KeyError, TypeError) as error:
        detail = f"{manifest_path(directory, generation)}: {error!r}"
        raise damaged("its checksums cannot be read", detail) from error
    return GenerationFiles(directory, generation, entries)


def write_manifest(directory: Path, generation: int, names: dict[str, Path]) -> None:
    """Record ``names`` (the name each file is committed under -> where it is now) as
    ``generation``'s files, atomically. Files this process has verified are not hashed again."""
    files = {}
    for name, path in names.items():
        stat = path.stat()
        files[name] = [stat.st_size, stat.st_mtime_ns, VERIFIER.crc32(path, stat)]
    target = manifest_path(directory, generation)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"algorithm": ALGORITHM, "files": files}))
    os.replace(temporary, target)
    if not (directory / MARKER).exists():
        (directory / MARKER).write_text(ALGORITHM + "\n")


def remove_other_manifests(directory: Path, generation: int) -> None:
    """Once a commit has published ``generation``, the others describe files it deleted."""
    for path in directory.glob(f"{MARKER}_*.json"):
        if path != manifest_path(directory, generation):
            path.unlink(missing_ok=True)


class Verifier:
    """What this process has hashed: path -> (size, mtime_ns, crc32), shared by its threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hashed: dict[Path, tuple[int, int, int]] = {}

    def crc32(self, path: Path, stat: os.stat_result) -> int:
        """The file's CRC-32: remembered while its size and time stay as they were."""
        with self._lock:
            known = self._hashed.get(path)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            return known[2]
        crc = file_crc32(path)
        with self._lock:
            self._hashed[path] = (stat.st_size, stat.st_mtime_ns, crc)
        return crc

    def verify(self, files: GenerationFiles) -> None:
        """Raise IndexDamaged unless every recorded file is there with its size and checksum."""
        for entry in files.entries:
            path = files.directory / entry.name
            try:
                stat = path.stat()
                if stat.st_size != entry.size:
                    detail = f"{path}: {stat.st_size} bytes, committed with {entry.size}"
                    raise damaged("a file changed size", detail)
                if self.crc32(path, stat) != entry.crc32:
                    raise damaged("a file's checksum does not match", f"{path}: CRC-32 differs")
            except FileNotFoundError:
                raise damaged("a file is missing", f"{path} is missing") from None
            except OSError as error:
                raise damaged("a file cannot be read", f"{path}: {error!r}") from error

    def changed(self, files: GenerationFiles) -> GenerationFiles | None:
        """The recorded files whose size or time differ from what was verified (a stat each),
        or None when none do."""
        changed = []
        for entry in files.entries:
            path = files.directory / entry.name
            try:
                stat = path.stat()
            except FileNotFoundError:
                changed.append(entry)
                continue
            with self._lock:
                known = self._hashed.get(path)
            if known != (stat.st_size, stat.st_mtime_ns, entry.crc32):
                changed.append(entry)
        if not changed:
            return None
        return GenerationFiles(files.directory, files.generation, tuple(changed))

    def forget_deleted(self) -> None:
        """Files merged away or of replaced generations: a stat each, once a new snapshot."""
        with self._lock:
            paths = list(self._hashed)
        gone = [path for path in paths if not path.exists()]
        with self._lock:
            for path in gone:
                self._hashed.pop(path, None)

    def forget(self) -> None:
        with self._lock:
            self._hashed.clear()


VERIFIER = Verifier()
