"""Top-level URLs: the admin and the search app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("search.account_urls")),
    path("", include("search.urls")),
]
# A database that cannot answer is a 503 even when it fails outside a view (search.unavailable).
handler500 = "search.unavailable.server_error"
