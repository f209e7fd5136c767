"""Labels and notes in the admin: editors rename a label (its name, address and colour), merge
labels into one, and delete labels and notes (search.desk.triage)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count

from search.desk import triage
from search.models import Label, Note


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "colour", "article_count", "created_by", "created")
    search_fields = ("name", "slug")
    fields = ("name", "slug", "colour")
    actions = ["merge_labels"]

    def has_add_permission(self, request) -> bool:
        return False  # readers make labels by using them

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="Articles", ordering="article_count")
    def article_count(self, label) -> int:
        return label.article_count

    @admin.action(description="Merge the selected labels into the oldest of them")
    def merge_labels(self, request, queryset) -> None:
        labels = list(queryset.order_by("created", "id"))
        if len(labels) < 2:
            self.message_user(request, "Select two labels or more to merge.", messages.WARNING)
            return
        survivor = triage.labels_merge(into=labels[0], others=labels[1:], user=request.user)
        self.message_user(
            request, f"Merged {len(labels) - 1} label(s) into “{survivor.name}”.", messages.SUCCESS
        )


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("article", "author", "shared", "created")
    list_filter = ("shared",)
    search_fields = ("text", "author__username")
    readonly_fields = ("article", "author", "text", "shared", "created", "updated")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # only its author edits a note; editors delete
