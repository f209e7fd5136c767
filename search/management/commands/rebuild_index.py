import os

from django.core.management.base import BaseCommand, CommandError

from search import engine
from search.management.commands._progress import progress_bar
from search.operations import index_sync


class Command(BaseCommand):
    help = (
        "Build a fresh search index from the database beside the live one and swap it in "
        "atomically; searches keep answering meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--procs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="Indexing processes (default: up to 2).",
        )

    def handle(self, *args, procs: int, verbosity: int, **options):
        total = index_sync.public_articles().count()
        bar = progress_bar(total=total, unit="article", verbosity=verbosity, description="Indexing")
        try:
            with bar:
                count = index_sync.rebuild_index(on_document=lambda: bar.update(1), procs=procs)
        except engine.IndexBusy as error:
            raise CommandError(f"{error}. Another writer holds the index; try again.") from error
        if verbosity:  # -v0: silent unless it fails
            self.stdout.write(self.style.SUCCESS(f"Rebuilt the search index: {count} articles."))
