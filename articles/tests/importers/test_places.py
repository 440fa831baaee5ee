"""The places the importer knows, however they are spelled."""

import pytest

from articles.importers.places import is_known_place


@pytest.mark.parametrize(
    "name", ["بيروت", "عمّان", "عمان", "مكة المكرمة", "الاسكندرية", "  الرياض "]
)
def test_a_known_place_is_known_in_any_spelling(name):
    assert is_known_place(name)


@pytest.mark.parametrize("name", ["الغد", "صحيفة الوادي", "بيروت اليوم", "قناة 24", ""])
def test_names_that_are_not_places_are_not(name):
    assert not is_known_place(name)
