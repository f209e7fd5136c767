"""Reading input files into source documents: .txt, .html/.htm, .jsonl and .pdf.

Pure file handling, no Django: every problem with a file becomes a ``SourceProblem`` naming
the file and the reason, so an import can report it and go on with the rest.

An import reads only what it was given: inside a folder no symbolic link is followed (a link
to a file inside the folder adds nothing, since the file is imported itself; a link out of
it is what must never be read), and only regular files are opened, without blocking, so a
FIFO or a device cannot hang or feed an import. A ``.jsonl`` file is streamed a line at a
time and the size limit applies to each record, so an archive export of any size imports
in flat memory.
"""

from __future__ import annotations

import datetime
import json
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import urlsplit

from search.text import strip_unsafe_characters

if TYPE_CHECKING:
    from search.ingest.pdf import PdfLimits

SUPPORTED_SUFFIXES = {
    ".txt": "txt",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".pdf": "pdf",
}
# A PDF's raw text keeps its pages apart with form feeds (search.ingest.page_furniture).
PDF_PAGE_BREAK = "\f"
NOT_REGULAR = "not a regular file (a FIFO, socket or device): not read"
COUNT_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class SourceDocument:
    """One article as it arrived, before cleaning."""

    name: str  # how reports refer to it: a path, or path:line for a JSON line
    raw: str
    raw_format: str  # "txt" | "html" | "pdf" | "body" (a record's plain-text body: trusted)
    source_path: str = ""
    source_url: str = ""
    title: str = ""  # given by the input (JSON lines); otherwise extracted
    published: datetime.date | None = None
    # given by the input (a JSON line's "site"); otherwise found by search.ingest.sites
    site: str = ""
    # A PDF's SHA-256: the file is kept as the article's original (search.ingest.originals).
    original_sha256: str = ""


@dataclass(frozen=True)
class SourceProblem:
    name: str
    reason: str


class UnreadableFile(Exception):
    """A path that is not to be read: not a regular file, or it cannot be opened."""


def find_input_files(paths: Iterable[Path]) -> Iterator[Path | SourceProblem]:
    """Every supported file under the given files and folders, folder by folder, in a stable
    order. A path given here is taken even when it is a link (the person named it)."""
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            yield SourceProblem(str(path), "no such file or folder")
            continue
        if stat.S_ISDIR(mode):
            yield from walk_folder(path.resolve())
        elif not stat.S_ISREG(mode):
            yield SourceProblem(str(path), NOT_REGULAR)
        elif path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path.resolve()
        else:
            yield SourceProblem(str(path), f"unsupported file type {path.suffix or '(none)'!r}")


def walk_folder(root: Path, *, recursive: bool = True) -> Iterator[Path | SourceProblem]:
    """The supported regular files under ``root``; links and special files are reported."""
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            yield SourceProblem(str(folder), f"cannot read folder: {error.strerror or error}")
            continue
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                if path.suffix.lower() in SUPPORTED_SUFFIXES or entry.is_dir():
                    yield SourceProblem(str(path), link_reason(path, root))
            elif entry.is_dir(follow_symlinks=False):
                subfolders.append(path)
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            elif entry.is_file(follow_symlinks=False):
                yield path
            else:
                yield SourceProblem(str(path), NOT_REGULAR)
        if recursive:
            folders.extend(reversed(subfolders))


def link_reason(path: Path, root: Path) -> str:
    target = path.resolve()
    if target == root or root in target.parents:
        return "symbolic link: not followed (what it points to in the folder is imported itself)"
    return "symbolic link to outside the import folder: not read"


@contextmanager
def open_regular_file(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading only if it is a regular file that is not a link.

    O_NONBLOCK: opening a FIFO for reading would wait for a writer; O_NOFOLLOW and the fstat
    close the gap between finding a file and opening it (it could have been swapped).
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise UnreadableFile(f"cannot read file: {error.strerror or error}") from error
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        raise UnreadableFile(NOT_REGULAR)
    with os.fdopen(descriptor, "rb") as handle:
        yield handle


def read_documents(
    path: Path, *, display_path: str, max_bytes: int, pdf_limits: PdfLimits | None = None
) -> Iterator[SourceDocument | SourceProblem]:
    """The documents in one file, or the problems that kept them out; every text in them
    without the characters no output can carry (``search.text``), which no later step sees."""
    for item in read_file(
        path, display_path=display_path, max_bytes=max_bytes, pdf_limits=pdf_limits
    ):
        yield with_safe_text(item)


def with_safe_text(item: SourceDocument | SourceProblem) -> SourceDocument | SourceProblem:
    page_breaks = isinstance(item, SourceDocument) and item.raw_format == "pdf"
    texts = {
        field.name: strip_unsafe_characters(
            value, keep=PDF_PAGE_BREAK if page_breaks and field.name == "raw" else ""
        )
        for field in fields(item)
        if isinstance(value := getattr(item, field.name), str)
    }
    if isinstance(item, SourceDocument) and not texts["raw"].strip():
        return SourceProblem(texts["name"], "no text (only control characters)")
    return replace(item, **texts)


def read_file(
    path: Path, *, display_path: str, max_bytes: int, pdf_limits: PdfLimits | None
) -> Iterator[SourceDocument | SourceProblem]:
    kind = SUPPORTED_SUFFIXES[path.suffix.lower()]
    try:
        with open_regular_file(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                yield SourceProblem(display_path, "empty file")
            elif kind == "jsonl":
                yield from parse_json_lines(handle, display_path, max_bytes=max_bytes)
            elif size > max_bytes:
                yield SourceProblem(display_path, over_limit("file", size, max_bytes))
            else:
                data = handle.read(max_bytes + 1)  # a file still growing stops at the limit
                if len(data) > max_bytes:
                    yield SourceProblem(display_path, over_limit("file", len(data), max_bytes))
                else:
                    yield document_from_file(data, display_path, kind, pdf_limits=pdf_limits)
    except UnreadableFile as error:
        yield SourceProblem(display_path, str(error))
    except OSError as error:
        yield SourceProblem(display_path, f"cannot read file: {error.strerror or error}")


def over_limit(what: str, size: int, max_bytes: int) -> str:
    return f"{what} is {size:,} bytes, over the {max_bytes:,}-byte import limit"


def document_from_file(
    data: bytes, name: str, kind: str, *, pdf_limits: PdfLimits | None = None
) -> SourceDocument | SourceProblem:
    if kind == "pdf":
        from search.ingest import pdf  # here: search.ingest.pdf builds on this module

        return pdf.document_from_pdf(data, name, limits=pdf_limits or pdf.PdfLimits())
    text = decode_text(data, name)
    if isinstance(text, SourceProblem):
        return text
    if not text.strip():
        return SourceProblem(name, "file has no text (only whitespace)")
    return SourceDocument(name=name, raw=text, raw_format=kind, source_path=name)


def decode_text(data: bytes, name: str) -> str | SourceProblem:
    if b"\x00" in data[:8192]:
        return SourceProblem(name, "binary file (contains NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        return SourceProblem(
            name,
            f"not valid UTF-8 (byte {error.start}): convert the file to UTF-8 and import again",
        )


def bounded_lines(handle: BinaryIO, max_bytes: int) -> Iterator[bytes | int]:
    """Each line of ``handle``, or, for a line longer than ``max_bytes``, its length: such a
    line is read through in chunks and never held whole."""
    while line := handle.readline(max_bytes + 1):
        if len(line) <= max_bytes or line.endswith(b"\n"):
            yield line
            continue
        length = len(line)
        while (rest := handle.readline(COUNT_CHUNK_BYTES)) and not rest.endswith(b"\n"):
            length += len(rest)
        yield length + len(rest.rstrip(b"\r\n"))


def parse_json_lines(
    handle: BinaryIO, name: str, *, max_bytes: int
) -> Iterator[SourceDocument | SourceProblem]:
    for line_number, line in enumerate(bounded_lines(handle, max_bytes), start=1):
        line_name = f"{name}:{line_number}"
        if isinstance(line, int):
            yield SourceProblem(line_name, over_limit("line", line, max_bytes))
            continue
        if line_number == 1:
            if b"\x00" in line[:8192]:
                yield SourceProblem(name, "binary file (contains NUL bytes), not text")
                return
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8"))
        except UnicodeDecodeError as error:
            yield SourceProblem(line_name, f"not valid UTF-8 (byte {error.start} of the line)")
        except json.JSONDecodeError as error:
            yield SourceProblem(line_name, f"invalid JSON ({error.msg} at column {error.colno})")
        except RecursionError:
            yield SourceProblem(line_name, "invalid JSON (nested too deeply)")
        except ValueError as error:  # e.g. an integer of more digits than Python converts
            yield SourceProblem(line_name, f"invalid JSON ({error})")
        else:
            yield document_from_record(record, line_name)


def document_from_record(record: object, name: str) -> SourceDocument | SourceProblem:
    if not isinstance(record, dict):
        return SourceProblem(name, "a JSON line must be an object with body or html")
    body, html = record.get("body"), record.get("html")
    raw, raw_format = (html, "html") if html else (body, "body")
    if not isinstance(raw, str) or not raw.strip():
        return SourceProblem(name, 'no text: give "body" (plain text) or "html"')
    fields = {key: record.get(key) or "" for key in ("title", "url", "published", "site")}
    if not all(isinstance(value, str) for value in fields.values()):
        return SourceProblem(name, '"title", "url", "published" and "site" must be strings')
    url = fields["url"].strip()
    if url and urlsplit(url).scheme.lower() not in {"http", "https"} or " " in url:
        return SourceProblem(name, f'"url" must be an http(s) address, not {url[:80]!r}')
    published = None
    if fields["published"]:
        try:
            published = datetime.date.fromisoformat(fields["published"][:10])
        except ValueError:
            return SourceProblem(name, f'"published" is not a date: {fields["published"][:40]!r}')
    return SourceDocument(
        name=name,
        raw=raw,
        raw_format=raw_format,
        # Without a URL, the line's position identifies it on a later import.
        source_path="" if fields["url"] else name,
        source_url=url,
        title=fields["title"].strip(),
        published=published,
        site=" ".join(fields["site"].split())[:300],
    )


def count_documents(files: Iterable[Path]) -> int:
    """How many documents the files hold (a JSON-lines file: its non-empty lines), for progress.

    Read in chunks: a file of one huge line is counted in flat memory too."""
    total = 0
    for path in files:
        if SUPPORTED_SUFFIXES.get(path.suffix.lower()) != "jsonl":
            total += 1
            continue
        try:
            with open_regular_file(path) as handle:
                total += count_nonblank_lines(handle)
        except (UnreadableFile, OSError):
            total += 1
    return total


def count_nonblank_lines(handle: BinaryIO) -> int:
    count, line_has_text = 0, False
    while chunk := handle.read(COUNT_CHUNK_BYTES):
        pieces = chunk.split(b"\n")
        for piece in pieces[:-1]:
            count += bool(line_has_text or piece.strip())
            line_has_text = False
        line_has_text = line_has_text or bool(pieces[-1].strip())
    return count + line_has_text
