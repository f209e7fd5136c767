"""The cleaning benchmarks' own parts, on small inputs written here (the corpora stay outside)."""

import gzip
import json

from bench.cleaning_eval import (
    evaluate,
    is_held_aside,
    load_pages,
    text_dump,
    word_scores,
)
from bench.repeated_lines_eval import repeated_lines, sitewide_during_import


def test_word_scores_count_words_as_a_bag():
    assert word_scores("the cat sat", "the cat sat") == (1.0, 1.0, 1.0)
    precision, recall, f1 = word_scores("the cat sat on the menu", "The cat sat.")
    assert (precision, recall) == (0.5, 1.0) and round(f1, 3) == 0.667
    assert word_scores("", "anything") == (0.0, 0.0, 0.0)


def test_the_held_aside_part_is_the_readmes_fixed_thirty_percent():
    ids = [f"page-{number}" for number in range(1000)]
    held = [page_id for page_id in ids if is_held_aside(page_id)]
    assert 250 < len(held) < 350
    assert held == [page_id for page_id in ids if is_held_aside(page_id)]  # fixed, not drawn


def test_a_text_dump_has_one_line_per_block_menus_included():
    page = (
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li>News</li></ul></nav>"
        "<h1>Headline</h1><p>First <b>paragraph</b>.</p><select><option>A</option></select>"
        "<footer>© Site</footer></body></html>"
    )
    assert text_dump(page) == "Home\nNews\nHeadline\nFirst paragraph.\n© Site"


def test_evaluate_scores_each_part_and_the_article_pages_apart(tmp_path):
    sentence = "The council approved the harbour budget after a long debate on Tuesday."
    records = [
        {
            "id": f"page-{number}",
            "html": f"<body><p>Home</p><p>News</p><p>Sport</p><h1>Budget</h1><p>{sentence}</p>"
            "<p>About</p><p>Contact</p><p>Careers</p></body>",
            "main_text": sentence,
            "page_type": "article" if number % 2 else "service",
        }
        for number in range(10)
    ]
    corpus = tmp_path / "pages.jsonl.gz"
    with gzip.open(corpus, "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(record) + "\n" for record in records)
    result = evaluate(list(load_pages(corpus)), ["ours-dump", "whole-dump"])
    ours, whole = result["ours-dump"], result["whole-dump"]
    parts = {key for key in ours if "/" in key}
    assert {"tuned/all", "tuned/article"} <= parts
    assert ours["tuned/all"]["precision"] > whole["tuned/all"]["precision"]
    assert ours["tuned/all"]["recall"] == 1.0


def test_repeated_lines_are_those_in_three_stories():
    bodies = ["Shr 1 ct\nNet up", "Shr 1 ct\nNet down", "Shr 1 ct\nNet up\nNet up", "Net up"]
    assert repeated_lines(bodies) == {"Shr 1 ct", "Net up"}


def test_sitewide_lines_during_an_import_are_those_in_half_the_stories_so_far():
    bodies = ["Wire\nShr 1 ct", "Wire\nNet up", "Wire\nNet down", "Shr 1 ct", "Net up"]
    # after the first batch (3 stories) "Wire" stands in all three; after the second, in
    # three of five: still half, but the batch's stories do not carry it
    assert sitewide_during_import(bodies, batch_size=3) == {"Wire": 3}
