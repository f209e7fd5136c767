"""Send the alert mails that are due: for cron or a systemd timer every minute or few, and run
in a loop by ``python3 dev.py serve`` (``--every 60``). See docs/alerts.md."""

import logging
import os
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections
from django.utils import timezone

from search.desk.alert_runs import run_due

logger = logging.getLogger("search.alerts")


class Command(BaseCommand):
    help = "Send the alert mails that are due (new matches of saved searches), once or in a loop."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Run again this many seconds after each run, until stopped or until the "
            "process that started it ends (0: run once).",
        )

    def handle(self, *args, every: int = 0, **options):
        parent = os.getppid()
        while True:
            try:
                self.run_once(verbose=not every or options["verbosity"] > 1)
            except DatabaseError as error:
                if not every:
                    raise
                # The loop outlives a database that is down or busy a while; the next run retries.
                logger.warning(
                    "send_alerts: the database did not answer (%s)", type(error).__name__
                )
            except Exception:
                if not every:
                    raise
                # A bug of ours: logged with its traceback; the loop (dev.py serve) goes on.
                logger.exception("send_alerts: the run failed")
            if not every:
                return
            connections.close_all()  # hold no database file open while waiting (run_batches)
            for _ in range(every):
                time.sleep(1)
                if os.getppid() != parent:  # the server that started the loop is gone
                    return

    def run_once(self, *, verbose: bool) -> None:
        report = run_due(now=timezone.now())
        for problem in report.problems:
            logger.warning("send_alerts: %s", problem)
        if report.skipped_busy:
            self.stdout.write("Another send_alerts run is in progress: nothing done.")
        elif verbose or report.sent or report.given_up:
            given_up = f", {report.given_up} given up" if report.given_up else ""
            self.stdout.write(
                f"Checked {report.checked} alerts, sent {report.sent} mails, "
                f"{report.waiting} waiting for the SMTP server{given_up}."
            )
