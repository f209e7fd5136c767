"""HTML pages (the browser search UI is built on the same selectors as the JSON API)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from search import selectors


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Newsroom search: the browser UI is coming; use /api/search meanwhile.")


@require_GET
def article_page(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.public_article(article_id, include_hidden=request.user.is_staff)
    if article is None:
        raise Http404("No such article.")
    return HttpResponse(article.title)
