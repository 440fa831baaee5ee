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
    names = ", ".join(_quote(field.column) for field in columns)
    returns = f" RETURNING {_quote(meta.pk.column)}" if returning else ""
    if skip_taken is not None:
        taken = _quote(meta.get_field(skip_taken).column)
        returns = f" ON CONFLICT ({taken}) DO NOTHING{returns}"
    sql = (
        f"INSERT INTO {_quote(meta.db_table)} ({names}) "  # noqa: S608
        f"SELECT * FROM unnest({_arrays(columns)}){returns}"
    )
    found = _execute(sql, rows, fetch=returning)
    return [row[0] for row in found]


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
    key, *names = [_quote(field.column) for field in columns]
    settings = ", ".join(f"{name} = given.{name}" for name in names)
    sql = (
        f"UPDATE {_quote(meta.db_table)} AS stored SET {settings} "  # noqa: S608
        f"FROM unnest({_arrays(columns)}) AS given ({', '.join([key, *names])}) "
        f"WHERE stored.{key} = given.{key}"
    )
    _execute(sql, rows, fetch=False)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _arrays(columns) -> str:
    """One parameter a column, read as an array of the column's type.

    ``%b``: the arrays travel in PostgreSQL's binary format, ten times cheaper
    to make than text arrays, whose every element Python would escape.
    """
    return ", ".join(f"%b::{field.db_type(connection)}[]" for field in columns)


def _execute(sql: str, rows: list[tuple], *, fetch: bool) -> list[tuple]:
    """Run ``sql`` (tables, columns and types from the models, never from input) on ``rows``.

    The rows travel as one array a column, parameters beside the query: the
    connection's default cursor would quote every value into the SQL text.
    Same connection, so same transaction.
    """
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])
        return cursor.fetchall() if fetch else []
