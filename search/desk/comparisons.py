"""Compare over time: 2-5 queries counted by year or month, as counts or as each period's
share of all the articles the filters leave, as plain data and a server-rendered SVG.

Each query's counts are the timeline's for the same search (the engine's date histogram: by
year the year facet, by month the results' months); "share" divides them by the same
histogram of the search without words. Every series has its own colour, dash and marker, so
the chart reads without colour; the same numbers are in the table and the CSV.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.db.models import Max

from search.desk.counting import counted
from search.desk.timeline import Period, month_period, next_month, year_period
from search.models import Article
from search.query import InvalidParameter, SearchQuery, SearchResults

MOST_QUERIES = 5
FEWEST_QUERIES = 2
INTERVALS = ("year", "month")
MEASURES = ("count", "share")
MONTHS_AT_MOST = 24  # the timeline's limit (query.TIMELINE_MONTHS_AT_MOST)

# One look per series (Okabe-Ito hues, darkened to 3:1 on white), told apart without colour
# by the dash of the line and the marker's shape.
LOOKS = (
    ("#0072B2", "", "circle"),
    ("#C85200", "8 4", "square"),
    ("#007A5E", "2 3", "triangle"),
    ("#A3487F", "10 3 2 3", "diamond"),
    ("#7A6200", "4 2 1 2 1 2", "cross"),
)

# The SVG's own coordinates.
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 624, 16, 210
MOST_LABELS = 12


@dataclass(frozen=True)
class CompareState:
    """The URL's state: the queries (``q`` repeated), ``interval``, ``measure``, filters."""

    queries: tuple[str, ...]
    interval: str = "year"
    measure: str = "count"
    filters: SearchQuery = SearchQuery()

    @classmethod
    def from_params(cls, params) -> CompareState:
        queries = tuple(q.strip() for q in params.getlist("q") if q.strip())  # blank boxes
        if len(queries) > MOST_QUERIES:
            raise InvalidParameter("q", f"Compare at most {MOST_QUERIES} queries at once.")
        interval = params.get("interval") or "year"
        if interval not in INTERVALS:
            raise InvalidParameter("interval", "interval must be year or month")
        measure = params.get("measure") or "count"
        if measure not in MEASURES:
            raise InvalidParameter("measure", "measure must be count or share")
        found = SearchQuery.from_params(params)
        filters = SearchQuery(
            ministers=found.ministers,
            topics=found.topics,
            years=found.years,
            date_from=found.date_from,
            date_to=found.date_to,
            every_copy=found.every_copy,
        )
        return cls(queries, interval, measure, filters)

    def to_params(self, **changes) -> list[tuple[str, str]]:
        state = replace(self, **changes)
        params = [("q", q) for q in state.queries]
        if state.interval != "year":
            params.append(("interval", state.interval))
        if state.measure != "count":
            params.append(("measure", state.measure))
        return params + state.filters.to_params()

    def query_string(self, **changes) -> str:
        return urlencode(self.to_params(**changes))


@dataclass(frozen=True)
class Point:
    period: Period
    count: int
    share: float | None  # None: no article at all in that period

    def value(self, measure: str) -> float:
        return (self.share or 0.0) if measure == "share" else self.count


@dataclass(frozen=True)
class Series:
    query: str
    points: list[Point]
    colour: str
    dash: str
    marker: str
    search_query: SearchQuery  # the query with the filters, for its link


@dataclass(frozen=True)
class Comparison:
    state: CompareState
    periods: list[Period]
    series: list[Series]
    totals: dict[str, int]  # every article the filters leave, per period key

    @property
    def measure(self) -> str:
        return self.state.measure


def compare(state: CompareState) -> Comparison:
    """Raises ``InvalidParameter`` (too few queries, months over a long span) and
    ``engine.IndexUnavailable``."""
    if len(state.queries) < FEWEST_QUERIES:
        raise InvalidParameter("q", f"Give {FEWEST_QUERIES} to {MOST_QUERIES} queries to compare.")
    if state.interval == "month":
        state = replace(state, filters=month_span(state.filters))
    counts = [period_counts(counted(replace(state.filters, q=q)), state) for q in state.queries]
    totals = period_counts(counted(state.filters), state)
    periods = shown_periods(state, counts)
    series = []
    for number, (query, found) in enumerate(zip(state.queries, counts, strict=True)):
        colour, dash, marker = LOOKS[number]
        points = [
            Point(
                period,
                found.get(period.key, 0),
                found.get(period.key, 0) / totals[period.key] if totals.get(period.key) else None,
            )
            for period in periods
        ]
        series.append(Series(query, points, colour, dash, marker, replace(state.filters, q=query)))
    return Comparison(state, periods, series, totals)


def month_span(filters: SearchQuery) -> SearchQuery:
    """The filters the timeline counts by month: as given when they span two years or less
    (one year, or From and To); else the last two years of them, up to To or the newest
    article."""
    if filters.timeline_months is not None:
        return filters
    end = filters.date_to or newest_published() or datetime.date.today()
    if filters.years:
        end = min(end, datetime.date(max(filters.years), 12, 31))
    start = end.replace(day=1)
    for _ in range(MONTHS_AT_MOST - 1):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    if filters.date_from and filters.date_from > start:
        start = filters.date_from  # after the end: no date can meet these filters
    return replace(filters, date_from=start, date_to=end)


def newest_published() -> datetime.date | None:
    newest = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(Max("published"))
    return newest["published__max"]


def period_counts(results: SearchResults, state: CompareState) -> dict[str, int]:
    """The timeline's counts of one search, by ``state.interval``."""
    if state.interval == "month":
        histogram = results.date_histogram
        if histogram is None or histogram.interval != "month":
            return {}
        return {bucket.value: bucket.count for bucket in histogram.buckets}
    years = set(state.filters.years)
    return {
        str(count.value): count.count
        for count in results.facets.get("year", [])
        if count.count and (not years or count.value in years)
    }


def shown_periods(state: CompareState, counts: list[dict[str, int]]) -> list[Period]:
    if state.interval == "month":
        span = state.filters.timeline_months or month_span(state.filters).timeline_months
        if span is None:  # filters no date can meet (year 2020 from 2030 on): no periods
            return []
        month, last = span
        months = []
        while month <= last:
            months.append(month_period(month))
            month = next_month(month)
        return months
    years = {int(key) for found in counts for key in found} | set(state.filters.years)
    if not years:
        return []
    return [year_period(year) for year in range(min(years), max(years) + 1)]


def percent(share: float | None) -> str:
    """As the table shows it; a dash for a period without any article."""
    return "–" if share is None else f"{share * 100:.2f}%"


def table(comparison: Comparison) -> list[tuple[str, list[str], int]]:
    """The table under the chart: each period's label, each query's value as the chosen
    measure shows it, and all articles of the period."""
    rows = []
    for index, period in enumerate(comparison.periods):
        points = [series.points[index] for series in comparison.series]
        if comparison.measure == "share":
            cells = [percent(point.share) for point in points]
        else:
            cells = [str(point.count) for point in points]
        rows.append((period.label, cells, comparison.totals.get(period.key, 0)))
    return rows


def csv_text(comparison: Comparison) -> str:
    """One row a period: each query's count and share (a fraction), and all articles."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = [comparison.state.interval]
    for series in comparison.series:
        header += [f"{series.query} (count)", f"{series.query} (share)"]
    writer.writerow([*header, "all articles"])
    for index, period in enumerate(comparison.periods):
        cells = [period.key]
        for series in comparison.series:
            point = series.points[index]
            cells += [point.count, "" if point.share is None else f"{point.share:.6f}"]
        writer.writerow([*cells, comparison.totals.get(period.key, 0)])
    return out.getvalue()


def payload(comparison: Comparison) -> dict:
    filters = comparison.state.filters
    return {
        "interval": comparison.state.interval,
        "measure": comparison.state.measure,
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
        "series": [
            {
                "query": series.query,
                "points": [
                    {"period": p.period.key, "count": p.count, "share": p.share}
                    for p in series.points
                ],
            }
            for series in comparison.series
        ],
        "totals": [
            {"period": period.key, "count": comparison.totals.get(period.key, 0)}
            for period in comparison.periods
        ],
    }
