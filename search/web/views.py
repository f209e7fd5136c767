"""HTML pages, built on the same selectors as the JSON API.

The URL query string is the search state, so every page works with JavaScript off; with it on,
htmx asks the same URLs for just the results region (the ``results`` partial of the search
template) and swaps it in place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from search import engine, selectors
from search.accounts.access import is_private
from search.accounts.clients import request_client_key
from search.accounts.feed_tokens import accepts_feed_token, feed_token_for
from search.desk import exports, triage
from search.desk.citations import formatted_citation
from search.desk.feeds import SavedSearchFeed
from search.desk.saved_search_access import (
    LISTED,
    listed_saved_searches,
    visibility_choices,
    visible_saved_search,
)
from search.desk.saved_searches import (
    TooManySaves,
    count_summary,
    describe,
    saved_search_create,
    search_query_from_string,
    summarise,
)
from search.ingest import originals
from search.links import saved_search_url, search_url
from search.models import SavedSearch
from search.operations import health
from search.operations.unavailable import RETRY_AFTER_SECONDS
from search.query import DEFAULT_PER_PAGE, InvalidParameter, PageOutOfRange, SearchQuery
from search.web import highlighting, pages, story_pages, triage_pages
from search.web.forms import OwnedSaveSearchForm, SaveSearchForm

FEATURED_SHOWN = 8
SAVED_PER_PAGE = 50


@dataclass(frozen=True)
class PageProblem:
    """Why a search could not be shown, said so a reader can act on it."""

    status: int
    title: str
    message: str


@require_safe
@vary_on_headers("HX-Request", "HX-History-Restore-Request")
def search_page(request: HttpRequest) -> HttpResponse:
    if not request.htmx and empty_dates_sent(request):
        # The filter form (JavaScript off) sends its date inputs even when empty: show the
        # address without them, as htmx's pushed URL does.
        return redirect(without_dates_url(request, only_empty=True))
    context = search_context(request)
    status = context["problem"].status if context["problem"] else 200
    if request.htmx and not request.htmx.history_restore_request:
        context["swap"] = True  # the partial adds the page title and the status line for htmx
        response = render(request, "search/search.html#results", context, status=status)
        # The address bar shows the canonical URL of the state, whatever the form sent.
        response = push_url(response, context["canonical_url"])
    else:
        response = render(request, "search/search.html", context, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def search_context(request: HttpRequest) -> dict:
    try:
        search_query = SearchQuery.from_params(request.GET)
    except InvalidParameter as error:
        problem = PageProblem(400, "That search has a mistake in it", capitalised(error.message))
        return {
            **base_context(SearchQuery(q=request.GET.get("q", ""))),
            "canonical_url": request.get_full_path(),
            "problem": problem,
            "without_dates_url": without_dates_url(request) if error.name in DATES else None,
        }
    context = {**base_context(search_query), "canonical_url": search_url(search_query)}
    try:
        found = selectors.run_search(
            triage.for_reader(search_query, request.user), tags_on_articles=False
        )
        page = triage.without_hidden_facets(found, request.user)
    except PageOutOfRange as error:
        problem = PageProblem(404, "There is no such page", capitalised(error.message))
        first_page_url = search_url(search_query.with_page(1))
        return {**context, "problem": problem, "first_page_url": first_page_url}
    except InvalidParameter as error:
        problem = PageProblem(400, "That search has a mistake in it", capitalised(error.message))
        return {**context, "problem": problem}
    except engine.SearchBusy as error:
        problem = PageProblem(503, "Search is busy right now", str(error))
        return {**context, "problem": problem}
    except engine.IndexUnavailable as error:
        problem = PageProblem(503, "Search is unavailable right now", str(error))
        return {**context, "problem": problem}
    shown = pages.results_context(page)
    shown["hits"] = triage_pages.hits_with_triage(shown.get("hits", []), request.user)
    may_label = triage.may_write(request.user)
    return {**context, **shown, "may_label": may_label, "bulk_search": bulk_search(search_query)}


def bulk_search(search_query: SearchQuery) -> str:
    """The search a bulk label action's "all the matches" means: every page of it."""
    return replace(search_query, page=1, per_page=DEFAULT_PER_PAGE).to_query_string()


DATES = {"from", "to"}


def empty_dates_sent(request: HttpRequest) -> bool:
    return any(name in request.GET and not request.GET.get(name) for name in DATES)


def without_dates_url(request: HttpRequest, *, only_empty: bool = False) -> str:
    """The search as asked, less its dates (a way out of a mistaken date range), or less only
    the empty date fields."""
    params = request.GET.copy()
    for name in DATES:
        if not only_empty or not params.get(name):
            params.pop(name, None)
    return with_query_string(reverse("search:search"), params.urlencode())


def base_context(search_query: SearchQuery) -> dict:
    return {
        "query": search_query,
        "problem": None,
        "featured": SavedSearch.objects.filter(featured=True, visibility=LISTED)[:FEATURED_SHOWN],
        "state_inputs": pages.state_inputs(search_query),
        "save_url": with_query_string(
            reverse("search:save"), search_query.with_page(1).to_query_string()
        ),
    }


def with_query_string(path: str, query_string: str) -> str:
    return f"{path}?{query_string}" if query_string else path


def capitalised(message: str) -> str:
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


@require_safe
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.public_article(article_id, include_hidden=request.user.is_staff)
    if article is None:
        raise Http404("There is no public article with that number.")
    try:
        came_from = SearchQuery.from_params(request.GET)
    except InvalidParameter:
        came_from = SearchQuery()  # a mangled link still shows the article
    title_html, *paragraphs = highlighting.highlighted(
        [article.title, *highlighting.paragraphs(article.body)], came_from.q
    )
    context = {
        "article": article,
        "came_from": came_from,
        "back_url": search_url(came_from) if request.GET else None,
        "title_html": title_html,
        # Only web addresses become links (an imported file's path is shown as text).
        "source_link": article.source_url
        if article.source_url.startswith(("https://", "http://"))
        else None,
        "original_url": reverse("search:article-original", args=[article.pk])
        if article.original_sha256
        else None,
        "paragraphs": paragraphs,
        # None when the index cannot be asked: the page says so and shows the article anyway.
        "similar": selectors.similar_articles(article),
        "citation": formatted_citation(
            exports.cited(article, site_url=request.build_absolute_uri("/")),
            accessed=timezone.localdate(),
        ),
        "versions": story_pages.version_rows(article, came_from),
        "triage": triage_pages.article_triage(request.user, article),
    }
    return render(request, "search/article.html", context)


@require_safe
def article_original(request: HttpRequest, article_id: int) -> FileResponse:
    """The article's original PDF, to whoever may see the article (a hidden one: staff only).
    A download, not shown in our pages' origin: the file is the archive's input, not ours."""
    article = selectors.public_article(article_id, include_hidden=request.user.is_staff)
    path = originals.original_path(article.original_sha256) if article else None
    if path is None:
        raise Http404("There is no original file of a public article with that number.")
    name = PurePosixPath(article.source_path).name or f"article-{article.pk}.pdf"
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )


@require_safe
@vary_on_headers("HX-Request")
def article_versions(request: HttpRequest, article_id: int) -> HttpResponse:
    """The other versions of an article's story: the list alone for htmx (expanded under a
    hit), else the article page where they are listed."""
    article = selectors.public_article(article_id)
    if article is None:
        raise Http404("There is no public article with that number.")
    query_string = request.GET.urlencode()
    if not request.htmx:
        url = article.get_absolute_url() + (f"?{query_string}" if query_string else "")
        return HttpResponseRedirect(f"{url}#versions")
    try:
        came_from = SearchQuery.from_params(request.GET)
    except InvalidParameter:
        came_from = SearchQuery()
    context = {"article": article, "versions": story_pages.version_rows(article, came_from)}
    return render(request, "search/versions.html#versions_list", context)


@require_http_methods(["GET", "HEAD", "POST"])
def save_search(request: HttpRequest) -> HttpResponse:
    """GET: ask for a name for the search in the query string. POST: save it."""
    limited = None
    if request.method == "POST":
        form = save_search_form(request, data=request.POST)
        if form.is_valid():
            try:
                saved = saved_search_create(
                    name=form.cleaned_data["name"],
                    search_query=form.cleaned_data["search_query"],
                    client=request_client_key(request),
                    owner=request.user if request.user.is_authenticated else None,
                    visibility=form.cleaned_data.get("visibility", LISTED),
                )
            except TooManySaves as error:
                limited = error
            else:
                short_link = request.build_absolute_uri(saved_search_url(saved))
                messages.success(request, f"Saved “{saved.name}”. Its short link is {short_link}")
                return redirect(f"{reverse('search:saved-list')}#saved-{saved.slug}")
        query_string = request.POST.get("query_string", "")
    else:
        query_string = request.GET.urlencode()
        form = None
    try:
        search_query = search_query_from_string(query_string)
    except InvalidParameter as error:
        search_query, problem = None, f"This search cannot be saved: {error.message}"
    else:
        problem = ""
    description = describe(search_query) if search_query else ""
    if form is None:
        form = save_search_form(
            request, initial={"query_string": query_string, "name": description[:200]}
        )
    context = {
        "form": form,
        "problem": problem,
        "description": description,
        "search_url": search_url(search_query) if search_query else None,
        # Too many saves: the form stays filled in, to send again later.
        "limit_message": limited.message if limited else "",
    }
    if limited:
        response = render(request, "search/save.html", context, status=429)
        response["Retry-After"] = str(limited.retry_after_seconds)
        return response
    status = 400 if problem or form.errors else 200
    return render(request, "search/save.html", context, status=status)


def save_search_form(request: HttpRequest, **kwargs) -> SaveSearchForm:
    """A signed-in user also says who may see the search; an anonymous save is listed."""
    if request.user.is_authenticated:
        choices = visibility_choices(private_mode=is_private())
        return OwnedSaveSearchForm(visibility_choices=choices, **kwargs)
    return SaveSearchForm(**kwargs)


@require_safe
def saved_search_list(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(listed_saved_searches(user=request.user), SAVED_PER_PAGE)
    listing = paginator.get_page(request.GET.get("page"))
    context = {
        "listing": listing,
        "summaries": summarise(list(listing.object_list)),
        # Feed readers cannot sign in: a signed-in user's feed links carry their feed token.
        "feed_token": feed_token_for(user=request.user) if request.user.is_authenticated else "",
    }
    return render(request, "search/saved_list.html", context)


@require_safe
def saved_search_count(request: HttpRequest, slug: str) -> HttpResponse:
    """One saved search's count, asked for by the list (htmx) when it had none kept."""
    saved = visible_saved_search(slug=slug, user=request.user)
    return render(request, "search/saved_list.html#count", {"summary": count_summary(saved)})


@require_safe
def saved_search_open(request: HttpRequest, slug: str) -> HttpResponseRedirect:
    """The stored query string as it is: the search page explains one an editor broke."""
    saved = visible_saved_search(slug=slug, user=request.user)
    return redirect(with_query_string(reverse("search:search"), saved.query_string))


@accepts_feed_token
@require_safe
def saved_search_feed(request: HttpRequest, slug: str) -> HttpResponse:
    visible_saved_search(slug=slug, user=request.user)
    try:
        return SavedSearchFeed()(request, slug=slug)
    except engine.IndexUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe  # load balancers probe with GET or HEAD
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the index answer; 503 naming what does not."""
    report = health.check_health()
    return JsonResponse(report.as_dict(), status=200 if report.healthy else 503)
