"""A throwaway PostgreSQL server for the tests that must run on a real one.

``postgres_server`` (one per test session) runs Debian's ``initdb`` into a temporary directory
and starts ``postgres`` on a Unix socket inside it (no TCP port to collide with other test runs
on the machine), creates and migrates the test database, and stops and deletes it all at the
end of the session. ``use_postgres(request)`` points Django's ``default`` database at that
server for one test, so the app under test (views, ingest, the engine) runs there unchanged; the
test starts with an empty database (``transactional_db``: the tests use threads and server
processes, which cannot see a test's open transaction), and SQLite is back afterwards.

Locally, a machine without PostgreSQL skips these tests with a message saying how to get it;
in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import getpass
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.db import connections
from django.db.utils import load_backend

from tests.tooling import skip_or_fail

INSTALL_HINT = (
    "PostgreSQL tests need Debian's server binaries (apt-get install postgresql "
    "postgresql-contrib; or set NEWSROOM_PG_BIN to the folder holding initdb and pg_ctl)"
)
# Only the engine's own tables: Django's flush empties the rest after each test.
ENGINE_TABLES = ("search_engine_entry", "search_engine_word", "search_engine_count")


def server_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: NEWSROOM_PG_BIN, Debian's newest, or the PATH."""
    candidates = [os.environ.get("NEWSROOM_PG_BIN", "")]
    candidates += sorted(
        (str(path) for path in Path("/usr/lib/postgresql").glob("*/bin")), reverse=True
    )
    on_path = shutil.which("pg_ctl")
    candidates.append(str(Path(on_path).parent) if on_path else "")
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    return None


class ClusterUnavailable(Exception):
    """PostgreSQL's server binaries are missing, or the server did not start."""


# A throwaway cluster: durability is not wanted, speed is.
THROWAWAY_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


@dataclass
class Cluster:
    """One PostgreSQL server in a temporary directory, reached through its socket there."""

    binaries: Path
    directory: Path
    owner: str  # the system user the server runs as (it refuses to run as root)
    server_settings: dict = field(default_factory=lambda: dict(THROWAWAY_SETTINGS))

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def command(self, *args: str) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", self.owner, "--", *args]
        return list(args)

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(self.command(*args), check=True, capture_output=True, text=True)

    def start(self, *, initialise: bool = True) -> None:
        if initialise:
            self.run(
                str(self.binaries / "initdb"),
                "-D",
                str(self.data),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--data-checksums",  # as the docs ask of a production cluster (docs/scaling.md)
                "--no-sync",
            )
        settings = {"listen_addresses": "''", "max_connections": "200", **self.server_settings}
        options = f"-k {self.directory} " + " ".join(
            f"-c {name}={value}" for name, value in settings.items()
        )
        self.run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        subprocess.run(
            self.command(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"),
            capture_output=True,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def url(self, database: str = "newsroom") -> str:
        """The DATABASE_URL of ``database`` on this server (for app processes)."""
        return f"postgres://postgres@/{database}?host={self.directory}"

    def settings_dict(self, template: dict) -> dict:
        """Django's settings for this server, the other keys as in ``template``."""
        return {
            **template,
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "newsroom",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": str(self.directory),
            "PORT": "",
            "OPTIONS": {},
            "TEST": {**template.get("TEST", {}), "NAME": "newsroom_test"},
        }


def new_directory(owner: str) -> Path:
    # Not under pytest's tmp_path: the server's user must reach it, and a socket path must
    # stay under ~100 characters.
    directory = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
    shutil.chown(directory, user=owner)
    return directory


def server_owner() -> str:
    if os.geteuid() != 0:
        return getpass.getuser()
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ClusterUnavailable(
            f"{INSTALL_HINT}: there is no 'postgres' user to run the server as"
        ) from None
    return "postgres"


def new_cluster(server_settings: dict | None = None) -> Cluster:
    """A started server in a new temporary directory (``stop`` deletes it);
    ``ClusterUnavailable`` says why there is none."""
    binaries = server_binaries()
    if binaries is None:
        raise ClusterUnavailable(INSTALL_HINT)
    owner = server_owner()
    cluster = Cluster(binaries, new_directory(owner), owner)
    if server_settings is not None:
        cluster.server_settings = server_settings
    try:
        cluster.start()
    except subprocess.CalledProcessError as error:
        cluster.stop()
        message = error.stderr.strip() or str(error)
        raise ClusterUnavailable(f"PostgreSQL did not start: {message}") from error
    return cluster


def new_replica(primary: Cluster) -> Cluster:
    """A streaming replica of ``primary`` (``pg_basebackup -R``: a hot standby that follows
    the primary's WAL), on its own socket in its own temporary directory."""
    replica = Cluster(primary.binaries, new_directory(primary.owner), primary.owner)
    try:
        replica.run(
            str(primary.binaries / "pg_basebackup"),
            "--pgdata",
            str(replica.data),
            "--write-recovery-conf",
            "--wal-method=stream",
            # At once: a spread checkpoint paces whatever is dirty over ~4.5 minutes.
            "--checkpoint=fast",
            "--no-sync",
            "--host",
            str(primary.directory),
            "--username",
            "postgres",
        )
        replica.start(initialise=False)
    except subprocess.CalledProcessError as error:
        replica.stop()
        message = error.stderr.strip() or str(error)
        raise ClusterUnavailable(f"The replica did not start: {message}") from error
    return replica


def start_cluster() -> Cluster:
    try:
        return new_cluster()
    except ClusterUnavailable as error:
        skip_or_fail(str(error))


@contextmanager
def default_database(settings_dict: dict) -> Iterator[None]:
    """Django's ``default`` database is ``settings_dict`` inside: this thread's connection
    and every connection a new thread (a live server, a test's workers) opens."""
    previous_settings, previous = connections.settings["default"], connections["default"]
    connections.settings["default"] = settings_dict
    backend = load_backend(settings_dict["ENGINE"])
    connections["default"] = backend.DatabaseWrapper(settings_dict, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections.settings["default"] = previous_settings
        connections["default"] = previous


@dataclass
class PostgresServer:
    cluster: Cluster
    settings_dict: dict  # the migrated test database's


@pytest.fixture(scope="session")
def postgres_server(django_db_setup, django_db_blocker) -> Iterator[PostgresServer]:
    """A migrated test database on a throwaway server, for the whole session."""
    cluster = start_cluster()
    settings_dict = cluster.settings_dict(connections.settings["default"])
    try:
        with django_db_blocker.unblock(), default_database(settings_dict):
            connections["default"].creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False
            )
        yield PostgresServer(cluster, settings_dict)
    finally:
        cluster.stop()


@pytest.fixture
def postgres_database(request, postgres_server, django_db_blocker) -> Iterator[PostgresServer]:
    """Django's ``default`` database is the PostgreSQL one while this fixture lasts."""
    # pytest-django reads "transactional" from the marker: tests on PostgreSQL commit for
    # real (threads and server processes cannot see a test's open transaction) and are
    # emptied afterwards (Django's flush, and the engine's own tables here).
    request.node.add_marker(pytest.mark.django_db(transaction=True))
    with default_database(postgres_server.settings_dict):
        yield postgres_server
        with django_db_blocker.unblock(), connections["default"].cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(ENGINE_TABLES)}")


def use_postgres(request) -> None:
    """Run this test on PostgreSQL: for fixtures that decide it at run time (a parameter).

    Order matters: the database fixture is requested after the switch, so pytest tears it
    down (Django's flush) before switching back to SQLite.
    """
    request.getfixturevalue("postgres_database")
    request.getfixturevalue("transactional_db")
