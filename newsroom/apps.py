from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself, installed for its production checks only."""

    name = "newsroom"
    verbose_name = "Newsroom project"

    def ready(self) -> None:
        from newsroom import checks  # noqa: F401  (registers the deploy checks)
