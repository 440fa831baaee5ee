"""Reads on a real streaming replica (newsportal.db_replicas, articles.replica_reads).

Every test runs the site against the session's own primary and replica
(conftest.streaming_cluster): rows are committed on the primary and reach the
replica by streaming replication, and ``pg_wal_replay_pause()`` holds the
replica behind on purpose. Stories get names of their own test's, so tests
need not empty the tables between them.
"""

import datetime
import itertools
import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, router
from django.test import Client
from django.utils import timezone

from articles.models import Article, Paragraph, Source
from articles.page_cache import GENERATION_KEY, HEADER, HIT, MISS, generation_lsn
from articles.replica_reads import READ_PRIMARY_COOKIE
from newsportal import db_replicas
from newsportal.tests.replica_cluster import REPLICA_ALIAS, free_port, site_on
from newsportal.tests.test_settings import PRODUCTION, read_settings

_numbers = itertools.count(1)


@pytest.fixture
def site(streaming_cluster, django_db_blocker, settings):
    """The site on the session's primary, reading anonymous reader pages from its replica."""
    settings.DATABASE_REPLICAS = [REPLICA_ALIAS]
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 30.0
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60.0
    db_replicas.forget_statuses()
    with django_db_blocker.unblock(), site_on(streaming_cluster):
        try:
            yield streaming_cluster
        finally:
            streaming_cluster.resume_replay()
            streaming_cluster.wait_for_replay()
            db_replicas.forget_statuses()


def publish(headline: str) -> Article:
    """A story published an hour ago, committed on the primary."""
    number = next(_numbers)
    article = Article.objects.create(
        guid=f"replica-test:{number}",
        headline=headline,
        slug=f"نسخة-{number}",
        source=Source.objects.get_or_create(name="بترا")[0],
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    Paragraph.objects.create(article=article, position=1, text="نص الخبر.")
    return article


def test_the_router_reads_the_primary_unless_told():
    assert router.db_for_read(Article) == "default"
    with db_replicas.reading_from(REPLICA_ALIAS):
        assert router.db_for_read(Article) == REPLICA_ALIAS
        assert router.db_for_write(Article) == "default"
    assert router.db_for_read(Article) == "default"


def test_migrations_never_run_on_a_replica(settings):
    settings.DATABASE_REPLICAS = [REPLICA_ALIAS]
    assert router.allow_migrate(REPLICA_ALIAS, "articles") is False
    assert router.allow_migrate("default", "articles") is True


def test_replica_urls_become_aliases_mirroring_the_primary_in_tests():
    values = read_settings(
        "DATABASES",
        "DATABASE_REPLICAS",
        **PRODUCTION,
        DATABASE_URL="postgres://news@primary.internal/news",
        DATABASE_REPLICA_URLS="postgres://news@r1.internal/news,postgres://news@r2.internal/news",
    )
    assert values["DATABASE_REPLICAS"] == ["replica_1", "replica_2"]
    replica = values["DATABASES"]["replica_2"]
    assert (replica["HOST"], replica["NAME"]) == ("r2.internal", "news")
    assert replica["TEST"] == {"MIRROR": "default"}
    assert replica["OPTIONS"]["connect_timeout"] == 2


def test_no_replica_is_configured_by_default():
    values = read_settings("DATABASES", "DATABASE_REPLICAS", **PRODUCTION, DATABASE_URL="")
    assert values["DATABASE_REPLICAS"] == []
    assert list(values["DATABASES"]) == ["default"]


def test_anonymous_reader_pages_read_the_replica(site):
    site.pause_replay()
    story = publish("خبر لم يصل إلى النسخة بعد")
    # The replica has not replayed the story: an anonymous reader does not see it yet.
    assert Client().get(story.get_absolute_url()).status_code == 404
    site.resume_replay()
    site.wait_for_replay()
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 200
    assert "خبر لم يصل إلى النسخة بعد" in response.content.decode()


def test_feeds_and_sitemaps_read_the_replica(site):
    site.pause_replay()
    story = publish("خبر في الخلاصة المتأخرة")
    assert "خبر في الخلاصة المتأخرة" not in Client().get("/feed/").content.decode()
    assert story.slug not in Client().get("/news-sitemap.xml").content.decode()
    site.resume_replay()
    site.wait_for_replay()
    assert "خبر في الخلاصة المتأخرة" in Client().get("/feed/").content.decode()


def test_search_reads_the_replica(site):
    from articles.search.index import refresh_search_vectors

    site.pause_replay()
    story = publish("مهرجان الزيتون في جرش")
    refresh_search_vectors([story.pk])
    # Its own SQL (the lexicon, the spans) as well as the ORM's: all on the
    # replica, which finds nothing yet (not a count of one with no story shown).
    page = Client().get("/search/", {"q": "الزيتون"}).content.decode()
    assert "لم نجد أخبارًا تطابق" in page
    site.resume_replay()
    site.wait_for_replay()
    page = Client().get("/search/", {"q": "الزيتون"}).content.decode()
    assert story.get_absolute_url() in page


def test_a_signed_in_editor_reads_the_primary(site):
    editor = get_user_model().objects.create_superuser(f"editor{next(_numbers)}", password="x")
    client = Client()
    client.force_login(editor)
    site.pause_replay()
    story = publish("خبر يراه المحرر فور حفظه")
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(f"/admin/articles/article/{story.pk}/change/").status_code == 200


def test_a_client_that_wrote_reads_the_primary_for_a_while(site, settings):
    client = Client()
    site.pause_replay()
    story = publish("خبر بعد إرسال نموذج")
    answer = client.post("/", {})
    cookie = answer.cookies[READ_PRIMARY_COOKIE]
    assert cookie["max-age"] == settings.READ_YOUR_WRITES_SECONDS
    assert cookie["httponly"]
    # The browser sends it back until it expires: the reads go to the primary.
    assert client.get(story.get_absolute_url()).status_code == 200
    del client.cookies[READ_PRIMARY_COOKIE]
    assert client.get(story.get_absolute_url()).status_code == 404


def test_a_replica_far_behind_is_skipped_with_a_log_line(site, settings, caplog):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.2
    site.pause_replay()
    publish("خبر أول بعد التوقف")
    # The lag counts from the last transaction replayed, with WAL waiting behind it.
    site._wait_until("SELECT now() - pg_last_xact_replay_timestamp() > interval '0.3 s'")
    story = publish("خبر والنسخة متأخرة كثيرا")
    with caplog.at_level(logging.WARNING, logger="newsportal.db_replicas"):
        assert Client().get(story.get_absolute_url()).status_code == 200
    assert "replica_1 skipped" in caplog.text
    assert "behind the primary" in caplog.text


def test_a_replica_that_is_down_is_skipped_with_a_log_line(site, caplog):
    connections[REPLICA_ALIAS].close()
    connections.settings[REPLICA_ALIAS]["PORT"] = str(free_port())
    story = publish("خبر والنسخة متوقفة")
    with caplog.at_level(logging.WARNING, logger="newsportal.db_replicas"):
        for _ in range(3):
            assert Client().get(story.get_absolute_url()).status_code == 200
    # Once, not on every request.
    assert caplog.text.count("replica_1 skipped") == 1
    assert "unreachable" in caplog.text


def test_a_replica_that_fails_mid_page_is_left_for_the_primary(site, caplog):
    story = publish("خبر والنسخة تسقط أثناء الصفحة")
    site.wait_for_replay()
    assert db_replicas.choose_replica().is_usable
    # Known usable, then gone before the page is read: the next check is a minute away.
    connections[REPLICA_ALIAS].close()
    connections.settings[REPLICA_ALIAS]["PORT"] = str(free_port())
    with caplog.at_level(logging.WARNING):
        response = Client().get(story.get_absolute_url())
    assert response.status_code == 200
    assert "خبر والنسخة تسقط أثناء الصفحة" in response.content.decode()
    assert "rendered on the primary" in caplog.text
    assert "replica_1 skipped" in caplog.text
    assert db_replicas.choose_replica() is None


def test_a_replica_back_is_used_again(site, settings, caplog):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.2
    site.pause_replay()
    publish("خبر قبل العودة")
    site._wait_until("SELECT now() - pg_last_xact_replay_timestamp() > interval '0.3 s'")
    assert db_replicas.choose_replica() is None
    site.resume_replay()
    site.wait_for_replay()
    with caplog.at_level(logging.INFO, logger="newsportal.db_replicas"):
        assert db_replicas.choose_replica().alias == REPLICA_ALIAS
    assert "replica_1 is back" in caplog.text


def test_reads_are_spread_over_the_replicas(site, settings):
    # A second alias for the same replica: which one is chosen is what counts.
    connections.settings["replica_2"] = dict(connections.settings[REPLICA_ALIAS])
    settings.DATABASE_REPLICAS = [REPLICA_ALIAS, "replica_2"]
    try:
        chosen = {db_replicas.choose_replica().alias for _ in range(50)}
    finally:
        connections["replica_2"].close()
        del connections["replica_2"]
        del connections.settings["replica_2"]
    assert chosen == {REPLICA_ALIAS, "replica_2"}


def test_the_replica_replays_a_committed_story_within_a_second(site):
    # The measure behind page_cache's choice: a page rendered on a replica
    # waits for the change, rather than being kept for a bounded time.
    publish("خبر لقياس التأخر")
    assert site.wait_for_replay() < 1.0


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_a_page_rendered_on_a_replica_behind_is_not_cached(site, page_cache_on):
    story = publish("العنوان الأول")
    site.wait_for_replay()
    url = story.get_absolute_url()
    assert Client().get(url)[HEADER] == MISS
    assert Client().get(url)[HEADER] == HIT

    site.pause_replay()
    story.headline = "العنوان بعد التصحيح"
    story.save()
    # The change began a generation that carries the primary's position.
    from django.core.cache import cache

    assert generation_lsn(cache.get(GENERATION_KEY)) is not None
    for _ in range(2):
        behind = Client().get(url)
        assert "العنوان الأول" in behind.content.decode()
        assert behind[HEADER] == MISS
        assert "max-age=0" in behind["Cache-Control"]
        assert "s-maxage=0" in behind["Cache-Control"]

    site.resume_replay()
    site.wait_for_replay()
    caught_up = Client().get(url)
    assert "العنوان بعد التصحيح" in caught_up.content.decode()
    assert caught_up[HEADER] == MISS
    assert "s-maxage=0" not in caught_up["Cache-Control"]
    again = Client().get(url)
    assert again[HEADER] == HIT
    assert "العنوان بعد التصحيح" in again.content.decode()


def test_a_page_rendered_on_the_primary_is_cached_while_the_replica_is_behind(
    site, page_cache_on, settings
):
    settings.DATABASE_REPLICAS = []
    story = publish("خبر بلا نسخ")
    url = story.get_absolute_url()
    assert Client().get(url)[HEADER] == MISS
    assert Client().get(url)[HEADER] == HIT
