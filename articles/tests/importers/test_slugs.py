"""Slugs and sources for what an import creates."""

import psycopg
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


def test_new_stories_are_numbered_in_the_order_they_came_whatever_their_slugs():
    from articles.models import Article
    from articles.tests.import_support import import_file

    headlines = ["ياسمين الشام", "بحر عمان", "نخيل البصرة"]
    lines = [
        f'{{"guid": "order:{n}", "headline": "{headline}", "source": "وكالة", '
        f'"published_at": "2026-11-20T10:00:00+03:00", "paragraphs": ["نص الخبر رقم {n}."]}}'
        for n, headline in enumerate(headlines)
    ]
    list(import_file("order.jsonl", "\n".join(lines).encode()))
    stored = Article.objects.order_by("pk").values_list("guid", "slug")
    assert list(stored) == [
        ("order:0", "ياسمين-الشام"),
        ("order:1", "بحر-عمان"),
        ("order:2", "نخيل-البصرة"),
    ]


def test_a_slug_taken_when_the_insert_comes_is_chosen_again(monkeypatch, make_article):
    # As when another import writes it between the choice and the insert.
    from articles.importers import slugs
    from articles.models import Article
    from articles.tests.import_support import import_file

    chosen = slugs.unique_article_slugs

    def chosen_then_taken(bases, busy=()):
        found = chosen(bases, busy)
        if "مرفأ-بيروت" in found and not Article.objects.filter(slug="مرفأ-بيروت").exists():
            make_article(slug="مرفأ-بيروت", guid="other-import")
        return found

    monkeypatch.setattr(slugs, "unique_article_slugs", chosen_then_taken)
    line = (
        '{"guid": "late", "headline": "مرفأ بيروت", "source": "وكالة",'
        ' "published_at": "2026-11-20T10:00:00+03:00", "paragraphs": ["نص الخبر."]}'
    )
    (outcome,) = import_file("late.jsonl", line.encode())
    assert outcome.action == "created"
    assert Article.objects.get(guid="late").slug == "مرفأ-بيروت-2"


@pytest.fixture
def other_import():
    """Another session, as another import is: marks slugs as its own until it ends."""
    from django.db import connection

    from articles.importers.slugs import SLUG_LOCK_NAMESPACE

    other = psycopg.connect(**connection.get_connection_params())

    def writing(slug: str) -> None:
        other.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [SLUG_LOCK_NAMESPACE, slug])

    yield writing
    other.rollback()
    other.close()


def _lines(*headlines: str) -> bytes:
    return "\n".join(
        f'{{"guid": "busy:{n}", "headline": "{headline}", "source": "وكالة", '
        f'"published_at": "2026-11-20T10:00:00+03:00", "paragraphs": ["نص الخبر رقم {n}."]}}'
        for n, headline in enumerate(headlines)
    ).encode()


def test_a_slug_another_import_is_writing_is_passed_over_not_waited_for(other_import):
    from articles.models import Article
    from articles.tests.import_support import import_file

    other_import("مرفأ-بيروت")
    (outcome,) = import_file("busy.jsonl", _lines("مرفأ بيروت"))
    assert outcome.action == "created"
    assert Article.objects.get().slug == "مرفأ-بيروت-2"


def test_slugs_chosen_again_miss_the_batchs_other_slugs(other_import):
    from articles.models import Article
    from articles.tests.import_support import import_file

    # The batch's first story gets the bare slug, which another import is
    # writing; chosen again, it must not take the second story's "-2".
    other_import("مرفأ-بيروت")
    list(import_file("busy.jsonl", _lines("مرفأ بيروت", "مرفأ بيروت")))
    slugs = list(Article.objects.order_by("guid").values_list("slug", flat=True))
    assert slugs == ["مرفأ-بيروت-3", "مرفأ-بيروت-2"]
