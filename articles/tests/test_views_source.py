"""The source page: one agency's published stories."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.http_cache import seconds_to_next_scheduled
from articles.models import Article, Source

pytestmark = pytest.mark.django_db


def source_url(name):
    return reverse("articles:source", kwargs={"slug": Source.objects.get(name=name).slug})


def test_source_page_lists_that_source_only(client, make_article):
    make_article(headline="خبر من وكالة الأنباء الأردنية", source="بترا")
    make_article(headline="خبر من وكالة أخرى", source="وام")
    response = client.get(source_url("بترا"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="page-title">أخبار <bdi>بترا</bdi></h1>' in html
    assert "خبر من وكالة الأنباء الأردنية" in html
    assert "خبر من وكالة أخرى" not in html


def test_source_page_has_an_arabic_unicode_address(make_article):
    make_article(source="أ ف ب")
    assert source_url("أ ف ب") == "/source/%D8%A3-%D9%81-%D8%A8/"


def test_source_page_hides_drafts_withdrawn_and_scheduled(client, make_article):
    make_article(source="بترا")
    make_article(headline="مسودة لم تنشر", source="بترا", status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", source="بترا", status=Article.Status.WITHDRAWN)
    make_article(
        headline="خبر مجدول",
        source="بترا",
        published_at=timezone.now() + datetime.timedelta(hours=1),
    )
    html = client.get(source_url("بترا")).content.decode()
    assert "مسودة لم تنشر" not in html
    assert "خبر مسحوب" not in html
    assert "خبر مجدول" not in html
    assert "خبر واحد" in html


def test_source_with_only_drafts_is_not_found(client, make_article):
    make_article(source="وكالة جديدة", status=Article.Status.DRAFT)
    assert client.get(source_url("وكالة جديدة")).status_code == 404


def test_unknown_source_is_not_found(client):
    assert client.get("/source/لا-توجد/").status_code == 404


def test_source_page_is_paginated(client, make_article):
    for n in range(25):
        make_article(
            headline=f"خبر رقم {n}",
            source="بترا",
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
    first = client.get(source_url("بترا")).content.decode()
    assert "25 خبرًا" in first
    assert "خبر رقم 19<" in first and "خبر رقم 20<" not in first
    second = client.get(source_url("بترا") + "?page=2").content.decode()
    assert "خبر رقم 20<" in second
    assert client.get(source_url("بترا") + "?page=3").status_code == 404


def test_source_page_stays_within_three_queries(
    client, make_article, django_assert_max_num_queries
):
    for n in range(35):
        make_article(
            headline=f"خبر رقم {n}",
            source="بترا" if n % 2 else "وام",
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
        )
    url = source_url("بترا")
    # The next scheduled time, known for the generation after its first request.
    seconds_to_next_scheduled()
    with django_assert_max_num_queries(3):
        response = client.get(url)
    assert response.status_code == 200


def test_source_page_marks_its_navigation_link_current(client, make_article):
    make_article(source="بترا")
    html = client.get(source_url("بترا")).content.decode()
    assert f'<a href="{source_url("بترا")}" aria-current="page"><bdi>بترا</bdi></a>' in html


def test_source_page_names_the_source_in_title_and_description(client, make_article):
    make_article(source="بترا")
    html = client.get(source_url("بترا")).content.decode()
    assert "<title>أخبار بترا | بوابة الأخبار</title>" in html
    assert '<meta name="description" content="آخر الأخبار الواردة من بترا">' in html
