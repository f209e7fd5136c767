from django.core.management.base import BaseCommand, CommandError

from search import engine
from search.management.commands._progress import progress_bar
from search.operations import index_sync


class Command(BaseCommand):
    help = "Report articles missing from, stale in, or extra in the search index; --repair fixes."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Fix what is found.")

    def handle(self, *args, repair: bool, verbosity: int, **options):
        report = index_sync.check_index()
        if report.unavailable:
            self.stdout.write(self.style.WARNING(report.unavailable))
        else:
            for label, ids in (
                ("missing", report.missing),
                ("stale", report.stale),
                ("extra", report.extra),
            ):
                shown = ", ".join(map(str, ids[:20])) + (" …" if len(ids) > 20 else "")
                self.stdout.write(f"{label}: {len(ids)}" + (f" ({shown})" if ids else ""))
            self.stdout.write(f"pending changes: {report.pending}")
        if report.healthy:
            self.stdout.write(self.style.SUCCESS("The search index matches the database."))
            return
        if not repair:
            raise CommandError("The index is out of step: run check_index --repair.")
        total = index_sync.public_articles().count() if report.unavailable else None
        bar = progress_bar(
            total=total, unit="article", verbosity=verbosity, description="Repairing"
        )
        try:
            with bar:
                done = index_sync.repair_index(report, on_document=lambda: bar.update(1))
        except engine.IndexBusy as error:
            raise CommandError(f"{error}. Try again when the other writer is done.") from error
        self.stdout.write(self.style.SUCCESS(f"Repaired: {done}."))
