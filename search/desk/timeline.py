"""The timeline: how a search's matches spread over time, as plain data for the template.

The engine counts (``SearchResults.date_histogram``); here the periods without matches are
filled in, each bar gets the URL that narrows the search to its period, and the SVG geometry
is worked out, so the template only writes attributes. The same bars feed the table of counts
under the chart and the JSON API.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, replace

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from search.links import search_url
from search.query import DateHistogram, SearchQuery

MONTH_NAMES = tuple(calendar.month_name)  # "", "January", …
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr)

# The SVG's own coordinates (it scales to the width of its box).
CHART_WIDTH = 640
CHART_HEIGHT = 180
PLOT_TOP = 18  # room for the count above the tallest bar
PLOT_BOTTOM = 146  # the baseline; below it, the period labels
BAR_SHARE = 0.8  # of each period's slot; the rest is the gap between bars
WIDEST_BAR = 56  # a handful of periods get bars this wide, not slabs
MOST_LABELS = 12  # period labels under the bars at most (the others are every n-th)
COUNTS_SHOWN_UP_TO = 24  # bars that show their count above them (all of them have it in label)


@dataclass(frozen=True)
class Period:
    key: str  # "2024" or "2024-03", as the engine counts it
    first: datetime.date
    last: datetime.date
    label: str  # "2024", "March 2024"


@dataclass(frozen=True)
class Bar:
    period: Period
    count: int
    url: str | None  # None: no matches there, nothing to narrow to
    selected: bool
    x: int  # SVG user units: whole ones are fine on a 640-wide viewBox, and cheap to print
    y: int
    width: int
    height: int
    label_x: int
    count_y: int
    axis_label: str  # under the bar ("" when skipped for room)
    axis_sublabel: str  # the year under January (and the first month)
    count_shown: bool

    @property
    def accessible_label(self) -> str:
        articles = "article" if self.count == 1 else "articles"
        return f"{self.period.label}: {self.count} {articles}"


@dataclass(frozen=True)
class Timeline:
    interval: str  # "year" | "month"
    title: str
    description: str
    bars: list[Bar]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    baseline: int = PLOT_BOTTOM

    # The bars and the table rows are written here with format_html (every value escaped)
    # rather than by a template loop: with 20 years, the loop's ~600 variable lookups took
    # longer than the search itself (docs/performance.md, "Research desk").

    @property
    def periods_svg(self) -> SafeString:
        return format_html_join("\n", "{}", ((period_svg(bar, self),) for bar in self.bars))

    @property
    def table_rows(self) -> SafeString:
        return format_html_join("\n", "{}", ((table_row(bar),) for bar in self.bars))


BAR_LINK = (
    '<a href="{url}" data-hx-get="{url}" aria-label="{label}"><rect class="timeline-bar" '
    'x="{x}" y="{y}" width="{width}" height="{height}"/></a>'
)
TEXT = '<text class="{}" x="{}" y="{}" text-anchor="middle" aria-hidden="true">{}</text>'


def period_svg(bar: Bar, chart: Timeline) -> SafeString:
    """One period: its bar as a link (when it has matches), its count and its axis labels."""
    link = ""
    if bar.url:
        chosen = " (chosen: choose again to remove)" if bar.selected else ""
        link = format_html(
            BAR_LINK,
            url=bar.url,
            label=bar.accessible_label + chosen,
            x=bar.x,
            y=bar.y,
            width=bar.width,
            height=bar.height,
        )
    texts = [
        ("timeline-count", bar.count_y, str(bar.count) if bar.count_shown else ""),
        ("timeline-label", chart.baseline + 14, bar.axis_label),
        ("timeline-label", chart.baseline + 28, bar.axis_sublabel),
    ]
    css_class = "timeline-period timeline-selected" if bar.selected else "timeline-period"
    return format_html(
        '<g class="{}">{}{}</g>',
        css_class,
        link,
        format_html_join("", TEXT, ((c, bar.label_x, y, text) for c, y, text in texts if text)),
    )


def table_row(bar: Bar) -> SafeString:
    selected = "timeline-selected" if bar.selected else ""
    if bar.url:
        return format_html(
            '<tr class="{}"><th scope="row"><a href="{}" data-hx-get="{}">{}</a></th>'
            "<td>{}</td></tr>",
            selected,
            bar.url,
            bar.url,
            bar.period.label,
            bar.count,
        )
    return format_html(
        '<tr class="{}"><th scope="row">{}</th><td>{}</td></tr>',
        selected,
        bar.period.label,
        bar.count,
    )


def year_period(year: int) -> Period:
    return Period(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year))


def month_period(first: datetime.date) -> Period:
    days = calendar.monthrange(first.year, first.month)[1]
    return Period(
        f"{first.year:04d}-{first.month:02d}",
        first,
        first.replace(day=days),
        f"{MONTH_NAMES[first.month]} {first.year}",
    )


def next_month(day: datetime.date) -> datetime.date:
    return datetime.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def periods(search_query: SearchQuery, histogram: DateHistogram) -> list[Period]:
    """Every period from the first to the last, those without matches too."""
    if histogram.interval == "month" and search_query.timeline_months:
        month, last = search_query.timeline_months
        found = []
        while month <= last:
            found.append(month_period(month))
            month = next_month(month)
        return found
    years = {int(bucket.value) for bucket in histogram.buckets} | set(search_query.years)
    if not years:
        return []
    return [year_period(year) for year in range(min(years), max(years) + 1)]


def with_state(base_url: str, search_query: SearchQuery) -> str:
    """``links.search_url`` without reversing the URL for each bar."""
    query_string = search_query.to_query_string()
    return f"{base_url}?{query_string}" if query_string else base_url


def narrowed(search_query: SearchQuery, period: Period, interval: str) -> SearchQuery:
    """The search within ``period``; a period already chosen is removed instead."""
    if interval == "year":
        year = int(period.key)
        return replace(
            search_query,
            years=() if is_selected(search_query, period, interval) else (year,),
            page=1,
        )
    if is_selected(search_query, period, interval):
        return replace(search_query, date_from=None, date_to=None, page=1)
    return replace(search_query, date_from=period.first, date_to=period.last, page=1)


def is_selected(search_query: SearchQuery, period: Period, interval: str) -> bool:
    if interval == "year":
        return search_query.years == (int(period.key),)
    return (search_query.date_from, search_query.date_to) == (period.first, period.last)


def timeline(search_query: SearchQuery, histogram: DateHistogram | None) -> Timeline | None:
    """The chart's data, or None when there is nothing dated to show."""
    if histogram is None or not histogram.buckets:
        return None
    interval = histogram.interval
    counts = {bucket.value: bucket.count for bucket in histogram.buckets}
    shown = periods(search_query, histogram)
    if not shown:
        return None
    tallest = max(counts.values())
    slot = CHART_WIDTH / len(shown)
    width = min(slot * BAR_SHARE, WIDEST_BAR)
    label_every = -(-len(shown) // MOST_LABELS)
    base_url = search_url(SearchQuery())  # reversed once: a timeline has up to ~100 links
    bars = []
    for position, period in enumerate(shown):
        count = counts.get(period.key, 0)
        height = round((PLOT_BOTTOM - PLOT_TOP) * count / tallest)
        labelled = position % label_every == 0
        if interval == "year":
            axis_label, sublabel = (period.key if labelled else ""), ""
        else:
            month = period.first.month
            axis_label = MONTH_ABBREVIATIONS[month] if labelled else ""
            sublabel = str(period.first.year) if position == 0 or month == 1 else ""
        bars.append(
            Bar(
                period=period,
                count=count,
                url=with_state(base_url, narrowed(search_query, period, interval))
                if count
                else None,
                selected=is_selected(search_query, period, interval),
                x=round(position * slot + (slot - width) / 2),
                y=PLOT_BOTTOM - height,
                width=round(width),
                height=height,
                label_x=round(position * slot + slot / 2),
                count_y=PLOT_BOTTOM - height - 4,
                axis_label=axis_label,
                axis_sublabel=sublabel,
                count_shown=bool(count) and len(shown) <= COUNTS_SHOWN_UP_TO,
            )
        )
    return Timeline(interval, *title_and_description(interval, bars), bars)


def title_and_description(interval: str, bars: list[Bar]) -> tuple[str, str]:
    first, last = bars[0].period, bars[-1].period
    if interval == "year":
        title = f"Matching articles per year, {first.label} to {last.label}"
    else:
        title = f"Matching articles per month, {first.label} to {last.label}"
    if first == last:
        title = f"Matching articles in {first.label}"
    peak = max(bars, key=lambda bar: bar.count)  # the first of equal peaks
    total = sum(bar.count for bar in bars)
    description = (
        f"{total} dated article{'' if total == 1 else 's'} in {len(bars)} "
        f"{interval}{'' if len(bars) == 1 else 's'}; "
        f"the most, {peak.count}, in {peak.period.label}. "
        f"Each bar is a link that narrows the search to its {interval}."
    )
    return title, description
