"""The search state as the URL carries it, and the results the engine answers with.

Engine-neutral: the JSON API, the pages and the engine all speak these types. A state
serialises to a canonical query string (stable order, defaults left out) so that equal
searches have equal URLs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from search.text import strip_unsafe_characters

SORTS = ("relevance", "newest", "oldest")
DEFAULT_PER_PAGE = 10
MAX_PER_PAGE = 100
FACETS = ("minister", "topic", "year", "label")
FACET_FIELDS = {"minister": "ministers", "topic": "topics", "year": "years", "label": "labels"}
# The timeline counts by month when the search spans this many months or fewer, else by year.
TIMELINE_MONTHS_AT_MOST = 24


class InvalidParameter(ValueError):
    """A URL parameter that is not valid; ``name`` says which."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    ministers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = ""  # "" = the default: relevance with words, newest without
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # Every copy of a story (True), or one hit a story with the others collapsed under it.
    every_copy: bool = False
    labels: tuple[str, ...] = ()  # shared labels' slugs: all of them (AND)
    starred: bool = False  # "Starred by me" (starred=1)
    noted: bool = False  # "With notes" (notes=1)
    # Only these article ids, or None: what "starred" and "noted" mean for the user asking,
    # set by search.desk.triage.for_reader (user ids are never indexed). Not in the URL.
    only_ids: frozenset[int] | None = None

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"

    @property
    def has_filters(self) -> bool:
        return bool(
            self.ministers
            or self.topics
            or self.years
            or self.date_from
            or self.date_to
            or self.labels
            or self.starred
            or self.noted
        )

    @property
    def timeline_months(self) -> tuple[datetime.date, datetime.date] | None:
        """The first days of the first and last months the timeline shows month by month:
        one year chosen, or a from/to range of two years or less. None: by year."""
        if len(set(self.years)) == 1:
            year = self.years[0]
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
            if self.date_from:
                first = max(first, self.date_from.replace(day=1))
            if self.date_to:
                last = min(last, self.date_to.replace(day=1))
            return (first, last) if first <= last else None
        if self.date_from and self.date_to:
            first, last = self.date_from.replace(day=1), self.date_to.replace(day=1)
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            if 0 < months <= TIMELINE_MONTHS_AT_MOST:
                return first, last
        return None

    def selected(self, facet: str) -> tuple:
        return getattr(self, FACET_FIELDS[facet])

    def toggled(self, facet: str, value) -> SearchQuery:
        """The same search with one facet value added or removed, back on page 1."""
        current = self.selected(facet)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, page=1, **{FACET_FIELDS[facet]: values})

    def without_filters(self) -> SearchQuery:
        return SearchQuery(
            q=self.q, sort=self.sort, per_page=self.per_page, every_copy=self.every_copy
        )

    def with_page(self, page: int) -> SearchQuery:
        return replace(self, page=page)

    def to_params(self) -> list[tuple[str, str]]:
        """Canonical parameters: fixed order, sorted repeated values, defaults left out."""
        params: list[tuple[str, str]] = []
        if self.q.strip():
            params.append(("q", self.q.strip()))
        params += [("minister", slug) for slug in sorted(set(self.ministers))]
        params += [("topic", slug) for slug in sorted(set(self.topics))]
        params += [("year", str(year)) for year in sorted(set(self.years))]
        params += [("label", slug) for slug in sorted(set(self.labels))]
        if self.starred:
            params.append(("starred", "1"))
        if self.noted:
            params.append(("notes", "1"))
        if self.date_from:
            params.append(("from", self.date_from.isoformat()))
        if self.date_to:
            params.append(("to", self.date_to.isoformat()))
        if self.sort and self.sort != self.effective_default_sort():
            params.append(("sort", self.sort))
        if self.every_copy:
            params.append(("copies", "all"))
        if self.per_page != DEFAULT_PER_PAGE:
            params.append(("per_page", str(self.per_page)))
        if self.page != 1:
            params.append(("page", str(self.page)))
        return params

    def effective_default_sort(self) -> str:
        return "relevance" if self.q.strip() else "newest"

    def to_query_string(self) -> str:
        return urlencode(self.to_params())

    @classmethod
    def from_params(cls, params) -> SearchQuery:
        """From a QueryDict (or any mapping with ``getlist``); raises InvalidParameter.

        The words and slugs lose the characters no output can carry (``search.text``): a
        search saved with them would break its feed."""
        sort = params.get("sort", "") or ""
        if sort and sort not in SORTS:
            raise InvalidParameter("sort", f"sort must be one of {', '.join(SORTS)}")
        copies = params.get("copies", "") or ""
        if copies not in ("", "all"):
            raise InvalidParameter("copies", "copies must be 'all' (show every copy) or absent")
        return cls(
            q=strip_unsafe_characters(params.get("q", "") or ""),
            ministers=text_values(params.getlist("minister")),
            topics=text_values(params.getlist("topic")),
            years=tuple(
                dict.fromkeys(
                    # A year a date can have: the timeline turns a chosen year into dates.
                    parse_int("year", v, minimum=datetime.MINYEAR, maximum=datetime.MAXYEAR)
                    for v in params.getlist("year")
                    if v
                )
            ),
            date_from=parse_date("from", params.get("from")),
            date_to=parse_date("to", params.get("to")),
            labels=text_values(params.getlist("label")),
            starred=parse_flag("starred", params.get("starred")),
            noted=parse_flag("notes", params.get("notes")),
            sort=sort,
            every_copy=copies == "all",
            page=parse_int("page", params.get("page") or "1", minimum=1),
            per_page=parse_int(
                "per_page",
                params.get("per_page") or str(DEFAULT_PER_PAGE),
                minimum=1,
                maximum=MAX_PER_PAGE,
            ),
        ).require_ordered_dates()

    def require_ordered_dates(self) -> SearchQuery:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InvalidParameter(
                "to",
                f"the end date ({self.date_to.isoformat()}) is before the start date "
                f"({self.date_from.isoformat()}): swap them, or leave one empty",
            )
        return self


def text_values(values: list[str]) -> tuple[str, ...]:
    """Each value once, in order, without unsafe characters; empty ones left out."""
    return tuple(dict.fromkeys(v for v in map(strip_unsafe_characters, values) if v))


def parse_int(name: str, value: str, *, minimum: int | None = None, maximum: int | None = None):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidParameter(name, f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise InvalidParameter(name, f"{name} must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise InvalidParameter(name, f"{name} must be at most {maximum}")
    return number


def parse_flag(name: str, value: str | None) -> bool:
    if value in (None, "", "0"):
        return False
    if value == "1":
        return True
    raise InvalidParameter(name, f"{name} must be 1 (on) or absent, not {value!r}")


def parse_date(name: str, value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidParameter(
            name, f"{name} must be a date as YYYY-MM-DD, not {value!r}"
        ) from None


@dataclass(frozen=True)
class FacetCount:
    value: str | int
    count: int


@dataclass(frozen=True)
class Hit:
    id: int
    score: float
    title_highlighted: str  # safe HTML: escaped text and <mark>
    snippet: str  # safe HTML: escaped text and <mark>


@dataclass(frozen=True)
class DateHistogram:
    """How many results fall in each period: ``interval`` "year" (values "2024") or "month"
    ("2024-03"); oldest first, periods without results left out (undated articles too).

    By year it counts like the year facet (every filter but the years); by month, the results.
    """

    interval: str
    buckets: tuple[FacetCount, ...]


@dataclass(frozen=True)
class Relaxation:
    """A search answered with most of its words: too few articles (``every_word_total``) had
    them all. ``words``: the words that count (stop words out); each result has at least
    ``minimum`` of them; ``every_word_q``: the query that requires them all."""

    words: tuple[str, ...]
    minimum: int
    every_word_total: int
    every_word_q: str

    @property
    def message(self) -> str:
        words = ", ".join(self.words)
        if self.every_word_total == 0:
            found = f"No article has all the words {words}"
        else:
            plural = "article has" if self.every_word_total == 1 else "articles have"
            found = f"Only {self.every_word_total} {plural} all the words {words}"
        if self.minimum == 1:
            return f"{found}: showing articles with any of them, ranked."
        return f"{found}: showing articles with at least {self.minimum} of the {len(self.words)}."


@dataclass(frozen=True)
class PrefixExpansion:
    """What a prefix (``secur*``, ``prefix`` "secur") was searched as: the indexed words it
    stands for (as the engine indexes them: stems), ``cut`` when it starts more words than the
    engine's bound, so only the commonest were searched (none, when the query's other prefixes
    had used the bound up)."""

    prefix: str
    words: tuple[str, ...]
    cut: bool


@dataclass
class SearchResults:
    query: SearchQuery
    total: int  # stories (one per cluster of copies), or copies with ``every_copy``
    hits: list[Hit]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    took_ms: float = 0.0
    date_histogram: DateHistogram | None = None  # None: not counted (a search cut short)
    copies: int | None = None  # with copies collapsed: how many copies the stories have
    relaxed: Relaxation | None = None  # most of the words searched, not all (query_language)
    # How the engine read the words (``search.web.understanding`` says it): each prefix's
    # words, and the words its analysis drops (stop words), which set no condition.
    expansions: tuple[PrefixExpansion, ...] = ()
    ignored_words: tuple[str, ...] = ()
    # What a count reads (the desk's batches): the stories among the matches, and the
    # matches' first and last publication dates (undated ones aside). A search with
    # ``per_page=0`` (a count, no hits) has them (unless cut short); others say None.
    stories: int | None = None
    first_published: datetime.date | None = None
    last_published: datetime.date | None = None

    @property
    def pages(self) -> int:
        if not self.query.per_page:  # a count: no pages of hits
            return 1
        return max(1, -(-self.total // self.query.per_page))


class PageOutOfRange(InvalidParameter):
    def __init__(self, page: int, pages: int):
        super().__init__("page", f"page {page} is past the last page ({pages})")
