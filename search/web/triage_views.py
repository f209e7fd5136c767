"""Pages and forms of triage: star, label and annotate an article, label many at once (with
progress and undo), the labels list and a label's page. Every write is a POST with a CSRF
token; with htmx the article's triage box is swapped in place, without it the form posts and
the browser is sent back (``next``, when it is one of ours)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from search.desk import triage
from search.models import Label, LabelAction
from search.web import triage_pages

LABEL_PAGE_SIZE = 50


def back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return HttpResponseRedirect(target if target and safe else fallback)


def refused(request: HttpRequest, error: triage.TriageRefused) -> HttpResponse:
    context = {"message": error.message, "back_url": request.POST.get("next", "")}
    response = render(request, "triage/refused.html", context, status=error.status)
    if error.retry_after_seconds:
        response["Retry-After"] = str(error.retry_after_seconds)
    return response


def published_article(article_id: int):
    article = triage.visible_articles().filter(pk=article_id).first()
    if article is None:
        raise Http404("There is no public article with that number.")
    return article


def article_answer(request: HttpRequest, article) -> HttpResponse:
    """The triage box again (htmx), or back to the page the form was on."""
    if request.htmx:
        context = {"triage": triage_pages.article_triage(request.user, article)}
        return render(request, "triage/article_triage.html", context)
    return back(request, article.get_absolute_url() + "#triage")


@require_POST
def star_toggle(request: HttpRequest, article_id: int) -> HttpResponse:
    article = published_article(article_id)
    try:
        triage.star_set(
            user=request.user, article=article, starred=request.POST.get("starred") == "1"
        )
    except triage.TriageRefused as error:
        return refused(request, error)
    return article_answer(request, article)


@require_POST
def label_add(request: HttpRequest, article_id: int) -> HttpResponse:
    article = published_article(article_id)
    try:
        triage.require_writer(request.user)
        label = triage.label_named(
            name=request.POST.get("label", ""),
            user=request.user,
            colour=request.POST.get("colour", ""),
        )
        triage.label_add(user=request.user, article=article, label=label)
    except triage.TriageRefused as error:
        return refused(request, error)
    return article_answer(request, article)


@require_POST
def label_remove(request: HttpRequest, article_id: int, slug: str) -> HttpResponse:
    article = published_article(article_id)
    label = get_object_or_404(Label, slug=slug)
    try:
        triage.label_remove(user=request.user, article=article, label=label)
    except triage.TriageRefused as error:
        return refused(request, error)
    return article_answer(request, article)


@require_POST
def note_add(request: HttpRequest, article_id: int) -> HttpResponse:
    article = published_article(article_id)
    try:
        triage.note_create(
            user=request.user,
            article=article,
            text=request.POST.get("text", ""),
            shared=request.POST.get("shared") == "1",
        )
    except triage.TriageRefused as error:
        return refused(request, error)
    return article_answer(request, article)


@require_POST
def note_change(request: HttpRequest, note_id: int) -> HttpResponse:
    note = get_object_or_404(triage.readable_notes(request.user), pk=note_id)
    try:
        if request.POST.get("delete") == "1":
            triage.note_delete(user=request.user, note=note)
        else:
            triage.note_edit(
                user=request.user,
                note=note,
                text=request.POST.get("text", ""),
                shared=request.POST.get("shared") == "1",
            )
    except triage.TriageRefused as error:
        return refused(request, error)
    return article_answer(request, note.article)


@require_safe
def labels_list(request: HttpRequest) -> HttpResponse:
    if not triage.may_read(request.user):
        raise Http404("Labels are shown to signed-in readers.")
    return render(request, "triage/labels.html", {"rows": triage_pages.label_rows()})


@require_safe
def label_page(request: HttpRequest, slug: str) -> HttpResponse:
    if not triage.may_read(request.user):
        raise Http404("Labels are shown to signed-in readers.")
    label = get_object_or_404(Label, slug=slug)
    paginator = Paginator(triage.label_articles(label), LABEL_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "label": triage_pages.chip(label),
        "page": page,
        "search_url": reverse("search:search") + f"?label={label.slug}",
    }
    return render(request, "triage/label.html", context)


@require_POST
def label_action_create(request: HttpRequest) -> HttpResponse:
    """Adds or removes a label on the hits ticked, or on every match of the search."""
    try:
        triage.require_writer(request.user)
        label = triage.label_named(name=request.POST.get("label", ""), user=request.user)
        every_match = request.POST.get("scope") == "all"
        picked = [int(v) for v in request.POST.getlist("article") if v.isdigit()]
        if not every_match and not picked:
            raise triage.TriageRefused("Tick some results first, or choose all the matches.")
        action = triage.label_action_start(
            user=request.user,
            label=label,
            kind="remove" if request.POST.get("kind") == "remove" else "add",
            article_ids=None if every_match else picked,
            query_string=request.POST.get("search", "") if every_match else "",
        )
    except triage.TriageRefused as error:
        return refused(request, error)
    return HttpResponseRedirect(reverse("search:label-action", args=[action.pk]))


@require_safe
@vary_on_headers("HX-Request")
def label_action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(LabelAction, pk=action_id, user_id=request.user.pk or 0)
    context = {"action": action, "back_url": reverse("search:search") + "?" + action.query_string}
    template = "triage/label_action.html"
    return render(request, f"{template}#progress" if request.htmx else template, context)


@require_POST
def label_action_undo(request: HttpRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(LabelAction, pk=action_id, user_id=request.user.pk or 0)
    try:
        triage.label_action_undo(user=request.user, action=action)
    except triage.TriageRefused as error:
        return refused(request, error)
    return HttpResponseRedirect(reverse("search:label-action", args=[action.pk]))
