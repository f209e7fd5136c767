"""A source document -> the article it makes, as plain values: no database, no model instance.

One function drafts an import, a re-cleaning and a re-extraction, so they cannot drift apart;
``search.ingest.importing`` looks up what a draft depends on (the source's repeated lines, the
editor's decisions) and writes drafts in batches. Being pure, drafting also runs in worker
processes.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from search.ingest import cleaning, extraction, page_furniture

# Lines longer than this are article paragraphs, not templates: not kept as evidence.
EVIDENCE_MAX_LINE_LENGTH = 120
TITLE_MAX_CHARS = 500


@dataclass(frozen=True)
class TagRules:
    """The gazetteer and the topic rules, as extraction reads them."""

    ministers: tuple[extraction.MinisterSpec, ...]
    topics: tuple[extraction.TopicSpec, ...]


@dataclass(frozen=True)
class DraftInput:
    """What an article is drafted from, besides the source's evidence and the tag rules.

    ``hand_title``/``hand_body`` are the values an editor set by hand (None: not set by hand);
    they stand in the draft as they are, and tags are read from them.
    """

    raw: str
    # "txt" | "html" | "pdf" | "body" (plain text given as a record's field: trusted)
    raw_format: str
    given_title: str = ""
    given_published: datetime.date | None = None
    keep_lines: tuple[str, ...] = ()
    drop_lines: tuple[str, ...] = ()
    hand_title: str | None = None
    hand_body: str | None = None


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    body: str
    published: datetime.date | None
    removed: tuple[cleaning.RemovedBlock, ...]  # what cleaning removed, with the reason
    minister_slugs: frozenset[str]
    topic_slugs: frozenset[str]

    def removed_records(self) -> list[dict[str, str]]:
        return [{"text": block.text, "reason": block.reason} for block in self.removed]


def line_hash(line: str) -> str:
    """64 bits of SHA-1: collisions among one source's short lines are out of reach."""
    return hashlib.sha1(line.encode()).hexdigest()[:16]


def evidence_lines(raw: str, raw_format: str) -> dict[str, str]:
    """hash -> text of the input's short distinct lines: its evidence of site-wide repeats."""
    return {
        line_hash(line): line
        for line in cleaning.text_lines(raw, raw_format)
        if len(line) <= EVIDENCE_MAX_LINE_LENGTH
    }


def draft_article(
    *,
    source: DraftInput,
    repeated_lines: Collection[str],
    rules: TagRules,
    sitewide_lines: Collection[str] = (),
) -> ArticleDraft:
    """Clean the raw input (the source's repeated and site-wide lines and the editor's
    decisions applied) and extract title, date and tags from the clean text."""
    clean = {
        "html": cleaning.clean_html,
        "body": cleaning.clean_given_body,
        "pdf": page_furniture.clean_pdf,
    }.get(source.raw_format, cleaning.clean_text)
    cleaned = clean(
        source.raw,
        repeated_lines=repeated_lines,
        sitewide_lines=sitewide_lines,
        keep_lines=source.keep_lines,
        drop_lines=source.drop_lines,
    )
    return draft_from_clean_text(
        source=source, text=cleaned.body, removed=cleaned.removed, rules=rules
    )


def published_date(source: DraftInput, *, title: str, body: str) -> datetime.date | None:
    """The given date, else the page's markup (HTML), else the date read from the text dump's
    raw input (the cleaner removes date lines beside the headline or in a byline sidebar: 66%
    right against 51% from the cleaned body, docs/cleaning.md), else from the body."""
    if source.given_published is not None:
        return source.given_published
    if source.raw_format == "html":
        return extraction.html_published(source.raw) or extraction.find_published(body)
    return extraction.find_published(source.raw, title=title) or extraction.find_published(body)


def draft_from_clean_text(
    *,
    source: DraftInput,
    text: str,
    removed: Sequence[cleaning.RemovedBlock],
    rules: TagRules,
) -> ArticleDraft:
    """Title, body, date and tags from clean ``text`` (the title is split off its top)."""
    if source.raw_format == "body" and source.given_title:
        # the record gives title and body apart: the body's opening line is no headline
        title, body = source.given_title, text
    else:
        title, body = extraction.split_title(text)
    if source.raw_format == "html":
        title = extraction.html_title(source.raw) or title
    title = source.given_title or title
    if title and body.split("\n\n", 1)[0].strip() == title:
        body = body.split("\n\n", 1)[1] if "\n\n" in body else ""
    raw_title = title  # as the raw input holds it: lines above it never date the article
    title = title[:TITLE_MAX_CHARS] or "(untitled)"
    if source.hand_title is not None:
        title = source.hand_title
    if source.hand_body is not None:
        body = source.hand_body
    tagged_text = f"{title}\n\n{body}"
    return ArticleDraft(
        title=title,
        body=body,
        published=published_date(source, title=raw_title, body=body),
        removed=tuple(removed),
        minister_slugs=frozenset(extraction.find_ministers(tagged_text, rules.ministers)),
        topic_slugs=frozenset(extraction.find_topics(tagged_text, rules.topics)),
    )
