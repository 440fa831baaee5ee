"""What every reader page's template receives (newsportal.context_processors)."""

import pytest
from django.test import RequestFactory

from newsportal.context_processors import canonical_url, reader


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "http://testserver/source/x/"),
        ("?page=1", "http://testserver/source/x/"),
        ("?page=3&utm_source=feed", "http://testserver/source/x/?page=3"),
        ("?page=abc", "http://testserver/source/x/"),
    ],
)
def test_canonical_url_keeps_only_a_page_number_above_one(query, expected):
    assert canonical_url(RequestFactory().get("/source/x/" + query)) == expected


def test_navigation_sources_are_not_fetched_unless_shown(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        context = reader(RequestFactory().get("/"))
    with django_assert_num_queries(1):
        assert list(context["nav_sources"]) == []
        assert list(context["nav_sources"]) == []
