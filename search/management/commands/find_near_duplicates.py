from django.core.management.base import BaseCommand

from search.stories import clusters


class Command(BaseCommand):
    help = (
        "Place every article not yet placed into its story's cluster of near-duplicates "
        "(imports do this as they go; run it once for an archive imported before)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--again",
            action="store_true",
            help="Forget the detector's clusters and find them all again; an editor's "
            "splits and joins stay.",
        )

    def handle(self, *args, again: bool, **options):
        count = clusters.place_archive(again=again)
        self.stdout.write(self.style.SUCCESS(f"Looked for other versions of {count} articles."))
