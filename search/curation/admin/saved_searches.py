"""Saved searches: editors name them and pick the featured ones the search page shows."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from search.curation.admin.forms import SavedSearchForm
from search.models import SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Anyone may save a search, so editors clear spam here: search for a word of it (or a
    client key), select all, and delete them, or every save from the same clients."""

    form = SavedSearchForm
    list_display = [
        "name",
        "slug",
        "query_string",
        "featured",
        "owner",
        "visibility",
        "created",
        "same_client_link",
        "open_link",
    ]
    list_editable = ["featured"]
    list_filter = ["featured", "visibility", "created"]
    date_hierarchy = "created"
    search_fields = ["name", "slug", "query_string", "=client"]
    readonly_fields = ["client"]
    raw_id_fields = ["owner"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["feature", "unfeature", "delete_from_same_clients"]
    list_per_page = 100

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

    @admin.display(description="Client")
    def same_client_link(self, saved: SavedSearch) -> str:
        if not saved.client:
            return "—"
        url = reverse("admin:search_savedsearch_changelist")
        return format_html(
            '<a href="{}?q={}" title="Every save from this client">{}…</a>',
            url,
            saved.client,
            saved.client[:8],
        )

    @admin.action(
        description="Delete these and every other save from the same clients",
        permissions=["delete"],
    )
    def delete_from_same_clients(self, request, queryset) -> None:
        clients = {client for client in queryset.values_list("client", flat=True) if client}
        spam = SavedSearch.objects.filter(
            pk__in=queryset.values("pk")
        ) | SavedSearch.objects.filter(client__in=clients)
        count, _ = spam.delete()
        clients_text = f"{len(clients)} client{'s' if len(clients) != 1 else ''}"
        self.message_user(request, f"{count} saved searches deleted, from {clients_text}.")
