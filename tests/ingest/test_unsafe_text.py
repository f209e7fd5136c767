"""Imports keep no character that breaks an output: whatever a file or a JSON line holds
(control characters, lone surrogates as JSON escapes), the stored title, body and raw input
hold text every feed, export and database can carry."""

from __future__ import annotations

import json

import pytest

from search.ingest import importing
from search.models import Article
from search.text import UNSAFE_CHARACTERS

pytestmark = pytest.mark.django_db


def test_a_text_file_with_control_characters_is_stored_without_them(tmp_path):
    source = tmp_path / "oil.txt"
    source.write_text(
        "Oil\x01 prices rise in Tokyo\n\nOil rose\x1b on Monday,\x0bsaid the minister.\x7f\n",
        encoding="utf-8",
    )
    assert importing.import_paths([source]).imported == 1
    article = Article.objects.get()
    assert article.title == "Oil prices rise in Tokyo"
    # The vertical tab was a line break: the words on either side stay apart.
    assert article.body.split() == ["Oil", "rose", "on", "Monday,", "said", "the", "minister."]
    assert not UNSAFE_CHARACTERS.search(article.raw)
    assert importing.import_paths([source]).unchanged == 1, "the same file is the same article"


def test_a_json_line_with_nul_and_lone_surrogates_is_stored_without_them(tmp_path):
    source = tmp_path / "feed.jsonl"
    record = {
        "url": "https://example.org/oil",
        "title": "Oil\x00 prices \ud800rise",
        "body": "Oil\x00 rose \udfffon Monday.\uffff",
        "site": "example\x01.org",
    }
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")  # "\\u0000", "\\ud800"
    assert importing.import_paths([source]).imported == 1
    article = Article.objects.get()
    assert (article.title, article.body, article.raw) == (
        "Oil prices rise",
        "Oil rose on Monday.",
        "Oil rose on Monday.",
    )
    assert article.source_key == "example.org"
    assert article.source_metadata["title"] == "Oil prices rise"


def test_a_document_of_control_characters_alone_is_reported(tmp_path):
    source = tmp_path / "feed.jsonl"
    source.write_text(json.dumps({"body": "\x01\x02 \x7f"}) + "\n", encoding="utf-8")
    report = importing.import_paths([source])
    assert report.imported == 0
    assert [problem.reason for problem in report.failed] == ["no text (only control characters)"]
