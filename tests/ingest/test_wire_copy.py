"""Hard-wrapped wire copy given as JSON lines keeps its words: real Reuters stories
(tests/fixtures/reuters, Reuters-21578, Distribution 1.0) imported as one source."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from search.ingest import importing
from search.ingest.cleaning import clean_given_body, clean_text, text_lines
from search.models import Article

FIXTURES = Path(__file__).parents[1] / "fixtures"
STORIES = FIXTURES / "reuters" / "stories.jsonl"
MAGAZINE = FIXTURES / "magazine" / "upper_case_1963.txt"


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def stories() -> dict[int, dict]:
    return {record["newid"]: record for record in map(json.loads, STORIES.read_text().splitlines())}


@pytest.mark.django_db
def test_wire_stories_imported_as_json_lines_keep_every_word(tmp_path, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "REPEATED_LINE_MIN_ARTICLES": 3}
    shutil.copy(STORIES, tmp_path / "wire.jsonl")
    assert importing.import_paths([tmp_path]).imported == 5
    for newid, record in stories().items():
        article = Article.objects.get(source_url=record["url"])
        assert article.title == record["title"]
        assert words(article.body) == words(record["body"]), newid
        assert article.removed == [], newid


def test_a_list_of_names_broken_over_lines_stays_in_its_sentence():
    body = stories()[6401]["body"]
    paragraphs = clean_given_body(body).body.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[3].startswith("New tender participants are: Vickers da Costa Ltd; Bache")
    assert paragraphs[3].endswith("Sogen Security Corp and Swiss Bank Corp International Asia Inc.")


def test_a_wrapped_opening_line_is_judged_with_its_sentence_not_as_a_repeated_line():
    lyng = [record["body"] for newid, record in stories().items() if newid != 6401]
    lines = [set(text_lines(body, "body")) for body in lyng]
    assert not any("U.S. Agriculture Secretary Richard" in found for found in lines)
    first = clean_given_body(lyng[0], repeated_lines=["U.S. Agriculture Secretary Richard"])
    assert first.body.startswith("U.S. Agriculture Secretary Richard Lyng does not intend")
    assert first.removed == ()


def test_table_rows_are_not_joined():
    assert text_lines(stories()[14]["body"], "body") == [
        "Shr one dlr vs 73 cts",
        "Net 12.6 mln vs 15.8 mln",
        "Revs 337.3 mln vs 315.2 mln",
        "Nine mths",
        "Shr 3.07 dlrs vs 3.08 dlrs",
        "Net 66 mln vs 66.2 mln",
        "Revs 1.59 billion vs 997.1 mln",
    ]


def test_a_given_body_loses_only_what_the_source_repeats_where_it_looks_like_the_sites():
    body = stories()[2095]["body"] + "\nMore\n"
    cleaned = clean_given_body(body, repeated_lines=["More"], drop_lines=["nothing"])
    assert [(block.text, block.reason) for block in cleaned.removed] == [("More", "repeated-line")]
    assert words(cleaned.body) == words(stories()[2095]["body"])


def test_a_given_body_is_never_cut_by_shape_or_position():
    # as a text dump, a short opening line and a menu-shaped tail would be judged by shape
    body = "Home | World | Markets\nThe ministers met on Tuesday and agreed to talk.\nMost read"
    assert clean_given_body(body).body.split("\n\n") == body.split("\n")
    assert clean_text(body).removed  # a page dump keeps today's rules


@pytest.mark.parametrize("clean", [clean_given_body, clean_text])
def test_upper_case_hard_wrapped_prose_keeps_its_words(clean):
    """Prose set in capitals and narrow columns, as 1960s magazines were (written for this
    test): neither upper case nor short wrapped lines make it furniture."""
    raw = MAGAZINE.read_text()
    cleaned = clean(raw)
    assert len(words(cleaned.body)) >= 0.99 * len(words(raw))
    assert max(len(paragraph) for paragraph in cleaned.body.split("\n\n")) > 300  # reflowed


def test_a_short_body_without_a_wrap_width_still_joins_a_sentence_that_runs_on():
    body = "Acme Corp said it earned 1.20 dlrs per\nshare in the quarter.\nRevs 5.0 mln"
    joined = "Acme Corp said it earned 1.20 dlrs per share in the quarter."
    assert text_lines(body, "body") == [joined, "Revs 5.0 mln"]
    assert text_lines(body, "txt")[0] == "Acme Corp said it earned 1.20 dlrs per"  # a dump's lines
