"""Which site an article came from: its source, the unit of the repeated-line evidence.

No Django. A source is a site: the host of the article's URL; else a line that names the site
(an address standing alone, a "Source:" line, a copyright line, or for HTML the page's
canonical address or ``og:site_name``); else, for files, the one site that the other files
of its folder name, when they name only one (``SiteResolver`` has the whole order). Folders
of text dumps from many sites are common (a desk saves
what it reads into one folder): taking such a folder as one source would treat one site's
menu as another site's boilerplate.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from search.ingest.sources import (
    SUPPORTED_SUFFIXES,
    SourceDocument,
    UnreadableFile,
    open_regular_file,
    read_documents,
    walk_folder,
)

# The site is named in a page's first or last lines (masthead, footer), not in its story.
EDGE_LINES = 12
SITE_LINE_MAX_CHARS = 200  # a line naming a site is short; longer ones are not even tried
HTML_HEAD_CHARS = 20_000
SOURCE_FILE = "SOURCE"  # a folder's word on its site, written by an editor
SOURCE_FILE_MAX_BYTES = 1024

_HOST = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}"
_ADDRESS_LINE = re.compile(
    rf"(?:source|from|via|published by|origin)?\s*[:|]?\s*(?:https?://)?(?P<host>{_HOST})(?::\d+)?"
    r"(?:/\S*)?\s*",
    re.IGNORECASE,
)
_COPYRIGHT_LINE = re.compile(
    r"(?:©|\(c\)|copyright)(?:\s*(?:©|\(c\)))?\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?"
    r"(?P<name>[^\W\d][\w&'’.\- ]{1,60}?)"
    r"\s*(?:[.,|;–—-]\s*)?(?:all rights reserved\.?)?\s*",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"(?:all rights reserved|the author|authors?|reserved)\W*", re.IGNORECASE)
_CANONICAL = re.compile(
    r"<link\b[^>]*\brel=[\"']?canonical[\"']?[^>]*>|<meta\b[^>]*\bproperty=[\"']og:url[\"'][^>]*>",
    re.IGNORECASE,
)
_SITE_NAME = re.compile(r"<meta\b[^>]*\bproperty=[\"']og:site_name[\"'][^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"\b(?:href|content)=[\"']([^\"']+)[\"']", re.IGNORECASE)


def host_of(url: str) -> str:
    """``www.example.org`` and ``example.org`` are one site."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def site_named_in(raw: str, raw_format: str) -> str:
    """The site that the article's own text names, or "" when it names none."""
    if raw_format == "html":
        return site_of_html(raw[:HTML_HEAD_CHARS]) or site_of_text(raw, html=True)
    return site_of_text(raw)


def site_of_html(head: str) -> str:
    for pattern in (_CANONICAL, _SITE_NAME):
        for tag in pattern.findall(head):
            value = _ATTRIBUTE.search(tag)
            if value and pattern is _CANONICAL and "://" in value.group(1):
                return host_of(value.group(1))
            if value and pattern is _SITE_NAME and value.group(1).strip():
                return " ".join(value.group(1).split()).casefold()
    return ""


def looks_like_an_address(line: str, host: str) -> bool:
    """An address, not a capitalised phrase with a dot ("Japan.India"): written in lower case,
    or with its scheme or "www."."""
    return host.islower() or "://" in line or host.lower().startswith("www.")


def site_of_text(raw: str, *, html: bool = False) -> str:
    """An address line or a copyright line at the top or the bottom of a text dump."""
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if html:  # a page without a canonical address: its visible copyright line, tags dropped
        lines = [re.sub(r"<[^>]*>", " ", line).strip() for line in lines]
    edges = [
        line
        for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]
        if len(line) <= SITE_LINE_MAX_CHARS
    ]
    for line in edges:
        match = _ADDRESS_LINE.fullmatch(line)
        if match and looks_like_an_address(line, match.group("host")):
            return match.group("host").lower().removeprefix("www.")
    for line in reversed(edges):
        match = _COPYRIGHT_LINE.fullmatch(line)
        if match and not _NOT_A_NAME.fullmatch(match.group("name")):
            name = match.group("name").strip(" .,-")
            return name.lower().removeprefix("www.") if "." in name else name.casefold()
    return ""


class SiteResolver:
    """The source key of each document of an import, most certain first:

    1. the host of its URL; 2. the site its record gives (a JSON line's ``"site"``);
    3. an editor's word for the whole folder: a file named ``SOURCE`` in it, holding the site's
    address or name; 4. the site its own text names; 5. the one site that the other text and
    HTML files of its folder name, when they name exactly one; 6. else the document alone:
    its site is unknown, so no other article's lines count as evidence against it.

    What a folder says is read once, when a document of it first needs it.
    """

    def __init__(self, *, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.folder_source: dict[Path, str] = {}
        self.folder_sites: dict[Path, set[str]] = {}

    def source_key(self, document: SourceDocument, *, file: Path) -> str:
        if document.source_url:
            return host_of(document.source_url)
        if document.site:
            return normal_site(document.site)
        folder = file.parent
        if folder not in self.folder_source:
            self.folder_source[folder] = read_source_file(folder / SOURCE_FILE)
        if self.folder_source[folder]:
            return self.folder_source[folder]
        named = site_named_in(document.raw, document.raw_format)
        if named:
            return named
        if folder not in self.folder_sites:
            self.folder_sites[folder] = self.sites_named_in_folder(folder)
        if len(self.folder_sites[folder]) == 1:
            return next(iter(self.folder_sites[folder]))
        return document.source_path or document.name

    def sites_named_in_folder(self, folder: Path) -> set[str]:
        named = set()
        for found in walk_folder(folder, recursive=False):
            # Not JSON lines (records name their own sites), nor PDFs (read again, a scan
            # would be read by OCR again): a PDF names its site in its own text.
            kind = SUPPORTED_SUFFIXES[found.suffix.lower()] if isinstance(found, Path) else ""
            if kind in {"txt", "html"}:
                for item in read_documents(
                    found, display_path=found.name, max_bytes=self.max_bytes
                ):
                    if isinstance(item, SourceDocument):
                        named.add(site_named_in(item.raw, item.raw_format))
        return named - {""}


def read_source_file(path: Path) -> str:
    """The first line of a folder's SOURCE file, as a site; "" when there is none."""
    try:
        with open_regular_file(path) as handle:
            first = handle.read(SOURCE_FILE_MAX_BYTES).decode("utf-8", "replace").strip()
    except (UnreadableFile, OSError):
        return ""
    return normal_site(first.splitlines()[0]) if first else ""


def normal_site(text: str) -> str:
    """A site as an editor or a record writes it: an address (its host) or a name."""
    text = " ".join(text.split())
    if "://" in text:
        return host_of(text)
    if re.fullmatch(_HOST, text.lower().removeprefix("www.")):
        return text.lower().removeprefix("www.")
    return text.casefold()[:300]
