import sys

from django.core.management.base import BaseCommand

from search.operations import index_sync


class Command(BaseCommand):
    help = (
        "Apply the index queue in full batches until standard input closes, then the rest "
        "(an import starts this itself; see index_sync.BackgroundIndexer)."
    )

    def handle(self, *args, **options):
        index_sync.work_until_closed(sys.stdin)
