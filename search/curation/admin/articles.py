"""Articles in the admin: metadata edits remembered as manual, cleaning review, bulk actions,
uploads and re-tagging. The work is done by ``search.curation.services``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from search.curation import selectors, services
from search.curation.admin.forms import ArticleForm, CleaningDecisionForm, UploadForm
from search.curation.admin.stories import StoryAdminMixin, with_story_sizes
from search.ingest.taxonomy import Taxonomy
from search.models import Article

RETAG_PREVIEW_ROWS = 200


class MissingMetadataFilter(admin.SimpleListFilter):
    title = "missing metadata"
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return [("date", "Has no date"), ("ministers", "No ministers"), ("topics", "No topics")]

    def queryset(self, request, queryset):
        lookups = {
            "date": {"published__isnull": True},
            "ministers": {"ministers__isnull": True},
            "topics": {"topics__isnull": True},
        }
        if self.value() in lookups:
            return queryset.filter(**lookups[self.value()])
        return queryset


@admin.register(Article)
class ArticleAdmin(StoryAdminMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "published",
        "year",
        "minister_names",
        "topic_names",
        "status",
        "source_display",
        "story_display",
    ]
    list_filter = [
        "status",
        "year",
        MissingMetadataFilter,
        "ministers",
        "topics",
        *StoryAdminMixin.story_list_filters,
    ]
    search_fields = ["title", "body"]
    date_hierarchy = "published"
    autocomplete_fields = ["ministers", "topics"]
    list_per_page = 50
    readonly_fields = ["set_by_hand", "source_display", "source_key", "year", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "body", "published", "ministers", "topics", "status"]}),
        ("Set by hand", {"fields": ["set_by_hand", "return_to_automatic"]}),
        ("Source", {"fields": ["source_display", "source_key", "year", "created", "updated"]}),
    ]
    actions = ["reclean", "reextract", "publish", "hide", "reindex", *StoryAdminMixin.story_actions]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).prefetch_related("ministers", "topics")
        return with_story_sizes(queryset)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Articles come in through the import pipeline only: see the upload view.
        return False

    @admin.display(description="Ministers")
    def minister_names(self, article: Article) -> str:
        return ", ".join(minister.name for minister in article.ministers.all())

    @admin.display(description="Topics")
    def topic_names(self, article: Article) -> str:
        return ", ".join(topic.label for topic in article.topics.all())

    @admin.display(description="Source", ordering="source_key")
    def source_display(self, article: Article) -> str:
        # Imports do not check URLs: link only web addresses, never javascript: and the like.
        if article.source_url.lower().startswith(("http://", "https://")):
            return format_html('<a href="{}">{}</a>', article.source_url, article.source_key)
        return article.source

    @admin.display(description="Fields set by hand")
    def set_by_hand(self, article: Article) -> str:
        return ", ".join(article.manual_fields) or "none: every field comes from the text"

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if change:
            edited = selectors.article_edited_fields(article_id=obj.pk, submitted=form.cleaned_data)
            obj.manual_fields = sorted(set(obj.manual_fields) | edited)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        returned = form.cleaned_data.get("return_to_automatic") or []
        if returned:
            services.article_return_to_automatic(article=form.instance, fields=returned)
            self.message_user(request, f"Back to automatic: {', '.join(returned)}.")

    # --- actions ------------------------------------------------------------------------------

    @admin.action(description="Re-clean from the raw input", permissions=["change"])
    def reclean(self, request, queryset) -> None:
        count = services.articles_reclean(articles=queryset)
        self.message_user(request, f"Re-cleaned {count} articles (fields set by hand kept).")

    @admin.action(
        description="Re-extract metadata (fields set by hand kept)", permissions=["change"]
    )
    def reextract(self, request, queryset) -> None:
        count = services.articles_reextract(articles=queryset)
        self.message_user(request, f"Re-extracted the metadata of {count} articles.")

    @admin.action(description="Publish", permissions=["change"])
    def publish(self, request, queryset) -> None:
        count = services.articles_set_status(
            article_ids=queryset.values_list("pk", flat=True), status=Article.Status.PUBLISHED
        )
        self.message_user(request, f"Published {count} articles.")

    @admin.action(description="Hide from the public search", permissions=["change"])
    def hide(self, request, queryset) -> None:
        count = services.articles_set_status(
            article_ids=queryset.values_list("pk", flat=True), status=Article.Status.HIDDEN
        )
        self.message_user(request, f"Hid {count} articles.")

    @admin.action(description="Reindex", permissions=["change"])
    def reindex(self, request, queryset) -> None:
        count = services.articles_reindex(article_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"Queued {count} articles for the index.")

    # --- extra views --------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="search_article_upload"),
            path("retag/", view(self.retag_view), name="search_article_retag"),
            path(
                "<path:object_id>/cleaning/",
                view(self.cleaning_view),
                name="search_article_cleaning",
            ),
            *super().get_urls(),
        ]

    def page_context(self, request: HttpRequest, title: str, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            **context,
        }

    def cleaning_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such article.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        if request.method == "POST":
            return self.decide_cleaning(request, article)
        context = self.page_context(
            request,
            f"Cleaning of “{article.title}”",
            original=article,
            review=selectors.article_cleaning_review(article=article),
            can_change=self.has_change_permission(request, article),
        )
        return TemplateResponse(request, "admin/search/article/cleaning_review.html", context)

    def decide_cleaning(self, request: HttpRequest, article: Article) -> HttpResponse:
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        form = CleaningDecisionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose a line and a decision.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        line, decision = form.cleaned_data["line"], form.cleaned_data["decision"]
        services.article_decide_cleaning(article=article, line=line, decision=decision)
        self.message_user(request, f"Re-cleaned with your decision ({decision}).")
        if "body" in article.manual_fields:
            self.message_user(
                request,
                "The body is set by hand, so re-cleaning left it as it is; return the body to "
                "automatic on the article page to apply the cleaning.",
                messages.WARNING,
            )
        return HttpResponseRedirect(request.path)

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("search.add_article"):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = services.articles_upload(files=form.cleaned_data["files"])
            level = messages.WARNING if report.failed else messages.SUCCESS
            self.message_user(request, f"Upload finished: {report.summary()}.", level)
        context = self.page_context(request, "Upload articles", form=form, report=report)
        return TemplateResponse(request, "admin/search/article/upload.html", context)

    def retag_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            count = services.articles_retag()
            self.message_user(request, f"Re-tagged {count} articles.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:search_article_changelist"))
        changes = list(selectors.retag_changes(taxonomy=Taxonomy.load()))
        context = self.page_context(
            request,
            "Re-tag articles with the current names and keywords",
            changes=changes[:RETAG_PREVIEW_ROWS],
            change_count=len(changes),
        )
        return TemplateResponse(request, "admin/search/article/retag.html", context)
