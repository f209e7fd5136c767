"""What one search on the tantivy index counts: its matches, facets, the date histogram, a
count's first and last dates, and the stories with more than one matching copy
(``collapsing``).

Each ``searcher.aggregate`` call matches the query again, so everything counted over the
matches is asked for in one call, the number of matches too (every article has one year, 0
when undated: the year buckets add up to it); the years, counted without the year filter, need
a second only when years are chosen (which then give the number of matches). The matches in a
story are read apart, once (``collapsing.in_stories``).

Ministers, topics and labels narrow (AND), so they are counted within the results; years widen
(OR), so they are counted with every filter but the year filter. With copies collapsed every
count is of stories: a story counts once for each value any of its copies has.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from search.engine.tantivy import collapsing, story_table
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


@dataclass(frozen=True)
class Counted:
    """Everything a search counted, as plain values (kept per index commit for browsing)."""

    matches: int  # every copy
    stories: int
    facets: dict[str, tuple[FacetCount, ...]]
    date_histogram: DateHistogram
    repeated: dict[int, int]  # story -> matching copies, of those with more than one
    first_and_last: tuple[datetime.date | None, datetime.date | None]


class Counts:
    """The counts of the matches ``matched`` (``base``: the same without the year filter):
    articles, or stories with ``collapse``. ``in_stories``: ``matched`` and ``base``, or
    queries matching the same articles in a story faster (``collapsing.in_stories``)."""

    def __init__(
        self,
        searcher,
        schema,
        search_query: SearchQuery,
        matched,
        base,
        *,
        collapse: bool,
        in_stories: tuple | None = None,
        table: story_table.StoryTable | None = None,
    ):
        self.searcher, self.schema, self.search_query = searcher, schema, search_query
        self.matched, self.base, self.collapse = matched, base, collapse
        self.in_stories, self.base_in_stories = in_stories or (matched, base)
        self.table = table
        self.fields = tuple(FACETS.values())
        if not search_query.years:  # the years' matches are the results: counted at once
            self.fields += ("year",)
        self.timeline = search_query.timeline_months is not None  # by month
        if self.timeline:
            self.fields += ("day",)
        request = {name: terms(name) for name in self.fields}
        if not search_query.per_page:  # a count: the first and last dates too
            request |= {"first": {"min": {"field": "oldest"}}, "last": {"max": {"field": "day"}}}
        self.base_years: dict = {}
        if search_query.years:
            found = searcher.aggregate(base, {"year": terms("year")})
            self.base_years = values_counted(found, "year")
        self.found = searcher.aggregate(matched, request)
        if search_query.years:
            chosen = set(search_query.years)
            self.matches = sum(n for year, n in self.base_years.items() if int(year) in chosen)
        else:
            self.matches = sum(values_counted(self.found, "year").values())
        self._copies: collapsing.StoryCopies | None = None
        self._base_copies: collapsing.StoryCopies | None = None

    @property
    def copies(self) -> collapsing.StoryCopies:
        """The matches in a story (read with ``collapse`` or for a count, ``per_page=0``)."""
        if self._copies is None:
            if not self.collapse and self.search_query.per_page:
                self._copies = collapsing.StoryCopies()
            elif self.search_query.years:
                self._copies = collapsing.of_years(self.base_copies, set(self.search_query.years))
            else:
                self._copies = self.read_copies(self.in_stories)
        return self._copies

    @property
    def base_copies(self) -> collapsing.StoryCopies:
        """The matches in a story without the year filter."""
        if self._base_copies is None:
            self._base_copies = self.read_copies(self.base_in_stories)
        return self._base_copies

    def read_copies(self, query) -> collapsing.StoryCopies:
        if self.table is not None:
            return story_table.in_stories(self.table, self.searcher, self.schema, query)
        return collapsing.in_stories(self.searcher, self.schema, query, days=self.timeline)

    @property
    def repeated(self) -> dict[int, int]:
        return self.copies.repeated

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
        if self.table is not None:
            return story_table.surplus(self.table, self.copies, fields)
        return collapsing.surplus(self.searcher, self.schema, self.in_stories, self.copies, fields)

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
            counts, surplus = dict(self.base_years), {}
        else:  # a story's copies in other years than the chosen ones count too
            copies = self.base_copies
            counts = dict(self.base_years)
            surplus = collapsing.extra_copies(copies.stories, copies.years)
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
            months -= collapsing.month_surplus(self.copies, month_of)
        months.pop(None, None)  # undated
        return DateHistogram(
            "month",
            tuple(FacetCount(month, months[month]) for month in sorted(months) if months[month]),
        )

    def counted(self) -> Counted:
        facets = self.facets()
        first_and_last = (None, None) if self.search_query.per_page else self.first_and_last()
        return Counted(
            matches=self.matches,
            stories=self.stories(self.matches),
            facets={name: tuple(values) for name, values in facets.items()},
            date_histogram=self.date_histogram(facets["year"]),
            repeated=self.repeated,
            first_and_last=first_and_last,
        )
