"""Writing many rows of a model with one prepared statement.

Django's ``bulk_update`` builds one CASE WHEN expression a field, with a branch a row: for a
batch of a few hundred articles, building and compiling those expressions took longer than
the database took to run them. Here one statement is prepared once and run for every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(model: type[Model], objects: Sequence, fields: Sequence[str]) -> None:
    """Write ``fields`` of each object (a model instance, or any object with those attributes
    and ``pk``) to its row; no signals, like ``bulk_update``."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(name).column)} = %s" for name in fields)
    where = quote(model._meta.pk.column)
    statement = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {where} = %s"
    execute_many(connection, statement, model, objects, fields, with_pk=True)


def insert_rows(model: type[Model], objects: Sequence, fields: Sequence[str]) -> None:
    """Insert a row an object, with ``fields`` (the primary keys are not read back)."""
    connection = connections[router.db_for_write(model)]
    execute_many(
        connection,
        insert_statement(connection, model, fields),
        model,
        objects,
        fields,
        with_pk=False,
    )


def insert_values(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Insert rows of values the database takes as they are (ints, bytes, str): no field
    conversion, which cost near-duplicates' 32 band rows an article more than the inserts."""
    connection = connections[router.db_for_write(model)]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(insert_statement(connection, model, fields), rows)


def insert_statement(connection, model: type[Model], fields: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    values = ", ".join(["%s"] * len(fields))
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})"


def execute_many(connection, statement, model, objects, fields, *, with_pk: bool) -> None:
    if not objects:
        return
    model_fields = [model._meta.get_field(name) for name in fields]
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in model_fields]
        + ([obj.pk] if with_pk else [])
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(statement, rows)
