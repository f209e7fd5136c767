"""The date histogram (the timeline's counts) from the per-snapshot date arrays.

Years are the year facet's counts (the same numbers, so the two always agree); months are
counted over the results' publication days, converted to months by numpy in one step.
"""

from __future__ import annotations

import datetime

import numpy as np

from search.query import DateHistogram, FacetCount, SearchQuery

# ``published`` holds each document's date as a proleptic ordinal (0: undated); numpy's
# datetime64 counts days from 1970-01-01.
EPOCH_ORDINAL = datetime.date(1970, 1, 1).toordinal()


def date_histogram(
    search_query: SearchQuery, published: np.ndarray, matched: np.ndarray, years: list[FacetCount]
) -> DateHistogram:
    if search_query.timeline_months is None:
        counted = sorted((c for c in years if c.count), key=lambda c: c.value)
        return DateHistogram("year", tuple(FacetCount(str(c.value), c.count) for c in counted))
    days = published[matched]
    days = days[days > 0] - EPOCH_ORDINAL
    months = days.astype("datetime64[D]").astype("datetime64[M]")
    values, counts = np.unique(months, return_counts=True)
    buckets = zip(values, counts, strict=True)
    return DateHistogram("month", tuple(FacetCount(str(m), int(c)) for m, c in buckets))
