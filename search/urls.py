from django.urls import path

from search.web import (
    alert_views,
    api,
    api_alerts,
    api_desk,
    batch_views,
    compare_views,
    distinctive_views,
    export_views,
    views,
)

app_name = "search"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("articles/<int:article_id>/", views.article_page, name="article"),
    path("articles/<int:article_id>/cite.ris", export_views.article_ris, name="article-ris"),
    path("articles/<int:article_id>/original.pdf", views.article_original, name="article-original"),
    path("export.<str:file_format>", export_views.export_search, name="export"),
    path("distinctive/", distinctive_views.distinctive_page, name="distinctive"),
    path("articles/<int:article_id>/versions/", views.article_versions, name="article-versions"),
    path("saved/", views.saved_search_list, name="saved-list"),
    path("saved/new/", views.save_search, name="save"),
    path("s/<slug:slug>/", views.saved_search_open, name="saved-search"),
    path("s/<slug:slug>/feed/", views.saved_search_feed, name="saved-search-feed"),
    path("s/<slug:slug>/count/", views.saved_search_count, name="saved-search-count"),
    path("alerts/", alert_views.alerts_page, name="alerts"),
    path("alerts/new/", alert_views.alert_new, name="alert-new"),
    path("alerts/<int:alert_id>/", alert_views.alert_change, name="alert-change"),
    path(
        "alerts/unsubscribe/<str:token>/",
        alert_views.alert_unsubscribe,
        name="alert-unsubscribe",
    ),
    path("api/alerts", api_alerts.alerts_api, name="api-alerts"),
    path("batch/", batch_views.batch_list, name="batch-list"),
    path("batch/<int:batch_id>/", batch_views.batch_page, name="batch"),
    path("batch/<int:batch_id>/again/", batch_views.batch_again, name="batch-again"),
    path(
        "batch/<int:batch_id>.<str:file_format>",
        batch_views.batch_download,
        name="batch-download",
    ),
    path("compare/", compare_views.compare_page, name="compare"),
    path("compare.csv", compare_views.compare_csv, name="compare-csv"),
    path("api/batch", api_desk.batch_create_api, name="api-batch-create"),
    path("api/batch/<int:batch_id>", api_desk.batch_api, name="api-batch"),
    path("api/compare", api_desk.compare_api, name="api-compare"),
    path("api/search", api.search_api, name="api-search"),
    path("api/articles/<int:article_id>", api.article_api, name="api-article"),
    path("api/openapi.json", api.openapi_document, name="openapi"),
    path("api/<path:rest>", api.not_found_api),
    path("healthz", views.healthz, name="healthz"),
]
