"""What the search page shows, prepared so the templates stay dumb.

Each facet value, chip, sort choice and page link arrives with the URL it leads to (built
from the current SearchQuery), as datasette's facets do; the engine's highlighted HTML is
marked safe here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from search.conf import get_setting
from search.desk.exports import cap_notice, export_links
from search.desk.timeline import timeline
from search.links import article_url, search_url
from search.models import Article
from search.query import SearchQuery, SearchResults
from search.selectors import FACET_LABELS, FacetOption, SearchPage
from search.web import story_pages
from search.web.distinctive_views import distinctive_url
from search.web.understanding import page_line

FACETS_SHOWN = 8  # values shown per facet; the rest sit behind a "more" disclosure
PAGE_LINKS_AROUND = 2  # page numbers shown each side of the current page


@dataclass(frozen=True)
class Chip:
    label: str
    url: str | None  # None: the filter is already on
    kind: str  # "minister" | "topic"


@dataclass(frozen=True)
class HitView:
    article: Article
    url: str
    title_html: SafeString
    snippet_html: SafeString
    chips: list[Chip]
    published: str = ""  # "4 March 2024"; "" when undated
    published_iso: str = ""  # for <time datetime>
    versions: story_pages.VersionsToggle | None = None  # its story's other versions
    triage: object = None  # its star, labels and notes (triage_pages.HitTriage), for readers


@dataclass(frozen=True)
class FacetChoice:
    input_id: str
    name: str  # the URL parameter
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetPanel:
    name: str
    label: str
    shown: list[FacetChoice]
    more: list[FacetChoice]

    @property
    def more_open(self) -> bool:
        return any(choice.selected for choice in self.more)

    # The options are written here with format_html (every value escaped) rather than by a
    # template loop, as the timeline's bars are: a search shows up to ~60 of them, and their
    # ~700 variable lookups took a quarter of the results' rendering (docs/performance.md).

    @property
    def shown_html(self) -> SafeString:
        return facet_options_html(self.shown)

    @property
    def more_html(self) -> SafeString:
        return facet_options_html(self.more)


# One facet value: a checkbox that submits with the form, or asks htmx for the results.
FACET_OPTION = (
    '<li class="facet-option">'
    '<input type="checkbox" id="{id}" name="{name}" value="{value}" form="search-form"{checked}'
    ' data-hx-get="{action}" data-hx-include="#search-form">'
    ' <label for="{id}"><span class="facet-label">{label}</span> <span class="count">{count}'
    '<span class="visually-hidden"> articles</span></span></label></li>'
)


def facet_options_html(choices: list[FacetChoice]) -> SafeString:
    action = reverse("search:search")
    return format_html_join(
        "\n",
        "{}",
        (
            (
                format_html(
                    FACET_OPTION,
                    id=choice.input_id,
                    name=choice.name,
                    value=choice.value,
                    checked=" checked" if choice.selected else "",
                    action=action,
                    label=choice.label,
                    count=choice.count,
                ),
            )
            for choice in choices
        ),
    )


@dataclass(frozen=True)
class ActiveFilter:
    kind: str
    label: str
    remove_url: str


@dataclass(frozen=True)
class SortChoice:
    value: str
    label: str
    url: str
    current: bool


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


def results_context(page: SearchPage) -> dict:
    """Everything the results partial shows for a search that ran."""
    search_query = page.query
    pages = page.results.pages
    suggestion = page.results.suggestion
    return {
        "page": page,
        "results": page.results,
        "hits": hit_views(page),
        "first_position": first_position(search_query),
        "facet_panels": facet_panels(page),
        "active_filters": active_filters(page),
        "clear_filters_url": search_url(search_query.without_filters()),
        "sort_choices": sort_choices(search_query),
        "copies_switch": story_pages.copies_switch(page.results),
        "page_links": page_links(search_query, pages),
        "previous_url": page_url(search_query, search_query.page - 1, pages),
        "next_url": page_url(search_query, search_query.page + 1, pages),
        # The respelt words with the same filters and order.
        "suggestion_url": search_url(replace(search_query, q=suggestion, page=1))
        if suggestion
        else None,
        "relaxed_notice": relaxed_notice(page.results),
        "understood": page_line(page.results),  # how the query was read, under the box
        "timeline": timeline(search_query, page.results.date_histogram),
        "export_links": export_links(search_query),
        "export_notice": export_notice(page.results.total),
        "distinctive_url": distinctive_url(search_query),
        # The filter panel's date inputs hold the dates now.
        "state_inputs": [
            (name, value)
            for name, value in state_inputs(search_query)
            if name not in {"from", "to"}
        ],
    }


def relaxed_notice(results: SearchResults) -> dict | None:
    """What a search answered with most of its words says, and the link to the same search
    requiring every word (its words joined by AND: explicit, so never relaxed)."""
    if results.relaxed is None:
        return None
    every_word = replace(results.query, q=results.relaxed.every_word_q, page=1)
    return {"message": results.relaxed.message, "url": search_url(every_word)}


def export_notice(total: int) -> str:
    cap = get_setting("EXPORT_MAX_ARTICLES")
    return cap_notice(total=total, cap=cap) if total > cap else ""


def page_url(search_query: SearchQuery, number: int, pages: int) -> str | None:
    return search_url(search_query.with_page(number)) if 1 <= number <= pages else None


def hit_views(page: SearchPage) -> list[HitView]:
    search_query = page.query
    versions = story_pages.versions_toggles([row.article for row in page.rows], search_query)
    made: dict[tuple[str, str, str], Chip] = {}  # hits share tags: each chip's URL built once

    def chip(facet: str, value: str, label: str) -> Chip:
        if (facet, value, label) not in made:
            made[facet, value, label] = chip_for(search_query, facet, value, label)
        return made[facet, value, label]

    views = []
    for row in page.rows:
        published = row.article.published
        chips = [chip("minister", tag.slug, tag.name) for tag in row.ministers]
        chips += [chip("topic", tag.slug, tag.name) for tag in row.topics]
        views.append(
            HitView(
                article=row.article,
                url=article_url(row.article, search_query),
                # The engine escapes the stored text and adds only <mark>: safe HTML.
                title_html=mark_safe(row.title_highlighted),
                snippet_html=mark_safe(row.snippet),
                chips=chips,
                # Formatted here, not by the template's date filter: a tenth of a hit's
                # rendering each.
                published=date_format(published, "j F Y") if published else "",
                published_iso=published.isoformat() if published else "",
                versions=versions.get(row.article.pk),
            )
        )
    return views


def chip_for(search_query: SearchQuery, facet: str, value: str, label: str) -> Chip:
    """A chip that adds its filter; one already on is shown, not linked."""
    if value in search_query.selected(facet):
        return Chip(label, None, facet)
    return Chip(label, search_url(search_query.toggled(facet, value)), facet)


def facet_panels(page: SearchPage) -> list[FacetPanel]:
    panels = []
    for name, options in page.facets.items():
        choices = [facet_choice(name, option) for option in options]
        panels.append(
            FacetPanel(
                name=name,
                label=FACET_LABELS.get(name, name.title()),
                shown=choices[:FACETS_SHOWN],
                more=choices[FACETS_SHOWN:],
            )
        )
    return panels


def facet_choice(name: str, option: FacetOption) -> FacetChoice:
    value = str(option.value)
    return FacetChoice(
        input_id=f"facet-{name}-{value}",
        name=name,
        value=value,
        label=option.label,
        count=option.count,
        selected=option.selected,
    )


def active_filters(page: SearchPage) -> list[ActiveFilter]:
    """The filters in force, each with the URL that removes it."""
    search_query = page.query
    active = [
        ActiveFilter(
            FACET_LABELS.get(name, name),
            option.label,
            search_url(search_query.toggled(name, option.value)),
        )
        for name, options in page.facets.items()
        for option in options
        if option.selected
    ]
    if search_query.starred:
        without = replace(search_query, starred=False, page=1)
        active.append(ActiveFilter("Yours", "Starred by me", search_url(without)))
    if search_query.noted:
        without = replace(search_query, noted=False, page=1)
        active.append(ActiveFilter("Yours", "With notes", search_url(without)))
    if search_query.date_from:
        without = replace(search_query, date_from=None, page=1)
        active.append(ActiveFilter("From", search_query.date_from.isoformat(), search_url(without)))
    if search_query.date_to:
        without = replace(search_query, date_to=None, page=1)
        active.append(ActiveFilter("To", search_query.date_to.isoformat(), search_url(without)))
    return active


def state_inputs(search_query: SearchQuery) -> list[tuple[str, str]]:
    """The state no visible control of the form holds (order, page size, dates), as hidden
    inputs, so typing a new query or ticking a facet keeps it."""
    return [
        (name, value)
        for name, value in search_query.to_params()
        if name in {"sort", "per_page", "from", "to", "copies"}
    ]


SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "oldest": "Oldest"}


def sort_choices(search_query: SearchQuery) -> list[SortChoice]:
    # Without words every article is equally relevant: only the dates order them.
    sorts = ["relevance", "newest", "oldest"] if search_query.q.strip() else ["newest", "oldest"]
    return [
        SortChoice(
            value=sort,
            label=SORT_LABELS[sort],
            url=search_url(replace(search_query, sort=sort, page=1)),
            current=search_query.effective_sort == sort,
        )
        for sort in sorts
    ]


def page_links(search_query: SearchQuery, pages: int) -> list[PageLink]:
    """First, last and the pages around the current one, with gaps between."""
    current = search_query.page
    wanted = {1, pages, *range(current - PAGE_LINKS_AROUND, current + PAGE_LINKS_AROUND + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= pages)
    links: list[PageLink] = []
    for number in numbers:
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(
            PageLink(number, search_url(search_query.with_page(number)), number == current)
        )
    return links


def first_position(search_query: SearchQuery) -> int:
    """The number of the page's first hit in the whole result list (for <ol start>)."""
    return (search_query.page - 1) * search_query.per_page + 1
