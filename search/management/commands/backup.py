from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.operations.backups import BackupError, archive_backup


class Command(BaseCommand):
    help = (
        "Write a consistent backup of the archive (database, uploads, manifest of counts and "
        "checksums) into a new folder, while the app keeps serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a new (or empty) folder for the backup")

    def handle(self, *args, destination: str, **options):
        try:
            manifest = archive_backup(destination=Path(destination))
        except BackupError as error:
            raise CommandError(str(error)) from error
        articles = manifest["counts"].get("search.article", 0)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {articles} articles and {len(manifest['files'])} files into "
                f"{destination} (counts and checksums in its manifest.json)."
            )
        )
