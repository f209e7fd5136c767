from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Newsroom archive"

    def ready(self) -> None:
        from search import engine, signals  # signals: connects the index-sync receivers

        del signals
        engine.check_installation()  # refuse to start on a library the engine cannot use
