"""Saved searches: editors name them and pick the featured ones the search page shows."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from search.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "query_string", "featured", "created", "open_link"]
    list_editable = ["featured"]
    list_filter = ["featured"]
    search_fields = ["name", "slug", "query_string"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["feature", "unfeature"]

    @admin.display(description="Open")
    def open_link(self, saved: SavedSearch) -> str:
        url = reverse("search:search")
        query = saved.query_string.lstrip("?")
        return format_html('<a href="{}">search</a>', f"{url}?{query}" if query else url)

    @admin.action(description="Feature on the search page", permissions=["change"])
    def feature(self, request, queryset) -> None:
        count = queryset.update(featured=True)
        self.message_user(request, f"{count} saved searches featured.")

    @admin.action(description="Stop featuring", permissions=["change"])
    def unfeature(self, request, queryset) -> None:
        count = queryset.update(featured=False)
        self.message_user(request, f"{count} saved searches no longer featured.")
