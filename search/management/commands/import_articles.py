import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.ingest.importing import import_paths
from search.ingest.sources import count_documents, find_input_files
from search.management.commands._progress import progress_bar


class Command(BaseCommand):
    help = "Import articles from .txt, .html/.htm and .jsonl files and folders (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="Files or folders to import.")
        parser.add_argument(
            "--processes",
            "--procs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes that clean the documents (default: one a CPU core).",
        )

    def handle(self, *args, paths: list[Path], verbosity: int, processes: int | None, **options):
        report = run_import(
            paths, verbosity=verbosity, stdout=self.stdout, style=self.style, processes=processes
        )
        if report.failed and not (report.imported or report.updated or report.unchanged):
            raise CommandError("Nothing was imported: see the reasons above.")


def run_import(paths, *, verbosity, stdout, style, processes=None):
    """Import with a progress bar, then the summary and one line per failed file."""
    from search.operations import index_sync

    files = [found for found in find_input_files(paths) if isinstance(found, Path)]
    bar = progress_bar(
        total=count_documents(files), unit="article", verbosity=verbosity, description="Importing"
    )
    with bar, index_sync.background_indexing():
        report = import_paths(paths, on_document=lambda name: bar.update(1), processes=processes)
    for problem in report.failed:
        stdout.write(style.WARNING(f"skipped {problem.name}: {problem.reason}"))
    stdout.write(style.SUCCESS(f"Import finished: {report.summary()}."))
    return report
