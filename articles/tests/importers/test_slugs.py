"""Slugs and sources for what an import creates."""

import pytest

from articles.importers.slugs import source_named, sources_named, unique_article_slugs
from articles.models import SLUG_MAX_LENGTH, Source

pytestmark = pytest.mark.django_db


def test_repeated_and_taken_slugs_get_the_next_free_suffix(make_article):
    make_article(slug="قمة-الرياض")
    assert unique_article_slugs(["قمة-الرياض", "قمة-الرياض", "معرض-الكتاب"]) == [
        "قمة-الرياض-2",
        "قمة-الرياض-3",
        "معرض-الكتاب",
    ]


def test_a_suffixed_long_slug_still_fits_the_column():
    base = "خبر-" * 40
    first, second = unique_article_slugs([base[:SLUG_MAX_LENGTH]] * 2)
    assert len(second) <= SLUG_MAX_LENGTH and second.endswith("-2") and first != second


def test_a_source_is_found_by_name_or_made_once():
    made = source_named("وكالة الأنباء القطرية")
    assert source_named("وكالة الأنباء القطرية") == made
    assert Source.objects.count() == 1
    assert made.slug == "وكالة-الأنباء-القطرية"


def test_many_crowded_slugs_are_looked_up_at_once(make_article, django_assert_num_queries):
    # A batch of outlets' copies shares headlines: two queries however many are taken.
    for slug in ("قمة-الرياض", "قمة-الرياض-2", "معرض-الكتاب", "معرض-الكتاب-2", "معرض-الكتاب-3"):
        make_article(slug=slug)
    with django_assert_num_queries(2):
        slugs = unique_article_slugs(["قمة-الرياض", "معرض-الكتاب", "قمة-الرياض", "سيول-تونس"])
    assert slugs == ["قمة-الرياض-3", "معرض-الكتاب-4", "قمة-الرياض-4", "سيول-تونس"]


def test_a_batchs_sources_are_found_in_one_query_and_the_missing_made(django_assert_num_queries):
    stored = [
        Source.objects.create(name=name, slug=slug)
        for name, slug in (("سانا", "sana"), ("بترا", "petra"))
    ]
    with django_assert_num_queries(1):
        found = sources_named(["سانا", "بترا", "سانا"])
    assert found == {"سانا": stored[0], "بترا": stored[1]}
    found = sources_named(["سانا", "وكالة الأنباء العمانية"])
    assert found["سانا"] == stored[0]
    assert found["وكالة الأنباء العمانية"] == Source.objects.get(name="وكالة الأنباء العمانية")
    assert Source.objects.count() == 3
