from django.apps import AppConfig
from django.conf import settings


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Newsroom archive"

    def ready(self) -> None:
        from search import signals  # noqa: F401  (connects the index-sync receivers)

        if getattr(settings, "SEARCH_ENGINE", "whoosh") == "whoosh":
            from search.engine.whoosh.internals import check_whoosh_version

            check_whoosh_version()
