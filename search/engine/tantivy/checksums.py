"""Checksums of a tantivy generation's files: recorded after each commit, verified before a
process reads them, so that damage answers 503 with the repair command, never a wrong answer.

tantivy itself notices only some damage: a file garbled in the middle or a fieldnorm file with
other bytes is read as if it were fine (other hits, other ranks), and a file truncated under a
process that has it memory-mapped kills that process (SIGBUS) when read.

A commit leaves ``meta.json`` (tantivy's list of segments and the commit's opstamp, replaced
atomically) and each listed segment's files, named by the segment's id: ``<id>.<component>``
and, once it has deletions, ``<id>.<opstamp>.del``. No file changes once written. After each
commit and its merges the writer records them in ``CHECKSUMS.json``: size, modification time
and CRC-32 of each (this guards against damage, not against someone forging files), with the
opstamp of the ``meta.json`` they belong to. Not recorded: the lock files and ``.managed.json``
(tantivy's list of the files it may delete, rewritten while documents are added, before any
commit; a damaged one fails the opening, a 503 too).

tantivy has no hook inside a commit, so the manifest is written just after ``meta.json``
(after the commit's merges): meanwhile a reader finds a ``meta.json`` newer than the manifest.
That is no damage. The recorded files the newer ``meta.json`` still lists are verified, the new
segments are read as the writer just left them, and the manifest is read again at each search
until it has caught up. A ``meta.json`` that does not parse, an older one, or one of the
manifest's opstamp with other bytes is damage.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from search.engine.errors import IndexDamaged
from search.engine.file_checksums import ALGORITHM, FileEntry, damaged, file_crc32

MANIFEST = "CHECKSUMS.json"
MANIFEST_LOCK = "CHECKSUMS.lock"
META = "meta.json"
RECORD_ATTEMPTS = 5  # merges deleting files while they are hashed: read meta.json again


@dataclass(frozen=True)
class Commit:
    """What ``meta.json`` lists: its opstamp, and each segment's id (as its files are named)
    with the opstamp of its deletions (None: it has none)."""

    opstamp: int
    segments: dict[str, int | None]

    def lists(self, name: str) -> bool:
        """Whether ``name`` is a file of this commit (``meta.json`` aside)."""
        segment, *rest = name.split(".")
        if segment not in self.segments:
            return False
        if len(rest) == 1:
            return True
        deletions = self.segments[segment]
        return len(rest) == 2 and rest[1] == "del" and rest[0] == str(deletions)


@dataclass(frozen=True)
class Manifest:
    opstamp: int
    entries: tuple[FileEntry, ...]


@dataclass(frozen=True)
class Verified:
    """What a reader verified: the manifest, and whether ``meta.json`` was newer (``behind``:
    a commit whose checksums were still being recorded)."""

    manifest: Manifest
    behind: bool


def read_commit(directory: Path) -> Commit:
    path = directory / META
    try:
        meta = json.loads(path.read_bytes())
        segments = {
            segment["segment_id"].replace("-", ""): (segment["deletes"] or {}).get("opstamp")
            for segment in meta["segments"]
        }
        return Commit(int(meta["opstamp"]), segments)
    except FileNotFoundError:
        raise damaged("its list of segments is missing", f"{path} is missing") from None
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise damaged("its list of segments cannot be read", f"{path}: {error!r}") from error


def read_manifest(directory: Path) -> Manifest:
    path = directory / MANIFEST
    try:
        recorded = json.loads(path.read_text())
        entries = tuple(
            FileEntry(name, size, mtime_ns, crc)
            for name, (size, mtime_ns, crc) in recorded["files"].items()
        )
        return Manifest(int(recorded["opstamp"]), entries)
    except FileNotFoundError:
        raise damaged("its checksums are missing", f"{path} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise damaged("its checksums cannot be read", f"{path}: {error!r}") from error


def commit_files(directory: Path, commit: Commit) -> list[str]:
    """``meta.json`` and every file of the segments it lists, as found in ``directory``.
    Every segment of one index has the same components: one without all of them is damaged."""
    names = sorted(name for name in os.listdir(directory) if commit.lists(name))
    components = {name.split(".")[1] for name in names if name.count(".") == 1}
    for segment, deletions in commit.segments.items():
        expected = {f"{segment}.{component}" for component in components}
        if deletions is not None:
            expected.add(f"{segment}.{deletions}.del")
        if missing := expected - set(names):
            detail = f"{directory}: {sorted(missing)} missing"
            raise damaged("a file is missing", detail)
    return [META, *names]


def still_committed(entries: Iterable[FileEntry], commit: Commit) -> list[FileEntry]:
    """The recorded files that ``commit`` (a newer one) still reads."""
    return [entry for entry in entries if entry.name != META and commit.lists(entry.name)]


def verify(directory: Path, *, rehash: bool = False) -> Verified:
    """Raise IndexDamaged unless the generation's files are as their commit recorded them.

    ``rehash``: hash every file again (check_index), not only those whose size or time changed
    since this process hashed them.
    """
    manifest = read_manifest(directory)  # before meta.json: it is written after it
    commit = read_commit(directory)
    if commit.opstamp < manifest.opstamp:
        detail = f"{directory}: meta.json opstamp {commit.opstamp} < {manifest.opstamp}"
        raise damaged("its list of segments is older than its checksums", detail)
    behind = commit.opstamp > manifest.opstamp
    entries = still_committed(manifest.entries, commit) if behind else manifest.entries
    VERIFIER.verify(directory, entries, rehash=rehash)
    return Verified(manifest, behind)


def record(directory: Path) -> None:
    """After a commit and its merges: record the files of what ``meta.json`` lists now.

    The files recorded before that the commit still reads are verified first, so a commit
    never blesses damage. Writers record one at a time (a lock file); a manifest is never
    replaced by an older commit's."""
    with (directory / MANIFEST_LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for attempt in range(RECORD_ATTEMPTS):
            commit = read_commit(directory)
            try:
                previous = read_manifest(directory)
            except IndexDamaged:
                previous = None  # a new generation's first commit
            if previous is not None:
                if previous.opstamp >= commit.opstamp:
                    return
                VERIFIER.verify(directory, still_committed(previous.entries, commit))
            try:
                files = {
                    name: VERIFIER.entry(directory / name)
                    for name in commit_files(directory, commit)
                }
            except (FileNotFoundError, IndexDamaged):
                if attempt + 1 < RECORD_ATTEMPTS and read_commit(directory) != commit:
                    continue  # a merge ended meanwhile and deleted what it merged
                raise
            write_manifest(directory, commit.opstamp, files)
            return


def write_manifest(directory: Path, opstamp: int, files: dict[str, FileEntry]) -> None:
    recorded = {name: [e.size, e.mtime_ns, e.crc32] for name, e in files.items()}
    target = directory / MANIFEST
    temporary = target.with_name(f"{MANIFEST}.{os.getpid()}.tmp")
    temporary.write_text(
        json.dumps({"algorithm": ALGORITHM, "opstamp": opstamp, "files": recorded})
    )
    os.replace(temporary, target)


class Verifier:
    """What this process has hashed: path -> (size, mtime_ns, crc32), shared by its threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._hashed: dict[Path, tuple[int, int, int]] = {}

    def entry(self, path: Path, *, rehash: bool = False) -> FileEntry:
        """The file as it is now; hashed only when its size or time changed since it was
        last hashed here (or ``rehash``)."""
        stat = path.stat()
        with self._lock:
            known = self._hashed.get(path)
        if rehash or known is None or known[:2] != (stat.st_size, stat.st_mtime_ns):
            crc = file_crc32(path)
            with self._lock:
                self._hashed[path] = (stat.st_size, stat.st_mtime_ns, crc)
        else:
            crc = known[2]
        return FileEntry(path.name, stat.st_size, stat.st_mtime_ns, crc)

    def verify(self, directory: Path, entries: Iterable[FileEntry], *, rehash=False) -> None:
        """Raise IndexDamaged unless every entry's file is there with its size and checksum
        (the same bytes with a new time, as a copy leaves them, are no damage)."""
        for recorded in entries:
            path = directory / recorded.name
            try:
                size = path.stat().st_size
                if size != recorded.size:
                    detail = f"{path}: {size} bytes, committed with {recorded.size}"
                    raise damaged("a file changed size", detail)
                if self.entry(path, rehash=rehash).crc32 != recorded.crc32:
                    raise damaged("a file's checksum does not match", f"{path}: CRC-32 differs")
            except FileNotFoundError:
                raise damaged("a file is missing", f"{path} is missing") from None
            except OSError as error:
                raise damaged("a file cannot be read", f"{path}: {error!r}") from error

    def changed(self, directory: Path, entries: Iterable[FileEntry]) -> list[FileEntry]:
        """The entries whose file's size or time differ from when it was verified (a stat
        each; a missing file is changed)."""
        changed = []
        for recorded in entries:
            path = directory / recorded.name
            try:
                stat = path.stat()
            except FileNotFoundError:
                changed.append(recorded)
                continue
            with self._lock:
                known = self._hashed.get(path)
            if known != (stat.st_size, stat.st_mtime_ns, recorded.crc32):
                changed.append(recorded)
        return changed

    def forget_all_but(self, directory: Path, entries: Iterable[FileEntry]) -> None:
        """Forget files merged away or of replaced generations: ``entries`` are what is read."""
        keep = {directory / entry.name for entry in entries}
        with self._lock:
            self._hashed = {path: known for path, known in self._hashed.items() if path in keep}

    def forget(self) -> None:
        with self._lock:
            self._hashed.clear()


VERIFIER = Verifier()
