"""Top-level URLs: the admin and the search app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("search.accounts.urls")),
    path("", include("search.urls")),
]
# A database that cannot answer is a 503 even when it fails outside a view
# (search.operations.unavailable).
handler500 = "search.operations.unavailable.server_error"
