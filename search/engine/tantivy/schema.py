"""The tantivy index's fields, and an ``IndexDocument`` as a tantivy document.

Title and body are indexed as the app's own tokens (``search.engine.analysis``), pre-tokenized
with their positions, so that tantivy finds exactly the words the other engines find and a stop
word between two words stays a gap in a phrase. Their text is stored for hits and snippets.
Ministers, topics and labels are raw (untokenized) fast fields; dates are day numbers.
"""

from __future__ import annotations

import tantivy

from search.documents import IndexDocument
from search.engine.analysis import analyse, fold

# Bump when the fields or what goes into them change: an index of another version is rebuilt.
SCHEMA_VERSION = "tantivy-2"
TEXT_FIELDS = ("title", "body")
TAG_FIELDS = ("ministers", "topics", "labels")
NO_DAY = 0  # an undated article's day: before every date, last when newest first
UNDATED_LAST = 10**8  # an undated article's day when oldest first: after every date


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=True, fast=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        builder.add_text_field(f"{name}_text", stored=True, index_option="basic")
    for name in TAG_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    # The kept words unstemmed (folded): what "did you mean" respells to.
    builder.add_text_field("spelling", tokenizer_name="whitespace", index_option="basic")
    builder.add_integer_field("day", indexed=True, fast=True)  # date.toordinal(), or NO_DAY
    builder.add_integer_field("oldest", fast=True)  # the day, undated last (oldest first)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_integer_field("story", stored=True, indexed=True, fast=True)
    builder.add_text_field("version", stored=True, tokenizer_name="raw")
    return builder.build()


def tokens(text: str) -> tantivy.PreTokenizedString:
    return tantivy.PreTokenizedString(
        text,
        [tantivy.Token(stem, position, start, end) for stem, position, start, end in analyse(text)],
    )


def spelling_words(*texts: str) -> str:
    return " ".join(
        {fold(text[start:end]): None for text in texts for _s, _p, start, end in analyse(text)}
    )


def to_document(document: IndexDocument) -> tantivy.Document:
    indexed = tantivy.Document()
    indexed.add_integer("id", document.id)
    for name in TEXT_FIELDS:
        text = getattr(document, name)
        indexed.add_pre_tokenized_text(name, tokens(text))
        indexed.add_text(f"{name}_text", text)
    indexed.add_text("spelling", spelling_words(document.title, document.body))
    for name in TAG_FIELDS:
        for slug in getattr(document, name):
            indexed.add_text(name, slug)
    indexed.add_integer("day", document.published.toordinal() if document.published else NO_DAY)
    indexed.add_integer(
        "oldest", document.published.toordinal() if document.published else UNDATED_LAST
    )
    indexed.add_integer("year", document.year or 0)
    indexed.add_integer("story", document.story)
    indexed.add_text("version", document.version)
    return indexed
