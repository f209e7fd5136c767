"""search/engine/postgres/schema.sql is the schema ``migrate`` makes on PostgreSQL, in one place.

The test migrates a new database on the session's throwaway server (the session's own test
database is no model: a rebuild of the index swaps in tables whose indexes carry the rebuild's
names), dumps its schema and compares it with the checked-in file. After an intended change to
the schema (a new migration, a new Django), write the file again and read its diff:

    NEWSROOM_WRITE_SCHEMA=1 .venv/bin/python -m pytest -q tests/engine/test_postgres_schema.py
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.postgres import Cluster, PostgresServer, default_database

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "search" / "engine" / "postgres" / "schema.sql"
REGENERATE = (
    "NEWSROOM_WRITE_SCHEMA=1 .venv/bin/python -m pytest -q tests/engine/test_postgres_schema.py"
)
DATABASE = "newsroom_schema"
HEADER = f"""\
-- GENERATED, NOT APPLIED. The PostgreSQL schema of a database after `manage.py migrate`:
-- every table (the archive's, the search engine's, Django's own apps'), with the engine's text
-- search configurations, functions, triggers and indexes, which its migrations (0006-0015)
-- create in raw SQL. The migrations make the schema; this file only shows it whole.
-- Dumped by `pg_dump --schema-only --no-owner --no-privileges --no-tablespaces` from a new
-- database, without pg_dump's opening lines (versions, a random key, a restore's settings).
-- Not here: the optional RUM index of migration 0014 (only where an operator created the
-- extension). A live database rebuilt by `rebuild_index` has the same tables, but its
-- engine's indexes and keys carry the rebuild's suffix in their names.
-- tests/engine/test_postgres_schema.py checks that it is current; to write it again:
--     {REGENERATE}
"""
# What pg_dump writes around the schema: before the first object, its title, the random key of
# `\\restrict` (15.14 and later), its versions and a restore's session settings (which vary
# between versions); after the last, its `\\unrestrict` and closing lines.
FIRST_OBJECT = "\n--\n-- Name: "
CLOSING = "\n--\n-- PostgreSQL database dump complete\n--\n"
# A restore's setting between the objects, not the schema (all tables are heap tables).
TABLE_ACCESS_METHOD = "SET default_table_access_method = heap;\n\n\n"


@contextmanager
def migrated_database(server: PostgresServer, name: str, blocker) -> Iterator[None]:
    """A new database ``name`` on ``server`` while inside, migrated as a deployment would be."""
    cluster = server.cluster
    cluster.run(str(cluster.binaries / "createdb"), *connection_options(cluster), name)
    try:
        with blocker.unblock(), default_database({**server.settings_dict, "NAME": name}):
            call_command("migrate", verbosity=0, interactive=False)
        yield
    finally:
        cluster.run(str(cluster.binaries / "dropdb"), *connection_options(cluster), name)


def connection_options(cluster: Cluster) -> list[str]:
    return ["--host", str(cluster.directory), "--username", "postgres"]


def dumped_schema(cluster: Cluster, database: str) -> str:
    """The schema of ``database`` as the checked-in file holds it."""
    dump = cluster.run(
        str(cluster.binaries / "pg_dump"),
        *connection_options(cluster),
        "--schema-only",
        "--no-owner",
        "--no-privileges",
        "--no-tablespaces",
        database,
    ).stdout
    start, end = dump.find(FIRST_OBJECT), dump.find(CLOSING)
    if start == -1 or end == -1:
        raise ValueError(f"pg_dump's output has a new shape: no {FIRST_OBJECT!r} or {CLOSING!r}")
    body = dump[start:end].replace(TABLE_ACCESS_METHOD, "").strip("\n")
    return f"{HEADER}\n{body}\n"


def test_the_checked_in_schema_is_what_migrate_makes(postgres_server, django_db_blocker):
    """Compares, or with ``NEWSROOM_WRITE_SCHEMA=1`` writes the file instead."""
    cluster = postgres_server.cluster
    with migrated_database(postgres_server, DATABASE, django_db_blocker):
        schema = dumped_schema(cluster, DATABASE)
        assert dumped_schema(cluster, DATABASE) == schema, "two dumps of one database differ"
    assert DATABASE not in schema and str(cluster.directory) not in schema
    if os.environ.get("NEWSROOM_WRITE_SCHEMA") == "1":
        SCHEMA_FILE.write_text(schema, encoding="utf-8")
        return
    checked_in = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    difference = "".join(
        difflib.unified_diff(
            checked_in.splitlines(keepends=True),
            schema.splitlines(keepends=True),
            fromfile="search/engine/postgres/schema.sql (checked in)",
            tofile="migrated database",
        )
    )
    if difference:
        pytest.fail(
            f"The schema migrate makes differs from the checked-in file:\n{difference}\n"
            f"If the change is intended, write the file again:\n    {REGENERATE}",
            pytrace=False,
        )
