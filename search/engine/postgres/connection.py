"""Which database the engine talks to, and the errors that mean it cannot.

Searches read from the database ``search.read_replica`` names: a streaming replica when one is
configured and the request may read from it, else ``default``. Every write goes to
``default``, the primary.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django.db.utils import ProgrammingError

from search.engine.errors import IndexUnavailable
from search.read_replica import read_database

WRITE_DATABASE = "default"
SETUP_HINT = (
    "SEARCH_ENGINE=postgres needs PostgreSQL as the database (DATABASE_URL=postgres://...) "
    "and its migrations applied (manage.py migrate)"
)


def require_postgresql(alias: str):
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise IndexUnavailable(f"The database is {connection.vendor}: {SETUP_HINT}.")
    return connection


@contextmanager
def cursor_on(alias: str) -> Iterator:
    """A cursor on ``alias``; a missing table (migrations not run) is IndexUnavailable."""
    connection = require_postgresql(alias)
    try:
        with connection.cursor() as cursor:
            yield cursor
    except ProgrammingError as error:
        if getattr(error.__cause__, "sqlstate", None) == "42P01":  # undefined_table
            raise IndexUnavailable(f"The search tables are missing: {SETUP_HINT}.") from error
        raise


def reading():
    return cursor_on(read_database())


def writing():
    return cursor_on(WRITE_DATABASE)
