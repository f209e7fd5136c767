"""Ministers and topics in the admin: names, aliases and keyword rules; merging ministers; an
offer to re-tag the archive after a rule changed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from search.curation import services
from search.curation.admin.forms import MergeMinistersForm, MinisterForm, TopicForm
from search.models import Minister, Topic


class TaxonomyAdmin(admin.ModelAdmin):
    """What ministers and topics share: article counts, safe deletes, the re-tag offer."""

    rule_fields: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, entry) -> int:
        return entry.article_count

    def offer_retag(self, request) -> None:
        url = reverse("admin:search_article_retag")
        self.message_user(
            request,
            format_html(
                'Names or keywords changed. <a href="{}">Preview and re-tag the articles</a> '
                "(tags set by hand are kept).",
                url,
            ),
            messages.INFO,
        )

    def save_model(self, request, obj, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if set(self.rule_fields) & set(form.changed_data):
            self.offer_retag(request)

    def delete_model(self, request, obj) -> None:
        services.taxonomy_entries_delete(entries=[obj])

    def delete_queryset(self, request, queryset) -> None:
        services.taxonomy_entries_delete(entries=list(queryset))


@admin.register(Minister)
class MinisterAdmin(TaxonomyAdmin):
    form = MinisterForm
    rule_fields = ("name", "aliases")
    list_display = ["name", "slug", "country", "office", "alias_list", "article_count"]
    list_filter = ["country", "office"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["former_slug_list"]
    actions = ["merge_ministers"]

    @admin.display(description="Aliases")
    def alias_list(self, minister: Minister) -> str:
        return ", ".join(minister.aliases)

    @admin.display(description="Former slugs (saved links with them lead here)")
    def former_slug_list(self, minister: Minister) -> str:
        return ", ".join(minister.former_slugs.values_list("slug", flat=True)) or "none"

    def save_model(self, request, obj: Minister, form, change: bool) -> None:
        old_slug = form.initial.get("slug") if change else None
        super().save_model(request, obj, form, change)
        if old_slug and old_slug != obj.slug:
            services.minister_slug_changed(minister=obj, old_slug=old_slug)

    @admin.action(description="Merge the selected ministers into one…", permissions=["change"])
    def merge_ministers(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select at least two ministers to merge.", messages.ERROR)
            return None
        form = MergeMinistersForm(
            request.POST if "survivor" in request.POST else None, ministers=queryset
        )
        if form.is_valid():
            survivor = form.cleaned_data["survivor"]
            merged = list(queryset.exclude(pk=survivor.pk))
            moved = services.ministers_merge(survivor=survivor, merged=merged)
            names = ", ".join(minister.name for minister in merged)
            self.message_user(
                request,
                f"Merged {names} into {survivor.name} ({moved} articles).",
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge ministers",
            "form": form,
            "ministers": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/search/minister/merge.html", context)


@admin.register(Topic)
class TopicAdmin(TaxonomyAdmin):
    form = TopicForm
    rule_fields = ("keywords",)
    list_display = ["label", "slug", "keyword_list", "article_count"]
    search_fields = ["label", "slug"]
    prepopulated_fields = {"slug": ["label"]}

    @admin.display(description="Keywords")
    def keyword_list(self, topic: Topic) -> str:
        return ", ".join(topic.keywords)

    def save_model(self, request, obj: Topic, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            services.topic_slug_changed(topic=obj)
