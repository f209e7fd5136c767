from django.core.management.base import BaseCommand, CommandError

from search import engine
from search.operations import index_sync


class Command(BaseCommand):
    help = "Apply index changes still pending (after a lock timeout or a crash)."

    def handle(self, *args, **options):
        try:
            count = index_sync.process_pending()
        except engine.IndexUnavailable as error:
            raise CommandError(str(error)) from error
        except engine.IndexBusy as error:
            raise CommandError(f"{error}; try again.") from error
        self.stdout.write(self.style.SUCCESS(f"Applied pending changes for {count} articles."))
