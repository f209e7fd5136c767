from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.operations.backups import BackupError, archive_restore


class Command(BaseCommand):
    help = (
        "Restore a backup (made by `manage.py backup`) into an empty data directory, rebuild "
        "the search index, and check every count against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the backup folder")

    def handle(self, *args, source: str, **options):
        try:
            counts = archive_restore(source=Path(source))
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {counts.get('search.article', 0)} articles from {source}; the index "
                "is rebuilt and every count matches the backup's manifest."
            )
        )
