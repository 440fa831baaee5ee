"""Reader pages' Cache-Control and Surrogate-Key headers (articles.http_cache)."""

import datetime

import pytest
from django.utils import timezone

from articles import transitions
from articles.http_cache import (
    changed_story_keys,
    day_key,
    seconds_to_next_scheduled,
    story_page_keys,
)
from articles.models import Article

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cache_settings(settings):
    settings.HTTP_CACHE_MAX_AGE = 30
    settings.HTTP_CACHE_S_MAXAGE = 900
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 45
    settings.HTTP_CACHE_STALE_IF_ERROR = 7200


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def keys(response) -> set[str]:
    return set(response["Surrogate-Key"].split())


def test_reader_page_sends_every_cache_control_directive_from_settings(client):
    response = client.get("/")
    assert directives(response) == {
        "public",
        "max-age=30",
        "s-maxage=900",
        "stale-while-revalidate=45",
        "stale-if-error=7200",
    }


def test_story_page_names_the_story_its_source_and_its_day(client, story):
    article = story()
    response = client.get(article.get_absolute_url())
    day = day_key(timezone.localdate(article.published_at))
    assert {f"story-{article.pk}", f"source-{article.source_id}", day, "nav"} <= keys(response)


def test_story_page_names_its_related_stories(client, story):
    article = story(headline="افتتاح محطة تحلية في العقبة")
    neighbour = story(headline="محطة تحلية جديدة في العقبة")
    response = client.get(article.get_absolute_url())
    assert f"story-{neighbour.pk}" in keys(response)


def test_front_page_names_front_and_each_story_it_lists(client, story):
    first, second = story(), story()
    assert {"front", "nav", f"story-{first.pk}", f"story-{second.pk}"} <= keys(client.get("/"))


def test_source_page_names_its_source_and_its_stories(client, story):
    article = story()
    response = client.get(f"/source/{article.source.slug}/")
    assert {f"source-{article.source_id}", f"story-{article.pk}"} <= keys(response)


def test_day_page_names_its_day_and_its_stories(client, story):
    article = story()
    day = timezone.localdate(article.published_at)
    response = client.get(f"/archive/{day:%Y/%m/%d}/")
    assert {day_key(day), f"story-{article.pk}"} <= keys(response)


def test_search_page_names_search(client, story):
    story()
    assert "search" in keys(client.get("/search/", {"q": "محطة"}))


def test_withdrawn_story_page_names_the_story(client, story):
    article = story(status=Article.Status.WITHDRAWN)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert f"story-{article.pk}" in keys(response)
    assert "s-maxage=900" in directives(response)


def test_signed_in_page_is_private_and_names_nothing(client, story, editor):
    article = story()
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    assert {"private", "no-cache"} <= directives(response)
    assert "Surrogate-Key" not in response


def test_preview_is_never_stored(client, story, editor):
    article = story(status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    assert {"private", "no-store"} <= directives(response)
    assert "Surrogate-Key" not in response


def test_not_modified_answer_keeps_the_cache_headers(client, story):
    article = story()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert response.status_code == 304
    assert "s-maxage=900" in directives(response)
    assert f"story-{article.pk}" in keys(response)


def test_changed_story_purges_its_page_and_every_list_it_belongs_to(story):
    article = story(published_at=timezone.make_aware(datetime.datetime(2026, 3, 9, 12)))
    assert set(changed_story_keys([article])) == {
        f"story-{article.pk}",
        f"source-{article.source_id}",
        "day-20260309",
        "front",
        "archive",
        "search",
        "feeds",
        "sitemap",
    }


def test_story_day_is_the_sites_day(story, settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    # 22:30 UTC on 8 March is 01:30 on 9 March in Riyadh.
    moment = datetime.datetime(2026, 3, 8, 22, 30, tzinfo=datetime.UTC)
    assert "day-20260309" in story_page_keys(story(published_at=moment))


def schedule(article, editor, at):
    article.published_at = at
    transitions.release(article)
    transitions.save([(article, "جُدول")], ["status", "published_at", "released_at"], editor)


def test_no_page_is_kept_past_the_next_scheduled_story(
    client, story, editor, django_capture_on_commit_callbacks
):
    draft = story(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(draft, editor, timezone.now() + datetime.timedelta(seconds=300))
    assert 295 <= seconds_to_next_scheduled() <= 300
    cache_control = directives(client.get("/"))
    assert "max-age=30" in cache_control
    assert {f"s-maxage={seconds}" for seconds in range(295, 301)} & cache_control


def test_a_scheduled_time_that_has_passed_bounds_nothing(
    story, editor, django_capture_on_commit_callbacks
):
    draft = story(status=Article.Status.DRAFT)
    moment = timezone.now() + datetime.timedelta(seconds=300)
    with django_capture_on_commit_callbacks(execute=True):
        schedule(draft, editor, moment)
    assert seconds_to_next_scheduled(now=moment.timestamp() + 1) is None
