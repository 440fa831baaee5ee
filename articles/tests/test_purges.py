"""Purges of the HTTP caches by surrogate key (articles.purges), against real local listeners."""

import http.server
import logging
import os
import subprocess
import sys
import threading
import time

import pytest
from django.db import transaction

from articles import purges, transitions
from articles.models import Article, Source
from articles.tests.admin_support import changelist_url, reloaded

pytestmark = pytest.mark.django_db


class Listener(http.server.ThreadingHTTPServer):
    """A local HTTP cache stand-in: records each PURGE, answers ``status`` after ``delay``."""

    daemon_threads = True

    def __init__(self, status=200, delay=0.0):
        self.status, self.delay = status, delay
        self.received = []  # (method, path, headers: case-insensitive)
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def purged_keys(self) -> set[str]:
        return {key for _, _, headers in self.received for key in headers["xkey-purge"].split()}


class PurgeHandler(http.server.BaseHTTPRequestHandler):
    def do_PURGE(self):
        time.sleep(self.server.delay)
        self.server.received.append((self.command, self.path, self.headers))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def listen(settings):
    """Start listeners and name them in HTTP_CACHE_PURGE_URLS; shut them down after the test."""
    started = []
    settings.HTTP_CACHE_PURGE_TIMEOUT = 1.0

    def start(*listeners):
        started.extend(listeners)
        settings.HTTP_CACHE_PURGE_URLS = [listener.url for listener in listeners]
        return listeners[0] if len(listeners) == 1 else listeners

    yield start
    assert purges.wait(), "purges still queued after the test"
    for listener in started:
        listener.shutdown()
        listener.server_close()


def publish(article, editor):
    transitions.release(article)
    transitions.save([(article, "نُشر")], ["status", "published_at", "released_at"], editor)


def test_publish_purges_the_story_and_its_lists_after_commit(
    listen, make_article, editor, django_capture_on_commit_callbacks
):
    cache = listen(Listener())
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, editor)
    assert purges.wait()
    method, path, _ = cache.received[0]
    assert (method, path, len(cache.received)) == ("PURGE", "/", 1)
    expected = {f"story-{article.pk}", f"source-{article.source_id}", "front", "feeds"}
    assert expected <= cache.purged_keys()


def test_nothing_is_sent_before_the_commit(
    listen, make_article, editor, django_capture_on_commit_callbacks
):
    cache = listen(Listener())
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, editor)
        assert purges.wait()
        assert cache.received == []
    assert purges.wait()
    assert len(cache.received) == 1


def test_rolled_back_change_sends_no_purge(
    listen, make_article, editor, django_capture_on_commit_callbacks
):
    cache = listen(Listener())
    article = make_article(status=Article.Status.DRAFT)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(article, editor)
        raise RuntimeError("the save fails after the write")
    assert purges.wait()
    assert cache.received == []


def test_every_cache_is_purged(listen, make_article, editor, django_capture_on_commit_callbacks):
    caches = listen(Listener(), Listener())
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, editor)
    assert purges.wait()
    assert [f"story-{article.pk}" in cache.purged_keys() for cache in caches] == [True, True]


def test_unreachable_cache_is_logged_and_the_editors_save_succeeds(
    listen, make_article, editor_client, django_capture_on_commit_callbacks, caplog
):
    closed = Listener()
    listen(closed)
    closed.server_close()  # Nothing listens on its port any more: the connection is refused.
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            changelist_url(),
            {"action": "publish", "_selected_action": [article.pk], "index": "0"},
            follow=True,
        )
    assert purges.wait()
    assert response.status_code == 200
    assert reloaded(article).status == Article.Status.PUBLISHED
    assert "Cache purge failed" in caplog.text


def test_slow_cache_never_delays_the_save_and_is_logged_after_the_timeout(
    listen, settings, make_article, editor, django_capture_on_commit_callbacks, caplog
):
    cache = listen(Listener(delay=2.0))
    settings.HTTP_CACHE_PURGE_TIMEOUT = 0.3
    article = make_article(status=Article.Status.DRAFT)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, editor)
    assert time.monotonic() - started < 1.0
    assert purges.wait()
    assert "timed out" in caplog.text
    assert reloaded(article).status == Article.Status.PUBLISHED
    cache.delay = 0


def test_error_answer_is_logged(
    listen, make_article, editor, django_capture_on_commit_callbacks, caplog
):
    listen(Listener(status=500))
    article = make_article(status=Article.Status.DRAFT)
    with caplog.at_level(logging.WARNING, logger="articles.purges"):
        with django_capture_on_commit_callbacks(execute=True):
            publish(article, editor)
        assert purges.wait()
    assert "HTTP Error 500" in caplog.text


def test_source_rename_purges_the_source_and_every_header(
    listen, django_capture_on_commit_callbacks
):
    source = Source.objects.create(name="بترا")
    cache = listen(Listener())
    with django_capture_on_commit_callbacks(execute=True):
        source.name = "وكالة الأنباء الأردنية"
        source.save()
    assert purges.wait()
    assert cache.purged_keys() == {f"source-{source.pk}", "nav"}


def test_no_purge_without_caches(
    settings, make_article, editor, django_capture_on_commit_callbacks
):
    settings.HTTP_CACHE_PURGE_URLS = []
    article = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article, editor)
    assert purges._queue.unfinished_tasks == 0


def test_long_key_lists_are_split_into_bounded_headers():
    keys = [f"story-{number}" for number in range(2000)]
    batches = purges.key_batches(keys, limit=1000)
    assert all(len(batch) <= 1000 for batch in batches)
    assert sorted(key for batch in batches for key in batch.split()) == sorted(keys)


def test_a_process_that_ends_sends_its_purges_first(listen):
    cache = listen(Listener())
    script = "import django; django.setup(); from articles import purges; purges.purge(['front'])"
    environment = {**os.environ, "HTTP_CACHE_PURGE_URLS": cache.url}
    subprocess.run([sys.executable, "-c", script], env=environment, check=True, timeout=60)
    assert cache.purged_keys() == {"front"}


def test_deleted_story_purges_its_page_and_its_lists(
    listen, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    cache = listen(Listener())
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).delete()
    assert purges.wait()
    assert {f"story-{article.pk}", "front"} <= cache.purged_keys()


def test_a_sources_first_story_purges_every_pages_header(
    listen, make_article, editor, django_capture_on_commit_callbacks
):
    cache = listen(Listener())
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(status=Article.Status.DRAFT, source="بترا"), editor)
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(status=Article.Status.DRAFT, source="وفا"), editor)
    assert purges.wait()
    assert "nav" in cache.purged_keys()


def test_a_sources_second_story_leaves_the_headers(
    listen, make_article, editor, django_capture_on_commit_callbacks
):
    make_article(source="بترا")
    cache = listen(Listener())
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(status=Article.Status.DRAFT, source="بترا"), editor)
    with django_capture_on_commit_callbacks(execute=True):
        publish(make_article(status=Article.Status.DRAFT, source="بترا"), editor)
    assert purges.wait()
    assert "nav" not in cache.purged_keys()
