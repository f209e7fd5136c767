"""How to cite an article: a RIS record for reference managers and a citation to copy.

Pure functions of plain values (``CitedArticle``), shared by the article page's "Cite" and the
search exports. RIS (the format Zotero, EndNote and Mendeley import) is one tag a line,
``TY  - `` opening a record and ``ER  - `` closing it; a line break inside a value would start
a new tag, so values are put on one line.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

RIS_LINE_END = "\r\n"  # what the RIS specification asks for; importers read \n too


@dataclass(frozen=True)
class CitedArticle:
    title: str
    published: datetime.date | None
    source_url: str  # the web address it came from, "" if none (an imported file)
    permalink: str  # its page in this archive, absolute
    ministers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    snippet: str = ""  # plain text
    labels: tuple[str, ...] = ()  # label names, for a reader who may see them
    notes: tuple[str, ...] = ()  # "author, date: text", only when asked for (exports)

    @property
    def publisher(self) -> str:
        """The site the article came from (its host name), "" when not from the web."""
        return (urlsplit(self.source_url).hostname or "") if self.source_url else ""


def web_address(url: str) -> str:
    """Only http(s) addresses are cited as links (an imported file's path is not one)."""
    return url if url.startswith(("https://", "http://")) else ""


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ris_record(article: CitedArticle) -> str:
    """One RIS record (type NEWS: a newspaper article)."""
    lines = [("TY", "NEWS"), ("TI", article.title)]
    if article.publisher:
        lines.append(("T2", article.publisher))
    if article.published:
        lines += [
            ("PY", str(article.published.year)),
            ("DA", article.published.strftime("%Y/%m/%d")),
        ]
    keywords = (*article.ministers, *article.topics, *article.labels)
    lines += [("KW", keyword) for keyword in keywords]
    if article.snippet:
        lines.append(("AB", article.snippet))
    lines.append(("UR", article.source_url or article.permalink))
    if article.source_url:
        lines.append(("N1", f"Archived copy: {article.permalink}"))
    lines += [("N1", note) for note in article.notes]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}".rstrip() + RIS_LINE_END for tag, value in lines)


def formatted_citation(article: CitedArticle, *, accessed: datetime.date) -> str:
    """A citation in a common news style: “Title.” Site, 5 March 2024. URL. Archived copy …"""
    parts = [f"“{one_line(article.title).rstrip('.')}.”"]
    where_when = ", ".join(
        part
        for part in (
            article.publisher,
            article.published and f"{article.published.day} {article.published:%B %Y}",
        )
        if part
    )
    if where_when:
        parts.append(f"{where_when}.")
    if article.source_url:
        parts.append(f"{article.source_url}.")
    parts.append(f"Archived copy: {article.permalink} (accessed {accessed.day} {accessed:%B %Y}).")
    return " ".join(parts)
