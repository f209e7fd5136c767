"""Batch search pages: the form and the user's batches, one batch's table with its progress
(polled by htmx while it runs), its downloads, and "run again"."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from search.desk import batch_tables, batches
from search.models import BatchSearch, Minister, Topic
from search.query import InvalidParameter

BATCHES_LISTED = 50
MAX_UPLOAD_BYTES = 2 * 2**20


@login_required
@require_http_methods(["GET", "POST"])
def batch_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            batch = batches.batch_create(
                user=request.user,
                queries=uploaded_queries(request),
                filters=batches.batch_filters(request.POST),
                name=request.POST.get("name", ""),
            )
        except batches.BatchProblem as error:
            return batch_form(request, problem=str(error), status=400)
        except InvalidParameter as error:
            return batch_form(request, problem=error.message, status=400)
        return redirect("search:batch", batch_id=batch.pk)
    return batch_form(request)


def uploaded_queries(request: HttpRequest) -> list[dict[str, str]]:
    upload = request.FILES.get("file")
    if upload is None:
        return batches.read_queries(text=request.POST.get("queries", ""))
    if upload.size > MAX_UPLOAD_BYTES:
        raise batches.BatchProblem("The file is larger than 2 MB: a batch holds 1,000 queries.")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise batches.BatchProblem("The file is not UTF-8 text: save it as UTF-8.") from None
    if upload.name.lower().endswith(".csv"):
        return batches.read_queries(csv_text=text)
    return batches.read_queries(text=text)


def batch_form(request: HttpRequest, *, problem: str = "", status: int = 200) -> HttpResponse:
    context = {
        "problem": problem,
        "posted": request.POST,
        "ministers": Minister.objects.values_list("slug", "name"),
        "topics": Topic.objects.values_list("slug", "label"),
        "batches": BatchSearch.objects.filter(user=request.user).defer("rows")[:BATCHES_LISTED],
        "most_queries": batches.MAX_QUERIES,
    }
    return render(request, "search/batch_list.html", context, status=status)


def users_batch(request: HttpRequest, batch_id: int) -> BatchSearch:
    batch = BatchSearch.objects.select_related("previous").filter(pk=batch_id).first()
    if batch is None or batch.user_id != request.user.pk:
        raise Http404("You have no batch with that number.")
    return batch


@login_required
@require_GET
@vary_on_headers("HX-Request")
def batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = users_batch(request, batch_id)
    order = batch_tables.BatchOrder.from_params(request.GET)
    rows = batch_tables.with_changes(batch)
    columns = batch_tables.columns(batch, rows, order)
    context = {
        "batch": batch,
        "order": order,
        "columns": columns,
        "rows": batch_tables.table_rows(batch_tables.sorted_rows(rows, order), columns),
        "filters": batches.stored_filters(batch),
        "empty_first_params": order.params(empty="" if order.empty_first else "first"),
    }
    template = "search/batch.html#state" if request.htmx else "search/batch.html"
    return render(request, template, context)


@login_required
@require_GET
def batch_download(request: HttpRequest, batch_id: int, file_format: str) -> HttpResponse:
    batch = users_batch(request, batch_id)
    site = request.build_absolute_uri("/").rstrip("/")
    if file_format == "csv":
        body, content_type = batch_tables.csv_text(batch, site), "text/csv; charset=utf-8"
    elif file_format == "json":
        payload = {"id": batch.pk, "status": batch_status(batch)}
        payload["rows"] = batch_tables.json_rows(batch, site)
        body, content_type = json.dumps(payload, ensure_ascii=False, indent=1), "application/json"
    else:
        raise Http404(f"There is no download as {file_format!r}.")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="newsroom-batch-{batch.pk}.{file_format}"'
    )
    return response


def batch_status(batch: BatchSearch) -> str:
    """What the API says: "running" until every row is in (queued counts as running)."""
    return "done" if batch.status == BatchSearch.Status.DONE else "running"


@login_required
@require_POST
def batch_again(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = users_batch(request, batch_id)
    try:
        again = batches.batch_run_again(batch=batch)
    except batches.BatchProblem as error:
        messages.error(request, str(error))
        return redirect(reverse("search:batch", args=[batch.pk]))
    messages.info(request, "Running the batch again: the Change column compares the matches.")
    return redirect(reverse("search:batch", args=[again.pk]))
