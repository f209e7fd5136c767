"""search.desk.timeline: the timeline's bars as data (periods, counts, links, geometry)."""

from __future__ import annotations

import datetime

from search.desk.timeline import CHART_WIDTH, PLOT_BOTTOM, PLOT_TOP, timeline
from search.query import DateHistogram, FacetCount, SearchQuery


def histogram(interval, **counts):
    return DateHistogram(
        interval, tuple(FacetCount(k.lstrip("_").replace("_", "-"), c) for k, c in counts.items())
    )


def test_years_without_matches_are_empty_bars_that_link_nowhere():
    chart = timeline(SearchQuery(q="cyber"), histogram("year", _2020=4, _2022=2))
    assert [(bar.period.label, bar.count) for bar in chart.bars] == [
        ("2020", 4),
        ("2021", 0),
        ("2022", 2),
    ]
    assert [bar.url for bar in chart.bars] == ["/?q=cyber&year=2020", None, "/?q=cyber&year=2022"]
    assert [bar.accessible_label for bar in chart.bars] == [
        "2020: 4 articles",
        "2021: 0 articles",
        "2022: 2 articles",
    ]
    assert chart.title == "Matching articles per year, 2020 to 2022"
    assert chart.description.startswith("6 dated articles in 3 years; the most, 4, in 2020.")


def test_bar_heights_scale_to_the_tallest_and_stand_on_the_baseline():
    bars = timeline(SearchQuery(), histogram("year", _2020=4, _2021=1, _2022=2)).bars
    assert bars[0].height == PLOT_BOTTOM - PLOT_TOP and bars[0].y == PLOT_TOP
    assert bars[2].height == (PLOT_BOTTOM - PLOT_TOP) / 2
    assert all(bar.y + bar.height == PLOT_BOTTOM for bar in bars)
    assert bars[-1].x + bars[-1].width < CHART_WIDTH and bars[0].x > 0
    assert all(left.x + left.width < right.x for left, right in zip(bars, bars[1:], strict=False))


def test_a_chosen_year_shows_its_months_and_a_month_bar_narrows_to_its_dates():
    search_query = SearchQuery(q="rail", years=(2024,), page=3)
    chart = timeline(search_query, histogram("month", _2024_03=1, _2024_08=5))
    assert chart.interval == "month" and len(chart.bars) == 12
    march = chart.bars[2]
    assert (march.period.label, march.count) == ("March 2024", 1)
    assert march.url == "/?q=rail&year=2024&from=2024-03-01&to=2024-03-31"
    assert chart.bars[1].url is None  # February: nothing there
    assert [bar.axis_sublabel for bar in chart.bars][:2] == ["2024", ""]
    assert chart.title == "Matching articles per month, January 2024 to December 2024"


def test_a_chosen_period_is_marked_and_its_link_removes_it():
    chosen = timeline(SearchQuery(years=(2021,)), histogram("month", _2021_02=3))
    assert [bar.selected for bar in chosen.bars].count(False) == 12
    by_year = timeline(SearchQuery(years=(2021, 2022)), histogram("year", _2021=3, _2022=1))
    assert [bar.url for bar in by_year.bars] == ["/?year=2021", "/?year=2022"]
    one = SearchQuery(date_from=datetime.date(2024, 2, 1), date_to=datetime.date(2024, 2, 29))
    february = timeline(one, histogram("month", _2024_02=2)).bars
    assert len(february) == 1 and february[0].selected and february[0].url == "/"
    assert february[0].period.last == datetime.date(2024, 2, 29)


def test_a_range_of_two_years_shows_every_month_with_some_labels_skipped():
    search_query = SearchQuery(
        date_from=datetime.date(2023, 1, 15), date_to=datetime.date(2024, 12, 31)
    )
    chart = timeline(search_query, histogram("month", _2023_05=1))
    assert len(chart.bars) == 24
    assert [bar.axis_label for bar in chart.bars[:4]] == ["Jan", "", "Mar", ""]
    assert [bar.axis_sublabel for bar in chart.bars if bar.axis_sublabel] == ["2023", "2024"]


def test_nothing_dated_means_no_chart():
    assert timeline(SearchQuery(), DateHistogram("year", ())) is None
    assert timeline(SearchQuery(), None) is None
