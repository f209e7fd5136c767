"""A batch's table as users see and download it: columns, sorting, what changed since the
batch it runs again. Plain data; the template and the downloads only write it out."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from urllib.parse import urlencode

from search.models import BatchSearch

# (key, heading); the years' columns come after these, one per year any row has.
FIXED_COLUMNS = (
    ("query", "Query"),
    ("label", "Label"),
    ("matches", "Matches"),
    ("stories", "Stories"),
    ("first", "First"),
    ("last", "Last"),
)
CHANGE_COLUMN = ("change", "Change")
TEXT_COLUMNS = {"query", "label", "first", "last"}


@dataclass(frozen=True)
class BatchOrder:
    """How the table is sorted: the URL's ``sort``, ``order`` and ``empty`` (``first``: the
    queries without a match at the top, whatever the sort)."""

    sort: str = ""
    descending: bool = False
    empty_first: bool = False

    @classmethod
    def from_params(cls, params) -> BatchOrder:
        return cls(
            sort=params.get("sort", "") or "",
            descending=params.get("order") == "desc",
            empty_first=params.get("empty") == "first",
        )

    def params(self, **changes) -> str:
        state = {
            "sort": self.sort,
            "order": "desc" if self.descending else "",
            "empty": "first" if self.empty_first else "",
        }
        state.update(changes)
        return urlencode({key: value for key, value in state.items() if value})


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool
    sorted: str  # "ascending", "descending" or "" (for aria-sort)
    sort_params: str  # the query string that sorts by it (the other way when it is the sort)


def year_keys(rows: list[dict]) -> list[str]:
    return sorted({year for row in rows for year in row.get("per_year", {})})


def with_changes(batch: BatchSearch) -> list[dict]:
    """The rows, each with ``change``: its matches minus the same query's in the batch this
    one runs again (None when there is none to compare with)."""
    before = {}
    if batch.previous is not None:
        before = {(row["query"], row["label"]): row["matches"] for row in batch.previous.rows}
    rows = []
    for row in batch.rows:
        earlier = before.get((row["query"], row["label"]))
        change = None
        if earlier is not None and row["matches"] is not None:
            change = row["matches"] - earlier
        rows.append({**row, "change": change})
    return rows


def cell_value(row: dict, key: str):
    if key.startswith("year-"):
        return row.get("per_year", {}).get(key.removeprefix("year-"), 0)
    return row.get(key)


def sorted_rows(rows: list[dict], order: BatchOrder) -> list[dict]:
    """Sorted by the chosen column (the given order when none); empty cells last either way."""
    ordered = list(rows)
    if order.sort:
        filled = [row for row in ordered if cell_value(row, order.sort) not in (None, "")]
        empty = [row for row in ordered if cell_value(row, order.sort) in (None, "")]
        key = order.sort
        if key in TEXT_COLUMNS:
            filled.sort(key=lambda row: str(cell_value(row, key)).casefold())
        else:
            filled.sort(key=lambda row: cell_value(row, key))
        if order.descending:
            filled.reverse()
        ordered = filled + empty
    if order.empty_first:
        ordered.sort(key=lambda row: bool(row["matches"]))  # stable: keeps the sort within
    return ordered


def columns(batch: BatchSearch, rows: list[dict], order: BatchOrder) -> list[Column]:
    keys = list(FIXED_COLUMNS)
    if batch.previous is not None:
        keys.append(CHANGE_COLUMN)
    keys += [(f"year-{year}", year) for year in year_keys(rows)]
    shown = []
    for key, heading in keys:
        is_sort = order.sort == key
        descending_now = is_sort and order.descending
        shown.append(
            Column(
                key=key,
                heading=heading,
                numeric=key not in TEXT_COLUMNS,
                sorted=("descending" if descending_now else "ascending") if is_sort else "",
                sort_params=order.params(sort=key, order=next_order(key, is_sort, descending_now)),
            )
        )
    return shown


def next_order(key: str, is_sort: bool, descending_now: bool) -> str:
    """Text sorts A to Z first, numbers largest first; choosing the sort again reverses it."""
    if is_sort:
        return "" if descending_now else "desc"
    return "" if key in TEXT_COLUMNS else "desc"


@dataclass(frozen=True)
class TableRow:
    query: str
    url: str
    message: str
    no_match: bool
    cells: list[tuple[str, bool]]  # the columns after the query's: (as shown, numeric)


def shown_value(row: dict, key: str) -> str:
    value = cell_value(row, key)
    if key == "change":
        return "new" if value is None else f"{value:+d}" if value else "0"
    if value is None:
        return "–" if key in ("matches", "stories") else ""
    return str(value)


def table_rows(rows: list[dict], shown: list[Column]) -> list[TableRow]:
    return [
        TableRow(
            query=row["query"],
            url=row["url"],
            message=row["message"],
            no_match=row["matches"] == 0,
            cells=[(shown_value(row, column.key), column.numeric) for column in shown[1:]],
        )
        for row in rows
    ]


def csv_text(batch: BatchSearch, site: str) -> str:
    """The table as CSV: every row, each year a column; ``site`` makes the links absolute."""
    rows = with_changes(batch)
    years = year_keys(rows)
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["query", "label", "matches", "stories", "first", "last"]
    if batch.previous is not None:
        header.append("change")
    writer.writerow([*header, *years, "message", "search_url"])
    for row in rows:
        writer.writerow(
            [
                *(blank_if_none(row[key]) for key in header),
                *(row["per_year"].get(year, 0) for year in years),
                row["message"],
                site + row["url"],
            ]
        )
    return out.getvalue()


def blank_if_none(value):
    return "" if value is None else value


def json_rows(batch: BatchSearch, site: str) -> list[dict]:
    return [
        {
            "query": row["query"],
            "label": row["label"],
            "matches": row["matches"],
            "stories": row["stories"],
            "first": row["first"],
            "last": row["last"],
            "per_year": row["per_year"],
            "change": row["change"],
            "message": row["message"] or None,
            "search_url": site + row["url"],
        }
        for row in with_changes(batch)
    ]
