"""Django's SQLite backend, deciding how to open the file at each connection.

A data directory can become read-only while the app serves (a snapshot, a remount, a full
disk turned read-only by the kernel). Each connection therefore asks whether it may write:
when it may not, the file is opened read-only with no write at all (not even setting WAL mode,
which ``init_command`` does otherwise), so reads go on and writes fail with "readonly", which
``search.operations.unavailable`` answers with a 503. The app server never creates the database
(``NEWSROOM_SQLITE_CREATE`` off, set by ``dev.py serve``): a file deleted while
serving is then "unable to open", a 503, not a new empty database answering "no such table".
A connection whose first statements fail (the file is locked, or not a database) is closed at
once rather than left to the garbage collector, holding the file open for writing meanwhile.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.db.backends.sqlite3 import base

READ_ONLY_INIT_COMMANDS = ["PRAGMA query_only=ON"]


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict:
        params = super().get_connection_params()
        name = str(params["database"])
        if name.startswith("file:") or name == ":memory:":
            return params  # already a URI (or a test's memory database): as given
        path = Path(name)
        if not writable(path):
            params["database"] = f"{path.as_uri()}?{read_only_mode(path)}"
            self.init_commands = READ_ONLY_INIT_COMMANDS
        elif not getattr(settings, "SQLITE_CREATE", True):
            params["database"] = f"{path.as_uri()}?mode=rw"
        return params

    def get_new_connection(self, conn_params: dict):
        init_commands, self.init_commands = self.init_commands, []
        try:
            connection = super().get_new_connection(conn_params)
        finally:
            self.init_commands = init_commands
        try:
            for command in init_commands:
                if command.strip():
                    connection.execute(command)
        except BaseException:
            connection.close()
            raise
        return connection


def writable(path: Path) -> bool:
    """os.access also sees a read-only mount for root, whom file modes do not stop."""
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return os.access(path.parent, os.W_OK)


def read_only_mode(path: Path) -> str:
    """SQLite reads a WAL database read-only only while its -wal and -shm files exist; after a
    clean close they are gone and the file holds everything, so it is opened immutable."""
    wal_file = path.with_name(path.name + "-wal")
    return "mode=ro" if wal_file.exists() else "immutable=1"
