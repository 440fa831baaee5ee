"""The archive: the index of recent days and each day's page."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from articles.http_cache import seconds_to_next_scheduled
from articles.models import Article
from articles.views import archive_day_url

pytestmark = pytest.mark.django_db

RIYADH = zoneinfo.ZoneInfo("Asia/Riyadh")


def at(day, hour=12, minute=0):
    """A moment of a day of December 2024 in Riyadh (the default TIME_ZONE)."""
    return datetime.datetime(2024, 12, day, hour, minute, tzinfo=RIYADH)


def test_archive_day_url_is_zero_padded():
    assert archive_day_url(datetime.date(2024, 3, 5)) == "/archive/2024/03/05/"


def test_archive_day_lists_the_days_published_stories(client, make_article):
    make_article(headline="خبر الصباح", published_at=at(10, 8))
    make_article(headline="خبر المساء", published_at=at(10, 20))
    make_article(headline="خبر اليوم التالي", published_at=at(11, 9))
    response = client.get("/archive/2024/12/10/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "خبر الصباح" in html and "خبر المساء" in html
    assert "خبر اليوم التالي" not in html
    assert html.index("خبر المساء") < html.index("خبر الصباح")


def test_archive_day_follows_the_site_time_zone(client, make_article):
    # 22:30 UTC on the 9th is 01:30 on the 10th in Riyadh.
    make_article(
        headline="خبر بعد منتصف الليل",
        published_at=datetime.datetime(2024, 12, 9, 22, 30, tzinfo=datetime.UTC),
    )
    assert "خبر بعد منتصف الليل" in client.get("/archive/2024/12/10/").content.decode()
    assert client.get("/archive/2024/12/09/").status_code == 404


def test_archive_day_hides_drafts_withdrawn_and_scheduled(client, make_article):
    make_article(headline="خبر منشور", published_at=at(10))
    make_article(headline="مسودة لم تنشر", published_at=at(10), status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", published_at=at(10), status=Article.Status.WITHDRAWN)
    html = client.get("/archive/2024/12/10/").content.decode()
    assert "خبر منشور" in html
    assert "مسودة لم تنشر" not in html
    assert "خبر مسحوب" not in html


def test_archive_day_of_a_scheduled_story_is_not_found(client, make_article):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    make_article(
        headline="خبر مجدول",
        published_at=timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(12))),
    )
    assert client.get(archive_day_url(tomorrow)).status_code == 404


def test_archive_day_links_the_nearest_days_with_stories(client, make_article):
    make_article(published_at=at(3))
    make_article(published_at=at(7), status=Article.Status.DRAFT)
    make_article(published_at=at(10))
    make_article(published_at=at(14))
    html = client.get("/archive/2024/12/10/").content.decode()
    assert 'href="/archive/2024/12/03/" rel="prev"' in html
    assert 'href="/archive/2024/12/14/" rel="next"' in html
    assert "/archive/2024/12/07/" not in html


def test_archive_day_without_stories_is_not_found(client, make_article):
    make_article(published_at=at(10))
    assert client.get("/archive/2024/12/11/").status_code == 404


def test_archive_day_that_does_not_exist_is_not_found(client):
    assert client.get("/archive/2024/02/30/").status_code == 404


def test_archive_day_is_paginated(client, make_article):
    for n in range(25):
        make_article(headline=f"خبر رقم {n}", published_at=at(10, 23, 59 - n))
    assert "خبر رقم 19<" in client.get("/archive/2024/12/10/").content.decode()
    assert "خبر رقم 20<" in client.get("/archive/2024/12/10/?page=2").content.decode()
    assert client.get("/archive/2024/12/10/?page=3").status_code == 404


def test_archive_day_stays_within_three_queries(
    client, make_article, django_assert_max_num_queries
):
    for n in range(35):
        make_article(published_at=at(10, 23, 59 - n), source=f"وكالة {n % 3}")
    make_article(published_at=at(9))
    make_article(published_at=at(11))
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(3):
        response = client.get("/archive/2024/12/10/")
    assert response.status_code == 200
    assert 'rel="prev"' in response.content.decode()


def test_archive_day_title_names_the_day(client, make_article, settings):
    settings.ARABIC_MONTH_STYLE = "gregorian"
    make_article(published_at=at(10))
    html = client.get("/archive/2024/12/10/").content.decode()
    assert "<title>أخبار الثلاثاء 10 ديسمبر 2024 | بوابة الأخبار</title>" in html


def test_archive_index_lists_days_with_their_counts(client, make_article):
    make_article(published_at=at(10, 8))
    make_article(published_at=at(10, 9))
    make_article(published_at=at(12))
    make_article(published_at=at(11), status=Article.Status.DRAFT)
    html = client.get("/archive/").content.decode()
    assert 'href="/archive/2024/12/10/"' in html
    assert 'href="/archive/2024/12/12/"' in html
    assert 'href="/archive/2024/12/11/"' not in html
    assert "خبران" in html
    assert html.index("/archive/2024/12/12/") < html.index("/archive/2024/12/10/")


def test_archive_index_stays_within_two_queries(
    client, make_article, django_assert_max_num_queries
):
    for n in range(1, 32):
        make_article(published_at=at(n))
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(2):
        assert client.get("/archive/").status_code == 200


def test_archive_day_at_the_end_of_the_calendar_is_not_found(client, make_article):
    # The day after 9999-12-31 overflows Python's dates: a 404, never a 500.
    make_article(published_at=at(10))
    assert client.get("/archive/9999/12/31/").status_code == 404
