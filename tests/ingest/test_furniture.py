"""Page furniture is never content: widget lines go by their kind, and a widget's date (the
day the page was served) never dates the article. Small hand-written pages, no corpus."""

from __future__ import annotations

import datetime

import pytest

from search.ingest.cleaning import clean_text
from search.ingest.cleaning_lines import line_evidence
from search.ingest.extraction import find_published

PROSE = (
    "The ministry said on Tuesday that the new rules would apply to every importer from the "
    "start of the next financial year, and that officials would publish guidance soon.",
    "Traders said the change had been expected for months, although the timing surprised some "
    "of the smaller firms that had asked the government for a longer transition period.",
    "A spokesman for the industry association said its members were studying the details and "
    "would respond to the consultation before the deadline set by the ministry.",
)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Humidity", "weather-widget"),
        ("Humidity 64%", "weather-widget"),
        ("Today in New Delhi, India", "weather-widget"),
        ("31°C", "weather-widget"),
        ("Sunrise 6:12 AM", "weather-widget"),
        ("Wind: NW 12 km/h", "weather-widget"),
        ("Today is Monday, March 5, 2018", "weather-widget"),
        ("Sensex 73,651.35 -155.20 (-0.21%)", "market-ticker"),
        ("Nifty 50 22,300.10 ▲ 12.50 Dow Jones 38,790.43 +75.66", "market-ticker"),
        ("EUR/USD 1.0834 +0.12%", "market-ticker"),
        ("Ad 1 Ad 2", "ad-placeholder"),
        ("Advertisement", "ad-placeholder"),
        ("ADVERTISEMENT - Scroll to continue", "ad-placeholder"),
        ("Ads by Google", "ad-placeholder"),
    ],
)
def test_widget_lines_are_named_by_their_kind(line: str, kind: str) -> None:
    assert line_evidence(line).furniture == kind


@pytest.mark.parametrize(
    "line",
    [
        "Humidity in the capital made the heat hard to bear, officials said.",
        "Humidity hit 90% in Delhi",
        "Wind power grew fast in 2024 across Europe",
        "Today in Paris, protests continued.",
        "The Sensex fell 0.2% to 73,651 on Monday.",
        "Gold prices rose 2% on Friday",
        "An advertisement in the local paper caught her eye.",
        "Adam Smith",
        "Sunrise",  # a subhead in a travel piece: a widget shows its time
    ],
)
def test_sentences_that_mention_weather_markets_or_ads_are_not_furniture(line: str) -> None:
    assert line_evidence(line).furniture is None


def _page(*lines: str) -> str:
    return "\n".join(lines)


def test_widget_lines_beside_the_article_are_removed_and_its_sentences_kept() -> None:
    page = _page(
        "Today in New Delhi, India",
        "31°C",
        "Humidity",
        "64%",
        "Sensex 73,651.35 -155.20 (-0.21%)",
        "Importers get a year to meet the new rules",
        "By A Correspondent",
        PROSE[0],
        "Ad 1 Ad 2",
        PROSE[1],
        "The weather delayed the ministry's announcement by a day, a spokesman said.",
        PROSE[2],
        "Advertisement",
    )
    cleaned = clean_text(page)
    removed = {block.text: block.reason for block in cleaned.removed}
    assert removed["Today in New Delhi, India"] == "weather-widget"
    assert removed["Humidity"] == "weather-widget"
    assert removed["Sensex 73,651.35 -155.20 (-0.21%)"] == "market-ticker"
    assert removed["Ad 1 Ad 2"] == "ad-placeholder"
    assert removed["Advertisement"] == "ad-placeholder"
    assert cleaned.body.split("\n\n") == [
        "Importers get a year to meet the new rules",
        "By A Correspondent",
        PROSE[0],
        PROSE[1],
        "The weather delayed the ministry's announcement by a day, a spokesman said.",
        PROSE[2],
    ]


def test_a_site_name_shown_twice_as_a_banner_goes() -> None:
    page = _page(
        "Daily Courier", "Daily Courier", "Importers get a year to meet the new rules", *PROSE
    )
    cleaned = clean_text(page)
    assert [(b.text, b.reason) for b in cleaned.removed] == [("Daily Courier", "site-banner")] * 2
    assert cleaned.body.startswith("Importers get a year")


def test_a_doubled_table_cell_inside_the_article_stays() -> None:
    page = _page(PROSE[0], "Refunds", "Yes", "Yes", "Exchanges", "Yes", PROSE[1], PROSE[2])
    assert "Yes\n\nYes" in clean_text(page).body


def test_a_weather_widgets_date_is_not_the_articles_date() -> None:
    page = _page(
        "Today in New Delhi, India",
        "Monday, March 5, 2018",
        "31°C",
        "Humidity",
        "Home | India | World | Business",
        "Importers get a year to meet the new rules",
        "By A Correspondent | November 14, 2006",
        *PROSE,
    )
    title = "Importers get a year to meet the new rules"
    assert find_published(page) == datetime.date(2006, 11, 14)
    assert find_published(page, title=title) == datetime.date(2006, 11, 14)


def test_a_header_widget_date_never_stands_in_for_a_missing_date() -> None:
    """With no date of its own the article stays undated rather than take the widget's day."""
    page = _page(
        "Sensex 73,651.35 -155.20 (-0.21%)",
        "Tuesday, 6 March 2018",
        "Nifty 22,300.10 +12.50 (0.06%)",
        "Importers get a year to meet the new rules",
        *PROSE,
    )
    assert find_published(page) is None


@pytest.mark.parametrize(
    "clock",
    [
        "It is currently Mon Mar 05, 2018 10:32 am",
        "Current time: 2018-03-05, 10:32 AM",
        "Today is Monday, March 5, 2018",
    ],
)
def test_a_clock_or_today_line_does_not_date_the_article(clock: str) -> None:
    page = _page(
        clock, "Importers get a year to meet the new rules", *PROSE, "Posted March 3, 2006"
    )
    assert find_published(page) == datetime.date(2006, 3, 3)
