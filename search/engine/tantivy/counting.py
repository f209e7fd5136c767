"""What one search on the tantivy index counts: facets, the date histogram, a count's first
and last dates, and the stories with more than one matching copy (``collapsing``).

Each ``searcher.aggregate`` call matches the query again, so everything counted over the
matches is asked for in one call; the years, counted without the year filter, need a second
only when years are chosen. The repeated stories are asked for apart, over the matches in a
story only (``collapsing.repeated_stories``).

Ministers, topics and labels narrow (AND), so they are counted within the results; years widen
(OR), so they are counted with every filter but the year filter. With copies collapsed every
count is of stories: a story counts once for each value any of its copies has.
"""

from __future__ import annotations

import datetime
from collections import Counter

from search.engine.tantivy import collapsing
from search.engine.tantivy.schema import NO_DAY, UNDATED_LAST
from search.query import DateHistogram, FacetCount, SearchQuery

FACETS = {"minister": "ministers", "topic": "topics", "label": "labels"}
MAX_FACET_VALUES = 10_000


def terms(field_name: str) -> dict:
    return {"terms": {"field": field_name, "size": MAX_FACET_VALUES}}


def month_of(day) -> str | None:
    return datetime.date.fromordinal(int(day)).strftime("%Y-%m") if int(day) > NO_DAY else None


def values_counted(found: dict, field_name: str) -> dict:
    return {bucket["key"]: bucket["doc_count"] for bucket in found[field_name]["buckets"]}


class Counts:
    """The counts of the matches ``matched`` (``base``: the same without the year filter):
    articles, or stories with ``collapse``. ``repeated``: the stories with more than one
    matching copy (read with ``collapse`` or for a count, ``per_page=0``; else empty)."""

    def __init__(
        self, searcher, schema, search_query: SearchQuery, matched, base, *, collapse: bool
    ):
        self.searcher, self.schema, self.search_query = searcher, schema, search_query
        self.matched, self.base, self.collapse = matched, base, collapse
        self.fields = tuple(FACETS.values())
        if not search_query.years:  # the years' matches are the results: counted at once
            self.fields += ("year",)
        if search_query.timeline_months is not None:
            self.fields += ("day",)
        request = {name: terms(name) for name in self.fields}
        if not search_query.per_page:  # a count: the first and last dates too
            request |= {"first": {"min": {"field": "oldest"}}, "last": {"max": {"field": "day"}}}
        self.found, self.repeated = searcher.aggregate(matched, request), {}
        if collapse or not search_query.per_page:
            self.repeated = collapsing.repeated_stories(searcher, schema, matched)

    def stories(self, matches: int) -> int:
        return collapsing.count_stories(matches, self.repeated)

    def first_and_last(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The matches' first and last publication dates (None: none dated)."""
        first, last = self.found["first"]["value"], self.found["last"]["value"]
        if first is None or first >= UNDATED_LAST or last is None or last <= NO_DAY:
            return None, None
        return datetime.date.fromordinal(int(first)), datetime.date.fromordinal(int(last))

    def surplus(self) -> dict[str, Counter]:
        """Per field and value: the copies beyond each story's first (nothing to take away
        when every copy counts)."""
        if not self.collapse or not self.repeated:
            return {}
        fields = tuple(name for name in self.fields if name != "day")
        return collapsing.surplus(self.searcher, self.schema, self.matched, self.repeated, fields)

    def facets(self) -> dict[str, list[FacetCount]]:
        facets = {}
        extra = self.surplus()
        for name, field_name in FACETS.items():
            selected = set(self.search_query.selected(name))
            counts = values_counted(self.found, field_name)
            for value, surplus in extra.get(field_name, {}).items():
                if value in counts:  # not cut from a long list
                    counts[value] -= surplus
            facets[name] = sorted(
                (FacetCount(value, count) for value, count in counts.items()),
                key=lambda c: (-c.count, c.value),
            )
            facets[name] += [FacetCount(value, 0) for value in sorted(selected - set(counts))]
        years = {int(year): count for year, count in self.year_counts(extra).items()}
        years.pop(0, None)  # undated
        for year in self.search_query.years:
            years.setdefault(year, 0)
        facets["year"] = [FacetCount(year, years[year]) for year in sorted(years, reverse=True)]
        return facets

    def year_counts(self, extra: dict[str, Counter]) -> dict:
        if not self.search_query.years:
            counts, surplus = values_counted(self.found, "year"), extra.get("year", {})
        elif not self.collapse:
            counts, surplus = (
                values_counted(self.searcher.aggregate(self.base, {"year": terms("year")}), "year"),
                {},
            )
        else:  # a story's copies in other years than the chosen ones count too
            found = self.searcher.aggregate(self.base, {"year": terms("year")})
            repeated = collapsing.repeated_stories(self.searcher, self.schema, self.base)
            counts, surplus = values_counted(found, "year"), {}
            if repeated:
                surplus = collapsing.surplus(
                    self.searcher, self.schema, self.base, repeated, ("year",)
                )["year"]
        for value, copies in surplus.items():
            if value in counts:
                counts[value] -= copies
        return counts

    def date_histogram(self, years: list[FacetCount]) -> DateHistogram:
        """By year: the years' counts. By month: the results', each story in each month any
        of its copies is in."""
        if self.search_query.timeline_months is None:
            counted = sorted((c for c in years if c.count), key=lambda c: c.value)
            return DateHistogram("year", tuple(FacetCount(str(c.value), c.count) for c in counted))
        months: Counter = Counter()
        for day, count in values_counted(self.found, "day").items():
            months[month_of(day)] += count
        if self.collapse and self.repeated:
            months -= collapsing.month_surplus(
                self.searcher, self.schema, self.matched, self.repeated, month_of
            )
        months.pop(None, None)  # undated
        return DateHistogram(
            "month",
            tuple(FacetCount(month, months[month]) for month in sorted(months) if months[month]),
        )
