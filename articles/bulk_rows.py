"""Rows written the fast way: one statement per table for a whole batch, arrays in binary.

The bulk writes of the importer and of the revisions it records. Tables,
columns and types come from the models, never from input; the values
travel as parameters.
"""

from __future__ import annotations

import psycopg
from django.db import connection


def insert_rows(
    model,
    fields: list[str],
    rows: list[tuple],
    *,
    returning: bool = False,
    skip_taken: str | None = None,
) -> list:
    """Insert ``rows`` with one statement, one array per column; return the new ids in order.

    What bulk_create does on PostgreSQL (INSERT ... SELECT FROM unnest, whose
    RETURNING keeps the rows' order), without building a model instance per
    row: most of an import's time outside the parser went into those.
    ``skip_taken``: a unique field; a row whose value another row holds, or
    another transaction is writing (waited for), is not inserted, and only
    the ids of the rows inserted are returned.
    """
    if not rows:
        return []
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    names = ", ".join(quote(field.column) for field in columns)
    # %b: the arrays travel in PostgreSQL's binary format, ten times cheaper to
    # make than text arrays, whose every element Python would escape.
    arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in columns)
    returns = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    if skip_taken is not None:
        taken = quote(meta.get_field(skip_taken).column)
        returns = f" ON CONFLICT ({taken}) DO NOTHING{returns}"
    # Table, columns and types come from the model, never from input; the values are parameters.
    sql = f"INSERT INTO {quote(meta.db_table)} ({names}) SELECT * FROM unnest({arrays}){returns}"  # noqa: S608
    connection.ensure_connection()
    # A cursor that sends the arrays as parameters, beside the query: the
    # connection's default cursor would quote every value into the SQL text.
    # Same connection, so same transaction.
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return [row[0] for row in cursor.fetchall()] if returning else []


def update_rows(model, fields: list[str], rows: list[tuple]) -> None:
    """Set ``fields`` of the rows whose primary keys lead ``rows``, with one statement.

    Each row is (primary key, *values in the order of ``fields``). What
    bulk_update does, without its CASE of one WHEN per row and field, whose
    building was most of an update's time in Python (5 ms a story at 14
    fields, bench/ingest_bench.py).
    """
    if not rows:
        return
    meta = model._meta
    columns = [meta.pk, *(meta.get_field(name) for name in fields)]
    quote = connection.ops.quote_name
    names = [quote(field.column) for field in columns]
    arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in columns)
    settings = ", ".join(f"{name} = given.{name}" for name in names[1:])
    # Table, columns and types come from the model, never from input; the values are parameters.
    sql = (
        f"UPDATE {quote(meta.db_table)} AS stored SET {settings} "  # noqa: S608
        f"FROM unnest({arrays}) AS given ({', '.join(names)}) "
        f"WHERE stored.{names[0]} = given.{names[0]}"
    )
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
