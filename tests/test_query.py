"""The URL state: parsing, validation, canonical serialisation, facet toggles."""

import datetime

import pytest
from django.http import QueryDict

from search.query import InvalidParameter, SearchQuery


def parse(query_string):
    return SearchQuery.from_params(QueryDict(query_string))


def test_round_trip_is_canonical():
    state = parse("year=2024&minister=kihara&q=%20cyber%20&minister=jaishankar&year=2022&page=2")
    assert state.to_query_string() == (
        "q=cyber&minister=jaishankar&minister=kihara&year=2022&year=2024&page=2"
    )
    assert parse(state.to_query_string()) == parse(state.to_query_string())


def test_defaults_are_left_out():
    assert parse("q=&sort=newest&per_page=10&page=1").to_query_string() == ""
    assert parse("q=x&sort=relevance").to_query_string() == "q=x"
    assert parse("q=x&sort=newest").to_query_string() == "q=x&sort=newest"


def test_effective_sort():
    assert parse("").effective_sort == "newest"
    assert parse("q=x").effective_sort == "relevance"


def test_toggle_adds_and_removes_and_resets_page():
    state = parse("q=x&minister=a&page=3")
    assert state.toggled("minister", "b").to_query_string() == "q=x&minister=a&minister=b"
    assert state.toggled("minister", "a").to_query_string() == "q=x"
    assert state.toggled("year", 2024).years == (2024,)


def test_dates():
    state = parse("from=2024-01-01&to=2024-12-31")
    assert state.date_from == datetime.date(2024, 1, 1)
    assert "from=2024-01-01&to=2024-12-31" in state.to_query_string()


@pytest.mark.parametrize(
    "query_string, name",
    [
        ("year=abc", "year"),
        ("sort=best", "sort"),
        ("page=0", "page"),
        ("page=x", "page"),
        ("per_page=101", "per_page"),
        ("from=2024-13-01", "from"),
        ("from=2024-05-02&to=2024-05-01", "to"),
    ],
)
def test_invalid_parameters_name_themselves(query_string, name):
    with pytest.raises(InvalidParameter) as error:
        parse(query_string)
    assert error.value.name == name


def test_a_reversed_range_says_which_way_round():
    with pytest.raises(InvalidParameter) as error:
        parse("from=2024-05-02&to=2024-05-01")
    assert "end date (2024-05-01) is before the start date (2024-05-02)" in error.value.message
    assert parse("from=2024-05-01&to=2024-05-01").date_to == datetime.date(2024, 5, 1)
    assert parse("from=&to=").to_query_string() == ""  # empty fields: no bound


@pytest.mark.parametrize(
    "query_string, months",
    [
        ("", None),
        ("year=2024", ("2024-01-01", "2024-12-01")),
        ("year=2024&year=2023", None),
        ("year=2024&from=2024-03-15", ("2024-03-01", "2024-12-01")),
        ("year=2024&from=2023-03-15&to=2024-06-02", ("2024-01-01", "2024-06-01")),
        ("from=2023-01-01&to=2024-12-31", ("2023-01-01", "2024-12-01")),  # 24 months
        ("from=2022-12-31&to=2024-12-31", None),  # 25 months
        ("from=2023-01-01", None),
        ("year=2024&to=2023-06-01", None),  # nothing can match; by year shows that
    ],
)
def test_the_timeline_counts_months_for_one_year_or_two_years_at_most(query_string, months):
    expected = tuple(datetime.date.fromisoformat(m) for m in months) if months else None
    assert parse(query_string).timeline_months == expected


def test_the_every_word_link_of_a_relaxed_search_round_trips():
    every_word = parse("q=border+AND+dispute+AND+Israel&topic=space")
    assert every_word.q == "border AND dispute AND Israel"
    assert every_word.to_query_string() == "q=border+AND+dispute+AND+Israel&topic=space"
