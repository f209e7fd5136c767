"""Removes control characters (and other code points XML 1.0 forbids) from existing rows.

New text loses them on the way in (``search.text``); this cleans what came in before: the
articles' title, body, raw input (re-cleaning drafts from it, and PostgreSQL cannot store a
NUL; a PDF's keeps the form feeds between its pages), their source fields, the cleaning
decisions and removed lines (so an editor's decision still names its line), the names of
ministers and topics with their aliases and keywords, and saved searches' names and stored
queries (their words are percent-encoded there). Articles whose text changed are queued for
the index, as an edit in the admin is; on the PostgreSQL engine the database's triggers
reindex them as they are written.

The cleaning is a copy of ``search.text.strip_unsafe_characters`` as it was written for this
migration: a migration must not change when the app's code does.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import migrations

CHUNK = 500

UNSAFE_CHARACTERS = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LINE_BREAKING = frozenset("\x0b\x0c\x1c\x1d\x1e\x85")


def strip_unsafe_characters(text, *, keep=""):
    def replacement(match):
        if match.group() in keep:
            return match.group()
        return "\n" if match.group() in LINE_BREAKING else ""

    return UNSAFE_CHARACTERS.sub(replacement, text)


def safe(value):
    """Text, and the text inside JSON values (lists, objects), cleaned; anything else as it is."""
    if isinstance(value, str):
        return strip_unsafe_characters(value)
    if isinstance(value, list):
        return [safe(item) for item in value]
    if isinstance(value, dict):
        return {safe(key): safe(item) for key, item in value.items()}
    return value


def safe_pdf_text(text):
    """A PDF's raw text keeps the form feeds that keep its pages apart."""
    return strip_unsafe_characters(text, keep="\f")


def safe_query_string(query_string):
    """The stored query string with its decoded values cleaned, encoded again as the app does."""
    pairs = parse_qsl(query_string.lstrip("?"), keep_blank_values=True)
    cleaned = [(safe(name), safe(value)) for name, value in pairs]
    return query_string if cleaned == pairs else urlencode(cleaned)


ARTICLE = {
    name: safe
    for name in (
        "title",
        "body",
        "raw",
        "source_path",
        "source_url",
        "source_metadata",
        "removed",
        "cleaning_overrides",
    )
}
PDF_ARTICLE = {**ARTICLE, "raw": safe_pdf_text}
TAXONOMY = {
    "Minister": {"name": safe, "country": safe, "office": safe, "aliases": safe},
    "Topic": {"label": safe, "keywords": safe},
}
SAVED_SEARCH = {"name": safe, "query_string": safe_query_string}


def clean_rows(queryset, cleaners):
    """Write back the rows whose fields change when cleaned (``cleaners``: field name ->
    function); returns their ids."""
    changed = []
    for row in queryset.only("pk", *cleaners).order_by("pk").iterator(chunk_size=CHUNK):
        dirty = False
        for name, clean in cleaners.items():
            value = getattr(row, name)
            cleaned = clean(value)
            if cleaned != value:
                setattr(row, name, cleaned)
                dirty = True
        if dirty:
            changed.append(row)
    queryset.model.objects.using(queryset.db).bulk_update(changed, list(cleaners), batch_size=CHUNK)
    return [row.pk for row in changed]


def strip_control_characters(apps, schema_editor):
    database = schema_editor.connection.alias  # the database being migrated, not "default"

    def rows(model_name):
        return apps.get_model("search", model_name).objects.using(database)

    articles = rows("Article")
    changed_articles = clean_rows(articles.exclude(raw_format="pdf"), ARTICLE)
    changed_articles += clean_rows(articles.filter(raw_format="pdf"), PDF_ARTICLE)
    for model_name, cleaners in TAXONOMY.items():
        clean_rows(rows(model_name), cleaners)
    clean_rows(rows("SavedSearch"), SAVED_SEARCH)
    # The PostgreSQL engine's triggers reindexed the articles as they were written; the
    # embedded index is files, brought up to date from the queue after the migration.
    if getattr(settings, "SEARCH_ENGINE", "whoosh") != "postgres" and changed_articles:
        PendingIndexChange = apps.get_model("search", "PendingIndexChange")
        PendingIndexChange.objects.using(database).bulk_create(
            (PendingIndexChange(article_id=pk) for pk in changed_articles), batch_size=CHUNK
        )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0016_article_original_sha256"),
    ]

    operations = [migrations.RunPython(strip_control_characters, migrations.RunPython.noop)]
