from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Newsroom archive"

    def ready(self) -> None:
        import search.curation.admin  # noqa: F401  (registers the editors' admin pages)
        import search.signals  # noqa: F401  (connects the index-sync receivers)
        from search import engine

        engine.check_installation()  # refuse to start on a library the engine cannot use
