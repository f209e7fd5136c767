"""Original files kept beside their articles: a PDF is kept as ``originals/<sha256>.pdf`` in
the data dir, so its article page can offer it.

Named by content: importing the same file again (or the same file under two names) keeps one
copy, and a changed file is a new copy, never an overwrite of what another article links to.
The file is written to a temporary name and renamed, so a reader never sees half of one. Files
are served only through the article they belong to (``search.web.views.article_original``),
which checks the article may be seen: the folder itself is never published.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

from search.ingest.sources import open_regular_file

_SHA256 = re.compile(r"[0-9a-f]{64}")


class OriginalChanged(Exception):
    """The file is no longer what was read: it changed during the import."""


def originals_dir() -> Path:
    return Path(settings.DATA_DIR) / "originals"


def original_path(sha256: str) -> Path | None:
    """Where the original of this digest is kept, if it is."""
    if not _SHA256.fullmatch(sha256):
        return None
    path = originals_dir() / f"{sha256}.pdf"
    return path if path.is_file() else None


def keep_original(data: bytes, *, sha256: str) -> Path:
    """Keep ``data`` (whose digest the reader computed) as the original named by it."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OriginalChanged("the file changed while it was imported: import it again")
    folder = originals_dir()
    path = folder / f"{sha256}.pdf"
    if path.is_file():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".pdf")
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def keep_original_file(path: Path, *, sha256: str, max_bytes: int) -> Path:
    """Keep the file just read as ``sha256`` (read again here, so no import holds its bytes)."""
    with open_regular_file(path) as handle:
        data = handle.read(max_bytes + 1)
    return keep_original(data, sha256=sha256)
