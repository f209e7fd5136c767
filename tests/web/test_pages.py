"""search.web.pages: what the search page shows, as whole data structures (no HTML)."""

from __future__ import annotations

import datetime

from search.query import SearchQuery
from search.web.pages import PageLink, SortChoice, page_links, sort_choices, state_inputs


def test_page_links_show_ends_and_neighbours_with_gaps():
    links = page_links(SearchQuery(q="x", page=6), 20)
    assert [link.number for link in links] == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert [link for link in links if link.current] == [PageLink(6, "/?q=x&page=6", True)]
    assert links[0] == PageLink(1, "/?q=x", False)  # page 1 is the canonical URL


def test_page_links_without_gaps_on_short_lists():
    assert [link.number for link in page_links(SearchQuery(page=2), 4)] == [1, 2, 3, 4]
    assert [link.number for link in page_links(SearchQuery(), 1)] == [1]


def test_sort_choices_offer_relevance_only_with_words():
    assert sort_choices(SearchQuery(topics=("space",), page=3)) == [
        SortChoice("newest", "Newest", "/?topic=space", True),
        SortChoice("oldest", "Oldest", "/?topic=space&sort=oldest", False),
    ]
    assert [c.value for c in sort_choices(SearchQuery(q="cyber"))] == [
        "relevance",
        "newest",
        "oldest",
    ]


def test_state_inputs_carry_what_no_visible_control_holds():
    search_query = SearchQuery(
        q="cyber",
        ministers=("a",),
        years=(2024,),
        sort="oldest",
        per_page=20,
        page=3,
        date_from=datetime.date(2024, 1, 1),
    )
    assert state_inputs(search_query) == [
        ("from", "2024-01-01"),
        ("sort", "oldest"),
        ("per_page", "20"),
    ]
