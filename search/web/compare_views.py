"""Compare over time: the page (the URL is the state) and its CSV."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from search import engine
from search.desk import comparison_chart, comparisons
from search.models import Minister, Topic
from search.query import InvalidParameter


@require_GET
@vary_on_headers("HX-Request")
def compare_page(request: HttpRequest) -> HttpResponse:
    context, status = compare_context(request)
    if request.htmx:
        response = render(request, "search/compare.html#comparison", context, status=status)
        return push_url(response, context["canonical_url"])
    return render(request, "search/compare.html", context, status=status)


def compare_context(request: HttpRequest) -> tuple[dict, int]:
    context = {
        "ministers": Minister.objects.values_list("slug", "name"),
        "topics": Topic.objects.values_list("slug", "label"),
        "canonical_url": request.get_full_path(),
        "query_slots": query_slots(request.GET.getlist("q")),
        "problem": "",
        "comparison": None,
    }
    try:
        state = comparisons.CompareState.from_params(request.GET)
    except InvalidParameter as error:
        return {**context, "problem": error.message, "state": None}, 400
    context["state"] = state
    context["query_slots"] = query_slots(state.queries)
    context["canonical_url"] = with_state(reverse("search:compare"), state.query_string())
    base = reverse("search:compare")
    for name, value in (("measure", "count"), ("measure", "share"), ("interval", "year")):
        context[f"{value}_url"] = with_state(base, state.query_string(**{name: value}))
    context["month_url"] = with_state(base, state.query_string(interval="month"))
    context["csv_url"] = with_state(reverse("search:compare-csv"), state.query_string())
    if len(state.queries) < comparisons.FEWEST_QUERIES:
        return context, 200  # the form, waiting for the queries
    try:
        comparison = comparisons.compare(state)
    except InvalidParameter as error:
        return {**context, "problem": error.message}, 400
    except engine.IndexUnavailable as error:
        return {**context, "problem": str(error)}, 503
    chart = comparison_chart.chart(comparison)
    spanned = comparison.state.filters
    if spanned != state.filters:  # by month over a long span: its last two years
        context["span_note"] = (
            f"By month from {spanned.date_from.isoformat()} to {spanned.date_to.isoformat()}, "
            "two years at most: choose From and To dates for another span."
        )
    return {
        **context,
        "comparison": comparison,
        "chart": chart,
        "table": comparisons.table(comparison),
    }, 200


def query_slots(queries) -> list[tuple[int, str]]:
    """The form's five query boxes, the given queries first."""
    filled = [*queries, *[""] * comparisons.MOST_QUERIES][: comparisons.MOST_QUERIES]
    return list(enumerate(filled, start=1))


def with_state(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    try:
        comparison = comparisons.compare(comparisons.CompareState.from_params(request.GET))
    except InvalidParameter as error:
        return plain(400, f"This comparison cannot be made: {error.message}")
    except engine.IndexUnavailable as error:
        return plain(503, str(error))
    response = HttpResponse(
        comparisons.csv_text(comparison), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="newsroom-comparison.csv"'
    return response


def plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
