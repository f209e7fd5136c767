"""The comparison's chart: one line a query over the periods, as SVG written here.

Written with ``format_html`` (every value escaped) like the timeline. Each line has its own
colour, dash and marker shape, and the legend repeats them next to each query, so the chart
reads in greyscale; the table under it carries every number for screen readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from search.desk.comparisons import (
    BOTTOM,
    HEIGHT,
    LEFT,
    MOST_LABELS,
    RIGHT,
    TOP,
    WIDTH,
    Comparison,
    Series,
    percent,
)

MARKER_SIZE = 4


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    svg_body: SafeString
    legend: list[tuple[Series, SafeString]]  # each query with its sample of line and marker
    width: int = WIDTH
    height: int = HEIGHT


def marker(shape: str, x: float, y: float, colour: str) -> SafeString:
    s = MARKER_SIZE
    if shape == "circle":
        return format_html('<circle cx="{}" cy="{}" r="{}" fill="{}"/>', x, y, s, colour)
    if shape == "square":
        square = '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
        return format_html(square, x - s, y - s, 2 * s, 2 * s, colour)
    if shape == "triangle":
        points = f"{x},{y - s - 1} {x - s - 1},{y + s} {x + s + 1},{y + s}"
        return format_html('<polygon points="{}" fill="{}"/>', points, colour)
    if shape == "diamond":
        points = f"{x},{y - s - 1} {x + s + 1},{y} {x},{y + s + 1} {x - s - 1},{y}"
        outline = '<polygon points="{}" fill="white" stroke="{}" stroke-width="2"/>'
        return format_html(outline, points, colour)
    return format_html(  # cross
        '<path d="M{} {}L{} {}M{} {}L{} {}" stroke="{}" stroke-width="2.5"/>',
        x - s,
        y - s,
        x + s,
        y + s,
        x - s,
        y + s,
        x + s,
        y - s,
        colour,
    )


def nice_top(value: float) -> float:
    """The top of the y axis: the largest value rounded up to 1, 2 or 5 times a power of 10."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= value)


def axis_label(value: float, measure: str) -> str:
    if measure == "share":
        return f"{value * 100:g}%"
    return f"{value:g}"


def chart(comparison: Comparison) -> Chart | None:
    periods = comparison.periods
    if not periods:
        return None
    measure = comparison.measure
    top = nice_top(
        max(point.value(measure) for series in comparison.series for point in series.points)
    )
    slot = (RIGHT - LEFT) / len(periods)

    def x_of(index: int) -> float:
        return round(LEFT + slot * index + slot / 2, 1)

    def y_of(value: float) -> float:
        return round(BOTTOM - (BOTTOM - TOP) * value / top, 1)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#c8c8c8" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#333">{}</text>',
        (
            (
                LEFT,
                RIGHT,
                y_of(value),
                y_of(value),
                LEFT - 6,
                y_of(value) + 4,
                axis_label(value, measure),
            )
            for value in (0, top / 2, top)
        ),
    )
    every = -(-len(periods) // MOST_LABELS)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#333">{}</text>',
        (
            (x_of(index), BOTTOM + 16, period.key)
            for index, period in enumerate(periods)
            if index % every == 0
        ),
    )
    lines = []
    for series in comparison.series:
        coordinates = [
            (x_of(index), y_of(point.value(measure))) for index, point in enumerate(series.points)
        ]
        path = " ".join(f"{x},{y}" for x, y in coordinates)
        markers = format_html_join(
            "", "{}", ((marker(series.marker, x, y, series.colour),) for x, y in coordinates)
        )
        lines.append(
            format_html(
                '<g class="compare-series"><polyline points="{}" fill="none" stroke="{}" '
                'stroke-width="2.5" stroke-dasharray="{}"/>{}</g>',
                path,
                series.colour,
                series.dash or "none",
                markers,
            )
        )
    body = format_html(
        "{}{}{}",
        grid,
        labels,
        format_html_join("", "{}", ((line,) for line in lines)),
    )
    return Chart(
        title=title(comparison),
        description=description(comparison),
        svg_body=body,
        legend=[(series, legend_sample(series)) for series in comparison.series],
    )


def legend_sample(series: Series) -> SafeString:
    return format_html(
        '<svg class="compare-sample" viewBox="0 0 40 12" width="40" height="12" aria-hidden="true" '
        'focusable="false"><line x1="0" x2="40" y1="6" y2="6" stroke="{}" stroke-width="2.5" '
        'stroke-dasharray="{}"/>{}</svg>',
        series.colour,
        series.dash or "none",
        marker(series.marker, 20, 6, series.colour),
    )


def title(comparison: Comparison) -> str:
    what = "Share of all articles" if comparison.measure == "share" else "Matching articles"
    first, last = comparison.periods[0].label, comparison.periods[-1].label
    span = first if first == last else f"{first} to {last}"
    return f"{what} per {comparison.state.interval}, {span}"


def description(comparison: Comparison) -> str:
    parts = []
    for series in comparison.series:
        peak = max(series.points, key=lambda point: point.value(comparison.measure))
        shown = percent(peak.share) if comparison.measure == "share" else str(peak.count)
        parts.append(f"“{series.query}”: most in {peak.period.label} ({shown})")
    return "; ".join(parts) + ". The table below has every value."
