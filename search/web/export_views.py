"""Downloads: the current search as a file (CSV, JSON Lines, RIS) and one article's RIS."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from search import engine, selectors
from search.accounts.clients import request_client_key
from search.conf import get_setting
from search.desk import exports, triage
from search.desk.citations import ris_record
from search.desk.export_limits import TooManyExports, export_allowance_use
from search.query import InvalidParameter, SearchQuery

EXPORT_NOTICE_HEADER = "Newsroom-Export-Notice"


def plain(status: int, message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_GET
def export_search(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in exports.FORMATS:
        raise Http404(f"There is no export as {file_format!r}.")
    try:
        search_query = triage.for_reader(SearchQuery.from_params(request.GET), request.user)
        export_allowance_use(client=request_client_key(request))
        export = exports.start_export(
            search_query=search_query,
            file_format=file_format,
            cap=get_setting("EXPORT_MAX_ARTICLES"),
            site_url=request.build_absolute_uri("/"),
            reader=request.user,
            with_notes=request.GET.get("notes") == "1" and request.user.is_authenticated,
        )
    except InvalidParameter as error:
        return plain(400, f"This search cannot be exported: {error.message}.")
    except TooManyExports as error:
        response = plain(429, error.message)
        response["Retry-After"] = str(error.retry_after_seconds)
        return response
    except engine.IndexUnavailable as error:
        return plain(503, str(error))
    response = StreamingHttpResponse(
        export.chunks(), content_type=export.export_format.content_type
    )
    filename = export.filename(timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    if export.capped:
        response[EXPORT_NOTICE_HEADER] = exports.cap_notice(total=export.total, cap=export.cap)
    return response


@require_GET
def article_ris(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.public_article(article_id, include_hidden=request.user.is_staff)
    if article is None:
        raise Http404("There is no public article with that number.")
    response = HttpResponse(
        ris_record(exports.cited(article, site_url=request.build_absolute_uri("/"))),
        content_type="application/x-research-info-systems",
    )
    response["Content-Disposition"] = f'attachment; filename="newsroom-article-{article.pk}.ris"'
    return response
