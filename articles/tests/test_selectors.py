"""The navigation's sources, kept in the cache and forgotten when they may change."""

import datetime

import pytest
from django.utils import timezone

from articles import selectors
from articles.models import Article, Source
from articles.tests.import_support import import_file

pytestmark = pytest.mark.django_db


def names():
    return [source.name for source in selectors.navigation()]


def test_navigation_is_asked_once_then_kept(make_article, django_assert_num_queries):
    make_article(source="بترا")
    with django_assert_num_queries(1):
        assert names() == ["بترا"]
    with django_assert_num_queries(0):
        assert names() == ["بترا"]


def test_publishing_a_story_shows_its_source_at_once(make_article):
    draft = make_article(source="وفا", status=Article.Status.DRAFT)
    assert names() == []
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert names() == ["وفا"]


def test_withdrawing_the_last_story_hides_its_source(make_article):
    story = make_article(source="وفا")
    assert names() == ["وفا"]
    story.status = Article.Status.WITHDRAWN
    story.save(update_fields=["status"])
    assert names() == []


def test_renaming_a_source_shows_the_new_name(make_article):
    make_article(source="وفا")
    assert names() == ["وفا"]
    source = Source.objects.get(name="وفا")
    source.name = "وكالة وفا"
    source.save()
    assert names() == ["وكالة وفا"]


def wire_copy(headline):
    return (
        f"{headline}\n\nبترا\n"
        f"{timezone.now() - datetime.timedelta(hours=1):%Y-%m-%d %H:%M}\n\n"
        "عمّان - وتنتج المحطة مياه الشرب.\n"
    ).encode()


def test_an_import_shows_its_sources_at_once(django_capture_on_commit_callbacks):
    # A draft first: its source exists, with nothing published yet.
    list(import_file("draft.txt", wire_copy("افتتح وزير الري محطة جديدة")))
    assert names() == []
    # The importer writes in bulk, without the signals that forget the
    # navigation; it announces the change when its transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        list(import_file("story.txt", wire_copy("زار وزير الزراعة سوقا شعبيا"), publish=True))
    assert Article.objects.published().count() == 1
    assert names() == ["بترا"]


@pytest.fixture
def cache_down(settings):
    """A shared cache that does not answer: Redis on a port nothing listens on."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }


def test_navigation_is_read_afresh_while_the_cache_is_down(make_article, cache_down):
    make_article(source="بترا")
    assert names() == ["بترا"]


def test_a_story_saves_while_the_cache_is_down(make_article, cache_down):
    story = make_article(source="وفا")
    story.headline = "عنوان جديد"
    story.save()
    assert names() == ["وفا"]


def test_reader_pages_answer_while_the_cache_is_down(client, make_article, cache_down):
    story = make_article(source="وفا")
    assert client.get("/").status_code == 200
    assert client.get(story.get_absolute_url()).status_code == 200


def test_surroundings_keep_each_story_s_exact_moment_in_a_site_zone_ahead_of_utc(
    settings, make_article
):
    # The candidates' times travel as seconds since the epoch: never shifted
    # by the site's time zone, and still exact to the microsecond.
    settings.TIME_ZONE = "Asia/Riyadh"
    moment = datetime.datetime(2026, 3, 1, 23, 30, 15, 123456, tzinfo=datetime.UTC)
    related = make_article(
        headline="محطة تحلية جديدة في العقبة", published_at=moment - datetime.timedelta(hours=2)
    )
    story = make_article(headline="افتتاح محطة لتحلية المياه في العقبة", published_at=moment)
    later = make_article(
        headline="بطولة الشطرنج للناشئين", published_at=moment + datetime.timedelta(days=30)
    )
    found = selectors.surroundings(selectors.story(story.slug))
    assert [(s.pk, s.published_at) for s in found] == [(related.pk, related.published_at)]
    article = selectors.story(story.slug)
    selectors.surroundings(article)
    assert article.older == {"slug": related.slug, "headline": related.headline}
    assert article.newer == {"slug": later.slug, "headline": later.headline}
