"""articles.pagination: a page number is written one way only."""

import pytest
from django.test import RequestFactory

from articles.pagination import requested_page


def page(query: str):
    return requested_page(RequestFactory().get(f"/?{query}"))


@pytest.mark.parametrize(
    ("query", "number"), [("", 1), ("page=", 1), ("page=1", 1), ("page=37", 37)]
)
def test_a_page_number_is_read(query, number):
    assert page(query) == number


@pytest.mark.parametrize(
    "value", ["0", "02", "+2", "-1", "٢", "²", "1e3", "2.0", " 2", "9" * 10, "9" * 5000, "abc"]
)
def test_anything_else_names_no_page(value):
    assert requested_page(RequestFactory().get("/", {"page": value})) is None
