"""Text dumps from sites never seen: the article found by its evidence, each removal with a reason.

The dumps in tests/fixtures/dumps were written for these tests (none is copied from a page);
each has the article's lines, as a reader would mark them, in <name>.expected.txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from search.ingest import cleaning_lines
from search.ingest.cleaning import clean_html, clean_text

DUMPS = Path(__file__).parents[1] / "fixtures" / "dumps"
ARTICLE = (
    "Port officials welcomed the decision but warned that the wharves would need work.\n"
    "The ferries, each able to carry 1,500 passengers, are due to enter service in 2029."
)


def dump(name: str) -> str:
    return (DUMPS / f"{name}.txt").read_text(encoding="utf-8")


def expected_lines(name: str) -> list[str]:
    return (DUMPS / f"{name}.expected.txt").read_text(encoding="utf-8").splitlines()


def body_lines(raw: str, **options) -> list[str]:
    body = clean_text(raw, **options).body
    return body.split("\n\n") if body else []


def reasons(raw: str, **options) -> dict[str, str]:
    return {block.text: block.reason for block in clean_text(raw, **options).removed}


# --- whole dumps --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["harbour_gazette_ferry", "concert_tour_dates", "walking_itinerary"]
)
def test_a_dump_keeps_exactly_the_article_and_gives_every_other_line_a_reason(name):
    raw = dump(name)
    cleaned = clean_text(raw)
    assert cleaned.body.split("\n\n") == expected_lines(name)
    article = set(expected_lines(name))
    other_lines = [line for line in raw.splitlines() if line.strip() and line not in article]
    assert [block.text for block in cleaned.removed] == other_lines
    assert all(block.reason for block in cleaned.removed)


def test_the_news_dump_names_the_kinds_of_site_furniture_it_removed():
    removed = reasons(dump("harbour_gazette_ferry"))
    assert removed["Wellington 14°C"] == "weather-widget"
    assert removed["Advertisement"] == "ad-placeholder"  # inside the article, between paragraphs
    assert removed["© 2025 Harbour Gazette Media Ltd. All rights reserved."] == "copyright-line"
    assert removed["Facebook"] == "social-handle"
    assert removed["Home"] == "before-article"  # the menu above the headline
    assert removed["Heavy Rain Warning Issued For Coastal Roads"] == "ranking-list"


# --- line kinds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Copyright © 2024 Example Media", "copyright-line"),
        ("We use cookies to give you the best experience on our site.", "cookie-notice"),
        ("Accept all cookies", "cookie-notice"),
        ("ADVERTISEMENT", "ad-placeholder"),
        ("Story continues below advertisement", "ad-placeholder"),
        ("Share this story", "share-prompt"),
        ("Follow us on Instagram", "share-prompt"),
        ("Already a subscriber? Sign in", "subscribe-prompt"),
        ("Subscribe to read the full story", "subscribe-prompt"),
        ("Osaka 31°C", "weather-widget"),
        ("@harbourgazette", "social-handle"),
        ("More from Business", "more-from-site"),
        ("Next article", "more-from-site"),
    ],
)
def test_site_furniture_goes_even_inside_the_article(line, reason):
    first, second = ARTICLE.splitlines()
    assert reasons(f"{first}\n{line}\n{second}") == {line: reason}


@pytest.mark.parametrize(
    "sentence",
    [
        "The court ruled that the copyright in the photographs belonged to the agency.",
        "Regulators said sites that use cookies to track readers must ask their consent first.",
        "The paper said the number of people who subscribe to its print edition fell by half.",
        "It was 35°C in the shade when the first runners crossed the line in the afternoon.",
    ],
)
def test_article_sentences_about_furniture_words_are_kept(sentence):
    assert clean_text(f"{ARTICLE}\n{sentence}").removed == ()


def test_a_menu_of_short_links_above_the_headline_goes_and_the_heading_block_stays():
    menu = ["Home", "World", "Business", "Science", "Travel"]
    heading = ["Ferry operator orders two hybrid vessels", "By Aroha Tane", "2 September 2025"]
    lines = body_lines("\n".join([*menu, *heading, ARTICLE]))
    assert lines == [*heading, *ARTICLE.splitlines()]


def test_one_or_two_plain_lines_beside_the_article_are_not_a_menu():
    raw = f"{ARTICLE}\nPhoto: Harbour Gazette\nAroha Tane is our transport reporter"
    assert clean_text(raw).removed == ()


def test_text_without_any_prose_is_kept_whole():
    table = (
        "Team P W D L Pts\nHarbour City 10 8 1 1 25\nNorth End 10 6 2 2 20\nRiverside 10 2 1 7 7"
    )
    assert clean_text(table).removed == ()


def test_lines_of_a_hard_wrapped_paragraph_are_weighed_together():
    lines = ["Harlow Instruments said", "first quarter profit rose", "on higher sales."]
    assert [len(group) for group in cleaning_lines.paragraphs(lines)] == [3]
    assert clean_text("\n".join(lines)).removed == ()


# --- repeated lines -----------------------------------------------------------------------------


def test_wire_copy_with_a_table_loses_nothing_to_repeated_lines():
    raw = dump("wire_earnings_table")
    lines = [" ".join(line.split()) for line in raw.splitlines()]
    # every line seen in other stories of the source: wrapped prose, a sentence, figures, labels
    assert clean_text(raw, repeated_lines=lines).removed == ()


@pytest.mark.parametrize("line", ["The Harbour Gazette", "Local News Network", "Editor's Picks"])
def test_a_repeated_line_that_looks_like_the_sites_own_goes(line):
    raw = f"{line}\n{ARTICLE}"
    assert reasons(raw, repeated_lines=[line]) == {line: "repeated-line"}
    assert reasons(raw) == {}


def test_a_line_in_most_of_the_sources_articles_goes_wherever_it_stands():
    sentence = ARTICLE.splitlines()[1]
    assert reasons(ARTICLE, repeated_lines=[sentence]) == {}
    assert reasons(ARTICLE, sitewide_lines=[sentence]) == {sentence: "sitewide-line"}


# --- the article's own lists --------------------------------------------------------------------

OWN_LISTS = {
    "tour dates": "Oct 12 – Chicago, United Center\nOct 14 – Detroit, Fox Theatre\n"
    "Oct 17 – Toronto, Massey Hall\nOct 19 – Montreal, Olympia",
    "numbered steps": "1. Soak The Beans Overnight\n2. Drain And Rinse Them Well\n"
    "3. Simmer With Bay Leaves For An Hour\n4. Season Only At The End",
    "results": "Harbour City 3-1 North End\nRiverside 0-0 Eastgate\nWest Park 2-4 Old Town",
    "prices": "Day Pass For Adults $25\nDay Pass For Children $12\nFamily Season Ticket $180",
}


@pytest.mark.parametrize("kind", OWN_LISTS)
def test_the_articles_own_list_at_its_end_stays(kind):
    raw = f"{ARTICLE}\n{OWN_LISTS[kind]}"
    assert clean_text(raw).removed == ()


@pytest.mark.parametrize("kind", ["tour dates", "results", "prices"])
def test_the_articles_own_list_under_a_ranking_word_stays(kind):
    raw = f"{ARTICLE}\nLatest news\n{OWN_LISTS[kind]}"
    assert clean_text(raw).removed == ()


def test_a_numbered_list_under_a_ranking_marker_is_still_a_ranking():
    ranking = "Most read\n1. Typhoon Nears Kyushu\n2. Nikkei Rebounds On Exporters\n3. Yen Slides"
    removed = reasons(f"{ARTICLE}\n{ranking}")
    assert set(removed) == set(ranking.splitlines())
    assert set(removed.values()) == {"ranking-list"}


def test_a_list_the_article_introduces_with_a_colon_stays():
    items = "General Procedures At The Counter\nRental Steps For Visitors\nReporting Damage"
    raw = f"{ARTICLE}\nThe guide covers these topics:\n{items}"
    assert clean_text(raw).removed == ()


def test_other_articles_headlines_still_go():
    headlines = (
        "Council Votes To Close Beach Car Park\nHurricanes Name Squad For Season Opener\n"
        "Heavy Rain Warning Issued For Coastal Roads"
    )
    removed = reasons(f"{ARTICLE}\n{headlines}")
    assert set(removed) == set(headlines.splitlines())
    assert set(removed.values()) == {"ranking-list"}


def test_html_keeps_the_articles_own_list_of_dates():
    items = "".join(f"<li>{line}</li>" for line in OWN_LISTS["tour dates"].splitlines())
    sentences = " ".join(["The band is touring again this autumn after a long break."] * 8)
    page = (
        "<html><body><article><h1>The Lanterns announce a tour</h1>"
        f"<p>{sentences}</p><p>The band will play:</p><ul>{items}</ul></article></body></html>"
    )
    body = clean_html(page).body
    assert all(line in body for line in OWN_LISTS["tour dates"].splitlines())
