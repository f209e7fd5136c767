"""Copy an existing SQLite archive into this (PostgreSQL) database, then check the counts.

    DATABASE_URL=postgres://... manage.py migrate
    DATABASE_URL=postgres://... manage.py copy_sqlite_archive var/newsroom.sqlite3

Everything an archive holds is copied (articles with their raw input and cleaning decisions,
ministers, topics, saved searches, users and groups, the admin's history) through Django's own
serialisation, so ids, links and saved searches stay as they were. The target must be migrated
and hold no articles. The queue of pending index changes is not copied: the PostgreSQL engine's
triggers index every article as it arrives. Each model's row count is compared at the end.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import dj_database_url
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from search.models import Article

SOURCE = "sqlite_archive"
# Rebuilt by migrate on the target (and keyed differently there), or not worth moving.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "search.pendingindexchange"]


class Command(BaseCommand):
    help = "Copy a SQLite archive into this PostgreSQL database and check the row counts."

    def add_arguments(self, parser):
        parser.add_argument("sqlite_file", help="the SQLite database file to copy from")

    def handle(self, *args, sqlite_file: str, **options):
        path = Path(sqlite_file)
        if not path.is_file():
            raise CommandError(f"No SQLite database at {path}.")
        if connections["default"].vendor != "postgresql":
            raise CommandError("The target must be PostgreSQL: set DATABASE_URL=postgres://...")
        if Article.objects.exists():
            raise CommandError("The target already holds articles; copy into an empty archive.")
        open_source(path)
        try:
            self.copy()
            differences = count_differences()
        finally:
            connections[SOURCE].close()
        if differences:
            raise CommandError("Counts differ after the copy: " + "; ".join(differences))
        self.stdout.write(f"Copied {Article.objects.count()} articles; every count matches.")

    def copy(self) -> None:
        with tempfile.NamedTemporaryFile(suffix=".json") as dump:
            call_command(
                "dumpdata",
                database=SOURCE,
                natural_foreign=True,
                natural_primary=True,
                exclude=LEFT_OUT,
                output=dump.name,
                verbosity=0,
            )
            with transaction.atomic():  # all of it or nothing
                call_command("loaddata", dump.name, database="default", verbosity=0)


def open_source(path: Path) -> None:
    settings_dict = dj_database_url.parse(f"sqlite:///{path.resolve()}")
    # configure_settings fills in Django's defaults; it wants the set to have a "default".
    connections.settings[SOURCE] = connections.configure_settings({"default": settings_dict})[
        "default"
    ]
    with contextlib.suppress(AttributeError):  # a connection to a file opened earlier
        del connections[SOURCE]


def count_differences() -> list[str]:
    """Models with fewer rows here than in SQLite (lost in the copy); for the archive's own
    models, any difference. (The target's migrations may have made rows of their own, such
    as the "editor" group.)"""
    differences = []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label.split(".")[0] in LEFT_OUT or label in LEFT_OUT:
            continue
        source = model.objects.using(SOURCE).count()
        target = model.objects.using("default").count()
        if source > target or (model._meta.app_label == "search" and source != target):
            differences.append(f"{label}: {source} in SQLite, {target} here")
    return differences
