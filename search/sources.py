"""Reading input files into source documents: .txt, .html/.htm and .jsonl.

Pure file handling, no Django: every problem with a file becomes a ``SourceProblem`` naming
the file and the reason, so an import can report it and go on with the rest.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

SUPPORTED_SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}


@dataclass(frozen=True)
class SourceDocument:
    """One article as it arrived, before cleaning."""

    name: str  # how reports refer to it: a path, or path:line for a JSON line
    raw: str
    raw_format: str  # "txt" | "html"
    source_path: str = ""
    source_url: str = ""
    title: str = ""  # given by the input (JSON lines); otherwise extracted
    published: datetime.date | None = None


@dataclass(frozen=True)
class SourceProblem:
    name: str
    reason: str


def find_input_files(paths: Iterable[Path]) -> Iterator[Path | SourceProblem]:
    """Every supported file under the given files and folders, in a stable order."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                yield path
            else:
                yield SourceProblem(str(path), f"unsupported file type {path.suffix or '(none)'!r}")
        else:
            yield SourceProblem(str(path), "no such file or folder")


def read_documents(
    path: Path, *, display_path: str, max_bytes: int
) -> Iterator[SourceDocument | SourceProblem]:
    """The documents in one file, or the problems that kept them out."""
    try:
        size = path.stat().st_size
        if size == 0:
            yield SourceProblem(display_path, "empty file")
            return
        if size > max_bytes:
            yield SourceProblem(
                display_path, f"file is {size:,} bytes, over the {max_bytes:,}-byte import limit"
            )
            return
        data = path.read_bytes()
    except OSError as error:
        yield SourceProblem(display_path, f"cannot read file: {error.strerror or error}")
        return
    text_or_problem = decode_text(data, display_path)
    if isinstance(text_or_problem, SourceProblem):
        yield text_or_problem
        return
    kind = SUPPORTED_SUFFIXES[path.suffix.lower()]
    if kind == "jsonl":
        yield from parse_json_lines(text_or_problem, display_path)
        return
    if not text_or_problem.strip():
        yield SourceProblem(display_path, "file has no text (only whitespace)")
        return
    yield SourceDocument(
        name=display_path, raw=text_or_problem, raw_format=kind, source_path=display_path
    )


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


def parse_json_lines(text: str, name: str) -> Iterator[SourceDocument | SourceProblem]:
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        line_name = f"{name}:{line_number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield SourceProblem(line_name, f"invalid JSON ({error.msg} at column {error.colno})")
            continue
        yield document_from_record(record, line_name)


def document_from_record(record: object, name: str) -> SourceDocument | SourceProblem:
    if not isinstance(record, dict):
        return SourceProblem(name, "a JSON line must be an object with body or html")
    body, html = record.get("body"), record.get("html")
    raw, raw_format = (html, "html") if html else (body, "txt")
    if not isinstance(raw, str) or not raw.strip():
        return SourceProblem(name, 'no text: give "body" (plain text) or "html"')
    fields = {key: record.get(key) or "" for key in ("title", "url", "published")}
    if not all(isinstance(value, str) for value in fields.values()):
        return SourceProblem(name, '"title", "url" and "published" must be strings')
    url = fields["url"].strip()
    if url and urlsplit(url).scheme.lower() not in {"http", "https"} or " " in url:
        return SourceProblem(name, f'"url" must be an http(s) address, not {url[:80]!r}')
    published = None
    if fields["published"]:
        try:
            published = datetime.date.fromisoformat(fields["published"][:10])
        except ValueError:
            return SourceProblem(name, f'"published" is not a date: {fields["published"]!r}')
    return SourceDocument(
        name=name,
        raw=raw,
        raw_format=raw_format,
        # Without a URL, the line's position identifies it on a later import.
        source_path="" if fields["url"] else name,
        source_url=url,
        title=fields["title"].strip(),
        published=published,
    )


def count_documents(files: Iterable[Path]) -> int:
    """How many documents the files hold (a JSON-lines file: its non-empty lines), for progress."""
    total = 0
    for path in files:
        if SUPPORTED_SUFFIXES.get(path.suffix.lower()) != "jsonl":
            total += 1
            continue
        try:
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        except OSError:
            total += 1
    return total
