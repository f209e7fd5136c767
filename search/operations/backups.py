"""Online backup and restore of the whole archive: the database (articles with their raw input,
manual fields and cleaning decisions, the gazetteer and topics, saved searches, accounts), the
uploads, the secret key kept in the data directory, and a manifest of row counts and checksums.

The database is copied as one consistent snapshot while the app serves and imports go on:
on SQLite through its online backup API in a single step (a read transaction: in WAL mode
writers are not held up), on PostgreSQL by ``pg_dump`` on a snapshot exported from the
transaction that also takes the counts. The search index is not copied: ``restore`` rebuilds
it from the restored database. A backup is written into ``<destination>.partial`` and renamed
when complete, so a folder under the destination's name is always a whole backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connections, transaction
from django.utils import timezone

from search.operations import index_sync

FORMAT = "newsroom-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
UPLOADS = "uploads"
SECRET_KEY_FILE = "secret_key"
# Rows that change by themselves on restore: the rebuild empties the index queue.
NOT_COMPARED = {"search.pendingindexchange"}


class BackupError(Exception):
    """A backup or restore that cannot go on, said so an operator can act on it."""


def archive_backup(*, destination: Path) -> dict:
    """Write a backup of this archive into ``destination`` (a new folder); returns the manifest."""
    destination = Path(destination)
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty: back up into a new folder.")
    partial = destination.with_name(destination.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)  # what an interrupted backup left
    partial.mkdir(parents=True)
    started = timezone.now()
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        counts, migrations = sqlite_backup(target=partial / SQLITE_FILE)
    elif vendor == "postgresql":
        counts, migrations = postgres_backup(target=partial / POSTGRES_FILE)
    else:
        raise BackupError(f"Backups of a {vendor} database are not supported.")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.copytree(media_root, partial / UPLOADS, symlinks=True)
    secret_key = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    if secret_key.is_file():
        shutil.copy2(secret_key, partial / SECRET_KEY_FILE)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "database": vendor,
        "started": started.isoformat(),
        "finished": timezone.now().isoformat(),
        "migrations": migrations,
        "counts": counts,
        "files": file_checksums(partial),
    }
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    if destination.exists():
        destination.rmdir()
    partial.rename(destination)
    return manifest


def archive_restore(*, source: Path) -> dict:
    """Restore a backup into this (empty) data directory and rebuild the search index; returns
    the counts after restoring, equal to the manifest's (else BackupError)."""
    manifest = verified_manifest(Path(source))
    vendor = connections["default"].vendor
    if manifest["database"] != vendor:
        raise BackupError(
            f"This backup holds a {manifest['database']} database; this archive uses {vendor}."
        )
    if connections["default"].introspection.table_names():
        raise BackupError(
            "The database already holds tables: restore into an empty data directory "
            "(a new NEWSROOM_DATA_DIR, or a new PostgreSQL database)."
        )
    if vendor == "sqlite":
        sqlite_restore(source=Path(source) / SQLITE_FILE)
    else:
        postgres_restore(source=Path(source) / POSTGRES_FILE)
    restore_files(source=Path(source))
    call_command("migrate", verbosity=0)  # a backup made by an older version
    index_sync.rebuild_index()
    counts = model_counts(table_counter(connections["default"]))
    differences = [
        f"{label}: {expected} in the backup, {counts.get(label)} restored"
        for label, expected in manifest["counts"].items()
        if label not in NOT_COMPARED and counts.get(label) != expected
    ]
    if differences:
        raise BackupError("Counts differ after the restore: " + "; ".join(differences))
    return counts


def verified_manifest(source: Path) -> dict:
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: is it a (complete) backup?")
    try:
        manifest = json.loads(manifest_path.read_text())
    except ValueError as error:
        raise BackupError(f"{manifest_path} is not valid JSON: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != FORMAT_VERSION:
        raise BackupError(f"{source} is not a Newsroom backup of version {FORMAT_VERSION}.")
    actual = file_checksums(source)
    damaged = sorted(name for name, entry in manifest["files"].items() if actual.get(name) != entry)
    if damaged:
        raise BackupError(
            "These files are missing or differ from the manifest: " + ", ".join(damaged)
        )
    return manifest


def file_checksums(folder: Path) -> dict[str, dict]:
    checksums = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink() and path.name != MANIFEST:
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            name = path.relative_to(folder).as_posix()
            checksums[name] = {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}
    return checksums


def restore_files(*, source: Path) -> None:
    if (source / UPLOADS).is_dir():
        shutil.copytree(source / UPLOADS, settings.MEDIA_ROOT, symlinks=True, dirs_exist_ok=True)
    if (source / SECRET_KEY_FILE).is_file() and not os.environ.get("SECRET_KEY"):
        # Sessions, password-reset links and feed tokens stay valid after the restore.
        shutil.copy2(source / SECRET_KEY_FILE, Path(settings.DATA_DIR) / SECRET_KEY_FILE)


def model_counts(count_rows) -> dict[str, int]:
    """Rows per model ("app.model"), for every model whose table exists."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        rows = count_rows(model._meta.db_table)
        if rows is not None:
            counts[model._meta.label_lower] = rows
    return dict(sorted(counts.items()))


def table_counter(connection):
    tables = set(connection.introspection.table_names())

    def count_rows(table: str) -> int | None:
        if table not in tables:
            return None
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            return cursor.fetchone()[0]

    return count_rows


def latest_migrations(rows: list[tuple[str, str]]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in rows:
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


# SQLite ------------------------------------------------------------------------------------


def sqlite_path() -> tuple[str, bool]:
    """The database file as sqlite3.connect wants it: as the app opens it now (a read-only data
    dir names a read-only URI; newsroom/sqlite/base.py)."""
    name = str(connections["default"].get_connection_params()["database"])
    return name, name.startswith("file:")


def sqlite_backup(*, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    name, uri = sqlite_path()
    live = sqlite3.connect(name, uri=uri, timeout=settings.SQLITE_BUSY_TIMEOUT)
    with closing(live), closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # all pages in one step: one consistent snapshot
    with closing(sqlite3.connect(target)) as copy:
        # A file that stands alone (no -wal beside it), checked before it is trusted.
        copy.execute("PRAGMA journal_mode=DELETE")
        (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"The copied database failed SQLite's integrity check: {check}")
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}

        def count_rows(table: str) -> int | None:
            if table not in tables:
                return None
            return copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

        counts = model_counts(count_rows)
        migrations = latest_migrations(
            copy.execute("SELECT app, name FROM django_migrations").fetchall()
        )
    return counts, migrations


def sqlite_restore(*, source: Path) -> None:
    """Page by page through SQLite's backup API into the configured database file, so the
    live database's WAL and shared-memory files stay right."""
    connections.close_all()
    name, uri = sqlite_path()
    with (
        closing(sqlite3.connect(source)) as backup,
        closing(sqlite3.connect(name, uri=uri)) as live,
    ):
        backup.backup(live)
        live.execute("PRAGMA journal_mode=WAL")


# PostgreSQL --------------------------------------------------------------------------------


# The libpq connection keywords pg_dump and pg_restore accept in a connection string.
LIBPQ_KEYWORDS = {
    "dbname",
    "host",
    "hostaddr",
    "port",
    "user",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "options",
    "target_session_attrs",
    "service",
    "passfile",
}


def postgres_environment() -> tuple[list[str], dict[str, str]]:
    """How pg_dump and pg_restore reach the database Django uses (URL options included): a
    connection string, and the password in the environment, never on the command line (where
    ``ps`` shows it)."""
    parameters = connections["default"].get_connection_params()
    environment = {**os.environ}
    if parameters.get("password"):
        environment["PGPASSWORD"] = str(parameters["password"])
    conninfo = " ".join(
        f"{key}={libpq_quoted(str(value))}"
        for key, value in parameters.items()
        if key in LIBPQ_KEYWORDS
    )
    return ["--dbname", conninfo], environment


def libpq_quoted(value: str) -> str:
    """A value of a libpq ``keyword=value`` connection string: in single quotes, with quotes and
    backslashes escaped by a backslash (written here so that only the engine imports psycopg)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def require_program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not on PATH: install PostgreSQL's client programs.")
    return path


@contextmanager
def postgres_snapshot() -> Iterator[str]:
    """A repeatable-read transaction whose snapshot pg_dump shares, so the counts taken here
    and the dump see exactly the same rows."""
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


def postgres_backup(*, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    pg_dump = require_program("pg_dump")
    options, environment = postgres_environment()
    with postgres_snapshot() as snapshot:
        connection = connections["default"]
        counts = model_counts(table_counter(connection))
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = latest_migrations(cursor.fetchall())
        command = [pg_dump, *options, "--format=custom", "--no-owner", "--no-privileges"]
        command += [f"--snapshot={snapshot}", f"--file={target}"]
        finished = subprocess.run(command, env=environment, capture_output=True, text=True)
    if finished.returncode != 0:
        raise BackupError(f"pg_dump failed: {finished.stderr.strip()}")
    return counts, migrations


def postgres_restore(*, source: Path) -> None:
    pg_restore = require_program("pg_restore")
    options, environment = postgres_environment()
    connections.close_all()
    command = [pg_restore, *options, "--no-owner", "--no-privileges", "--single-transaction"]
    finished = subprocess.run(
        [*command, str(source)], env=environment, capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise BackupError(f"pg_restore failed: {finished.stderr.strip()}")
