"""What both embedded engines' index checksums share: a file's CRC-32 and its recorded entry,
and the message damage is told with (the kind of problem and the repair, never a path).

Each engine keeps its own manifest of which files a commit holds (Whoosh: per generation,
``whoosh/checksums.py``; tantivy: per commit, ``tantivy/checksums.py``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from search.engine.errors import REPAIR_HINT, IndexDamaged

ALGORITHM = "crc32"
CHUNK = 1 << 20


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    mtime_ns: int
    crc32: int


def damaged(problem: str, detail: str = "") -> IndexDamaged:
    """What callers are told (the kind of problem, the repair), and ``detail`` for the log."""
    return IndexDamaged(f"The search index is damaged ({problem}): {REPAIR_HINT}.", detail)


def file_crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            crc = zlib.crc32(chunk, crc)
    return crc
