"""The story page's HTTP caching: validators, 304 answers, Cache-Control."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

pytestmark = pytest.mark.django_db


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_story_page_sends_validators_and_public_cache_control(client, make_article, settings):
    settings.HTTP_CACHE_MAX_AGE = 120
    article = make_article()
    response = client.get(article.get_absolute_url())
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == http_date(
        max(article.updated_at, article.published_at).timestamp()
    )
    assert "public" in response["Cache-Control"]
    assert "max-age=120" in response["Cache-Control"]


def test_story_page_answers_304_to_a_matching_etag(client, make_article):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_story_page_answers_304_to_if_modified_since(client, make_article):
    article = make_article()
    last_modified = client.get(article.get_absolute_url())["Last-Modified"]
    response = client.get(article.get_absolute_url(), headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_conditional_get_needs_the_story_and_its_surroundings_only(
    client, make_article, django_assert_num_queries
):
    # The story, then its neighbours and related stories (one query): no
    # paragraphs, no rendering.
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(2):
        response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304


def test_a_new_related_story_changes_the_etag(client, make_article):
    article = make_article(
        headline="افتتاح محطة لتحلية المياه في العقبة", published_at=hours_ago(3)
    )
    etag = client.get(article.get_absolute_url())["ETag"]
    make_article(headline="محطة التحلية في العقبة تبدأ العمل", published_at=hours_ago(30))
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "محطة التحلية في العقبة تبدأ العمل" in response.content.decode()


def test_edited_story_answers_200_to_the_old_etag(client, make_article):
    article = make_article()
    etag = client.get(article.get_absolute_url())["ETag"]
    article.headline = "عنوان معدّل"
    article.save()
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 200
    assert "عنوان معدّل" in response.content.decode()


def test_new_neighbour_changes_the_etag(client, make_article):
    article = make_article(published_at=hours_ago(3))
    etag = client.get(article.get_absolute_url())["ETag"]
    make_article(published_at=hours_ago(1))
    assert (
        client.get(article.get_absolute_url(), headers={"if-none-match": etag}).status_code == 200
    )
