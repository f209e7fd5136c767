"""The tantivy index's fields, and an ``IndexDocument`` as a tantivy document.

Title and body are indexed as the app's own stems (``search.engine.analysis``): each text goes
in as one string of its stems with a GAP for every left-out word, which the registered
``STEMS_TOKENIZER`` splits on whitespace and drops the GAPs from, so that tantivy finds exactly
the words the other engines find and a stop word between two words stays a gap in a phrase
(a stem's position is its token number). Their text is stored for hits and snippets.
Ministers, topics and labels are raw (untokenized) fast fields; dates are day numbers.

``spelling`` is the word list did-you-mean reads (its terms; no article is found by it). A
rebuild gives each word to the first two articles that have it in each analysing process, not
to every one (indexing every article's words for it cost nearly half of tantivy's indexing); an
article written later (the index worker's upsert) carries all its words. A word leaves the list
when the articles carrying it leave the index (merged away), as every indexed term does: also
when other articles that did not carry it still have it, until the next rebuild (it takes
every carrier of a word being deleted, hidden or edited without it; only suggestions of it are
lost, never a match).
"""

from __future__ import annotations

from typing import NamedTuple

import tantivy

from search.documents import IndexDocument
from search.engine.analysis import GAP, Vocabulary

# Bump when the fields or what goes into them change: an index of another version is rebuilt.
SCHEMA_VERSION = "tantivy-4"  # 3: copies; 4: spelling words carried by a few articles each
TEXT_FIELDS = ("title", "body")
TAG_FIELDS = ("ministers", "topics", "labels")
STEMS_TOKENIZER = "newsroom_stems"
STORED_ONLY = "newsroom_stored_only"  # a tokenizer that keeps no token: the field is only read
NO_DAY = 0  # an undated article's day: before every date, last when newest first
UNDATED_LAST = 10**8  # an undated article's day when oldest first: after every date


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=STEMS_TOKENIZER, index_option="position")
        builder.add_text_field(
            f"{name}_text", stored=True, tokenizer_name=STORED_ONLY, index_option="basic"
        )
    for name in TAG_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    # The kept words unstemmed (folded): what "did you mean" respells to (see above).
    builder.add_text_field("spelling", tokenizer_name="whitespace", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)  # date.toordinal(), or NO_DAY
    builder.add_integer_field("oldest", fast=True)  # the day, undated last (oldest first)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("story", stored=True, indexed=True, fast=True)
    # 1 for an article in a story (``copies_flag``): collapsing looks for repeated stories there.
    builder.add_integer_field("copies", indexed=True)
    builder.add_text_field("version", stored=True, tokenizer_name="raw")
    return builder.build()


def open_index(path: str, *, reuse: bool) -> tantivy.Index:
    """The index at ``path`` (a new one unless ``reuse``), with the app's tokenizers
    registered: tantivy keeps them per open index, and every reader and writer needs them."""
    index = tantivy.Index(build_schema(), path, reuse=reuse)
    stems = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace())
    index.register_tokenizer(
        STEMS_TOKENIZER, stems.filter(tantivy.Filter.custom_stopword([GAP])).build()
    )
    # tantivy-py indexes every text field; this one indexes nothing (every token too long).
    nothing = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.raw())
    index.register_tokenizer(STORED_ONLY, nothing.filter(tantivy.Filter.remove_long(0)).build())
    return index


class AnalysedTexts(NamedTuple):
    """An article's texts as the index takes them (plain strings: they cross processes)."""

    title: str  # Vocabulary.stems_with_gaps
    body: str
    spelling: str  # kept words of both: every one, or those it carries in a rebuild


def analyse_texts(
    texts: tuple[str, str], vocabulary: Vocabulary, *, rebuilding: bool
) -> AnalysedTexts:
    """An article's (title, body) analysed; ``rebuilding``: with only the spelling words it
    carries (``Vocabulary.newly_seen_words``), else all of them."""
    title, body = vocabulary.pieces(texts[0]), vocabulary.pieces(texts[1])
    title_stems, body_stems = vocabulary.stems_with_gaps(title), vocabulary.stems_with_gaps(body)
    newly_seen = vocabulary.newly_seen_words()  # asked every time: it empties what it noted
    return AnalysedTexts(
        title=title_stems,
        body=body_stems,
        spelling=newly_seen if rebuilding else vocabulary.kept_words(title + body),
    )


def to_document(document: IndexDocument, texts: AnalysedTexts) -> tantivy.Document:
    indexed = tantivy.Document()
    indexed.add_integer("id", document.id)
    indexed.add_text("title", texts.title)
    indexed.add_text("body", texts.body)
    indexed.add_text("title_text", document.title)
    indexed.add_text("body_text", document.body)
    indexed.add_text("spelling", texts.spelling)
    for name in TAG_FIELDS:
        for slug in getattr(document, name):
            indexed.add_text(name, slug)
    indexed.add_integer("day", document.published.toordinal() if document.published else NO_DAY)
    indexed.add_integer(
        "oldest", document.published.toordinal() if document.published else UNDATED_LAST
    )
    indexed.add_integer("year", document.year or 0)
    indexed.add_integer("story", document.story)
    indexed.add_integer("copies", copies_flag(document))
    indexed.add_text("version", document.version)
    return indexed


def copies_flag(document: IndexDocument) -> int:
    """1 when the article is in a story with other versions, else 0. Every version of a story
    has it, its first article too (whose ``cluster`` is its own id), and it changes only with
    the article's own ``cluster``, so the index entries that story changes re-queue (the
    articles whose cluster changed) are the only ones whose flag changes."""
    return 1 if document.cluster else 0
