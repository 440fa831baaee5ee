"""Tests for articles.binary_arrays: integer arrays PostgreSQL reads as psycopg would send them."""

import pytest
from django.db import connection

from articles.binary_arrays import bigint_array, cursor, integer_array

pytestmark = pytest.mark.django_db

BIGINTS = [0, 1, -1, 2**63 - 1, -(2**63), 123_456_789_012]
INTEGERS = [0, -7, 2**31 - 1, -(2**31)]


def fetch(sql: str, *params):
    connection.ensure_connection()
    with cursor(connection.connection) as made:
        made.execute(sql, list(params))
        return made.fetchone()


def test_arrays_arrive_as_the_values_given():
    row = fetch(
        "SELECT %b::bigint[], %b::integer[]", bigint_array(BIGINTS), integer_array(INTEGERS)
    )
    assert row == (BIGINTS, INTEGERS)


def test_an_empty_array_is_empty():
    assert fetch("SELECT cardinality(%b::bigint[])", bigint_array([])) == (0,)


def test_arrays_unnest_side_by_side():
    row = fetch(
        "SELECT array_agg(a + b) FROM unnest(%b::bigint[], %b::integer[]) AS t(a, b)",
        bigint_array([1, 2, 3]),
        integer_array([10, 20, 30]),
    )
    assert row == ([11, 22, 33],)
