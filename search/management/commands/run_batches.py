import os
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections

from search.desk import batches, triage


class Command(BaseCommand):
    help = (
        "Run the batch searches and large label actions waiting (and those a dead runner left "
        "half done). With --once, "
        "those waiting now, then exit; else keep watching (dev.py serve starts it so)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what waits now, then exit")
        parser.add_argument(
            "--parent-pid",
            type=int,
            help="exit when this process is gone (the server that started this runner)",
        )
        parser.add_argument("--poll-seconds", type=float, default=1.0)
        parser.add_argument(
            "--nice",
            type=int,
            default=10,
            help="lower this runner's CPU priority by this much: readers' searches come first",
        )

    def handle(self, *args, once=False, parent_pid=None, poll_seconds=1.0, nice=10, **options):
        if once:
            ran = batches.run_waiting_batches()
            triage.run_waiting_actions()
            self.stdout.write(f"{ran} batch{'es' if ran != 1 else ''} run")
            return
        if nice:
            os.nice(nice)
        while parent_pid is None or os.getppid() == parent_pid:
            close_old_connections()
            # Label actions on more than triage.BACKGROUND_FROM articles wait for this runner too.
            if not batches.run_waiting_batches() + triage.run_waiting_actions():
                # Idle: hold no database files open while waiting (an open SQLite connection
                # keeps its WAL files open, which stops the data dir being remounted
                # read-only and an operator's exclusive lock).
                connections.close_all()
                time.sleep(poll_seconds)
