"""Compare over time on the seeded archive: each query's counts are its timeline's; shares
divide them by every article the filters leave; the URL is the state; table, CSV and API
agree."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from search import selectors
from search.models import Article
from search.query import SearchQuery
from tests.conftest import on_every_engine


def timeline_counts(q: str = "", **filters) -> dict[str, int]:
    """What the search page's timeline shows for the same search."""
    histogram = selectors.run_search(SearchQuery(q=q, **filters)).results.date_histogram
    return {bucket.value: bucket.count for bucket in histogram.buckets}


def api(client, query_string: str) -> dict:
    response = client.get(f"/api/compare?{query_string}")
    assert response.status_code == 200, response.content
    return response.json()


@on_every_engine
def test_counts_are_the_timelines_and_shares_divide_by_all_articles(client, seeded):
    data = api(client, "q=india&q=cyber")
    assert [series["query"] for series in data["series"]] == ["india", "cyber"]
    everything = timeline_counts()
    for series in data["series"]:
        expected = timeline_counts(series["query"])
        points = {point["period"]: point for point in series["points"]}
        assert {k: p["count"] for k, p in points.items() if p["count"]} == expected
        for period, point in points.items():
            if everything.get(period):
                assert point["share"] == pytest.approx(point["count"] / everything[period])
            else:  # no article at all that year: no share to speak of
                assert point["share"] is None and point["count"] == 0
    periods = [point["period"] for point in data["series"][0]["points"]]
    assert periods == [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]


def test_by_month_within_a_year_with_the_filters_on_every_query(client, seeded):
    data = api(client, "q=india&q=cyber&interval=month&year=2024")
    for series in data["series"]:
        points = series["points"]
        assert [p["period"] for p in points] == [f"2024-{m:02d}" for m in range(1, 13)]
        expected = timeline_counts(series["query"], years=(2024,))
        assert {p["period"]: p["count"] for p in points if p["count"]} == expected


def test_by_month_over_a_long_span_shows_its_last_two_years(client, seeded):
    data = api(client, "q=india&q=cyber&interval=month")
    newest = max(a.published for a in Article.objects.exclude(published=None))
    assert data["to"] == newest.isoformat()
    periods = [p["period"] for p in data["series"][0]["points"]]
    assert len(periods) == 24 and periods[-1] == newest.strftime("%Y-%m")
    assert data["from"] == f"{periods[0]}-01"
    for series in data["series"]:
        expected = timeline_counts(
            series["query"],
            date_from=datetime.date.fromisoformat(data["from"]),
            date_to=newest,
        )
        assert {p["period"]: p["count"] for p in series["points"] if p["count"]} == expected
    page = client.get("/compare/?q=india&q=cyber&interval=month").content.decode()
    assert f"By month from {data['from']} to {data['to']}" in page


@pytest.mark.parametrize(
    "query_string, parameter",
    [
        ("q=india", "q"),
        ("q=a&q=b&q=c&q=d&q=e&q=f", "q"),
        ("q=india&q=cyber&interval=week", "interval"),
        ("q=india&q=cyber&measure=ratio", "measure"),
    ],
)
def test_a_comparison_that_cannot_be_made_is_a_400_naming_the_parameter(
    client, seeded, query_string, parameter
):
    response = client.get(f"/api/compare?{query_string}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter


def test_the_page_table_and_csv_show_the_same_numbers(client, seeded):
    india, cyber = timeline_counts("india"), timeline_counts("cyber")
    page = client.get("/compare/?q=india&q=cyber")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and html.count('class="compare-series"') == 2
    table = page.context["table"]
    for label, cells, _total in table:
        assert cells == [str(india.get(label, 0)), str(cyber.get(label, 0))]
    shares = client.get("/compare/?q=india&q=cyber&measure=share")
    shown = [cell for _label, cells, _total in shares.context["table"] for cell in cells]
    assert all(cell.endswith("%") or cell == "–" for cell in shown)
    assert any(cell.endswith("%") and cell != "0.00%" for cell in shown)
    assert 'aria-current="true">Share of all articles' in shares.content.decode()
    rows = list(
        csv.reader(io.StringIO(client.get("/compare.csv?q=india&q=cyber").content.decode()))
    )
    assert rows[0] == [
        "year",
        "india (count)",
        "india (share)",
        "cyber (count)",
        "cyber (share)",
        "all articles",
    ]
    for row in rows[1:]:
        assert int(row[1]) == india.get(row[0], 0) and int(row[3]) == cyber.get(row[0], 0)


def test_the_url_is_the_state(client, seeded):
    page = client.get("/compare/?q=india&q=cyber&measure=share&topic=&year=2024&interval=month")
    assert page.context["canonical_url"] == (
        "/compare/?q=india&q=cyber&interval=month&measure=share&year=2024"
    )
    assert page.context["count_url"] == "/compare/?q=india&q=cyber&interval=month&year=2024"
    assert 'value="india"' in page.content.decode()


def test_queries_are_escaped_everywhere(client, seeded):
    html = client.get("/compare/?q=<script>x</script>&q=india").content.decode()
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html


def test_filters_no_date_can_meet_answer_no_periods(client, seeded):
    data = api(client, "q=india&q=cyber&interval=month&year=2020&from=2030-01-01")
    assert [series["points"] for series in data["series"]] == [[], []]
    page = client.get("/compare/?q=india&q=cyber&interval=month&year=2020&from=2030-01-01")
    assert page.status_code == 200 and "No dated matches" in page.content.decode()
