"""Purges of the HTTP caches in front of the site, by surrogate key, in the background.

``HTTP_CACHE_PURGE_URLS`` lists the caches (base URLs, comma-separated); empty,
nothing is sent. ``purge(keys)`` is called once a change is committed (see
``articles.apps``); it only queues the keys, so the editor's request never
waits for a cache. One daemon thread per process takes them off the queue,
merges whatever has piled up, and sends each cache

    PURGE / HTTP/1.1
    Host: <the cache's host>
    xkey-purge: story-12 source-3 day-20261204 front ...

which ``deploy/varnish.vcl`` hands to the ``xkey`` vmod (a hard purge: the
pages go at once). Keys are separated by spaces; a long list is split into
several requests so that no header passes ``MAX_HEADER_CHARS`` (Varnish
refuses request headers over 8 KB by default). A 2xx answer is a success.
Anything else, a refused connection or a cache slower than
``HTTP_CACHE_PURGE_TIMEOUT`` seconds is logged as a warning and dropped: the
pages then expire on their own (``HTTP_CACHE_S_MAXAGE``). A CDN whose purge
API differs (Fastly: ``POST /service/<id>/purge`` with ``Surrogate-Key``) gets
a function beside ``send`` and a branch in ``_send_all``.

Wagtail's ``wagtail.contrib.frontend_cache`` is the model: batched, logged,
never failing the save.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from articles import http_cache
from articles.models import Article
from articles.selectors import nav_sources

logger = logging.getLogger(__name__)

PURGE_METHOD = "PURGE"
PURGE_HEADER = "xkey-purge"
MAX_HEADER_CHARS = 4000
# Batches waiting for the thread; past this a burst is dropped (and logged)
# rather than holding memory: the pages still expire on their own.
QUEUE_SIZE = 1000
# How long a process that ends (a command after an import) waits for its purges.
EXIT_WAIT_SECONDS = 10.0

# The header's sources at the last change, in the shared cache.
_NAV_SOURCES_KEY = "purges:nav-sources"

_queue: queue.Queue[frozenset[str]] = queue.Queue(QUEUE_SIZE)
_worker: threading.Thread | None = None
_worker_pid: int | None = None
_lock = threading.Lock()


def purge_urls() -> list[str]:
    """The caches to purge, from ``HTTP_CACHE_PURGE_URLS``."""
    return [url.strip().rstrip("/") for url in settings.HTTP_CACHE_PURGE_URLS if url.strip()]


def purge(keys: Iterable[str]) -> None:
    """Queue a purge of ``keys`` in every cache; return at once. Call after the commit."""
    keys = frozenset(keys)
    if not keys or not purge_urls():
        return
    _ensure_worker()
    try:
        _queue.put_nowait(keys)
    except queue.Full:
        logger.warning("Cache purge queue full: %d keys not purged", len(keys))


def purge_changed_stories(article_ids, **signal_arguments) -> None:
    """Receive ``articles.transitions.story_changed`` (sent after the commit): purge their pages.

    Two queries (the stories' sources and days, the header's sources), and
    only when there is a cache to purge.
    """
    if not purge_urls():
        return
    stories = Article.objects.filter(pk__in=article_ids).only(
        "pk", "source_id", "published_at", "story_group_id"
    )
    # A story no longer stored still has its page and its place in lists to drop.
    keys = [*http_cache.changed_story_keys(stories), *map(http_cache.story_key, article_ids)]
    if navigation_changed():
        keys.append(http_cache.NAV)
    purge(keys)


def navigation_changed() -> bool:
    """Whether the header's sources differ from the last change's (a source's first
    story published, or its last withdrawn): then every page's header changed."""
    current = list(nav_sources().values_list("pk", flat=True))
    before = cache.get(_NAV_SOURCES_KEY)
    cache.set(_NAV_SOURCES_KEY, current, None)
    return before is not None and before != current


def purge_deleted_story(instance, **signal_arguments) -> None:
    """Receive a story's ``post_delete``: once committed, purge its page and its lists."""
    if purge_urls():
        keys = http_cache.changed_story_keys([instance])
        transaction.on_commit(lambda: purge(keys))


def purge_source(instance, created=False, **signal_arguments) -> None:
    """Receive a source's ``post_save``/``post_delete``: once committed, purge its pages.

    Every page's header lists the sources by name, so a rename purges ``nav``
    too. A new source has no pages yet.
    """
    if created or not purge_urls():
        return
    keys = [http_cache.source_key(instance.pk), http_cache.NAV]
    transaction.on_commit(lambda: purge(keys))


def wait(timeout: float = 10.0) -> bool:
    """Wait until every queued purge has been tried; False if ``timeout`` passed first.

    For tests and commands that exit right after a change.
    """
    done = threading.Event()

    def join():
        _queue.join()
        done.set()

    threading.Thread(target=join, daemon=True).start()
    return done.wait(timeout)


def key_batches(keys: Iterable[str], limit: int = MAX_HEADER_CHARS) -> list[str]:
    """``keys`` sorted and joined by spaces, in header values of at most ``limit`` characters."""
    batches: list[str] = []
    current = ""
    for key in sorted(set(keys)):
        if current and len(current) + 1 + len(key) > limit:
            batches.append(current)
            current = key
        else:
            current = f"{current} {key}" if current else key
    if current:
        batches.append(current)
    return batches


def send(base_url: str, header_value: str) -> None:
    """Send one purge of the keys in ``header_value`` to the cache at ``base_url``.

    Raises ``OSError`` (``urllib.error.URLError``, ``TimeoutError``) when the
    cache cannot be reached in time or answers other than 2xx, ``ValueError``
    for a URL that is not http(s).
    """
    if not base_url.startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) URL: {base_url!r}")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        f"{base_url}/", method=PURGE_METHOD, headers={PURGE_HEADER: header_value}
    )
    timeout = settings.HTTP_CACHE_PURGE_TIMEOUT
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        response.read()


def _send_all(keys: set[str]) -> None:
    for base_url in purge_urls():
        for header_value in key_batches(keys):
            try:
                send(base_url, header_value)
            except (OSError, ValueError) as error:
                # ValueError: a URL in the setting that urllib cannot use.
                logger.warning("Cache purge failed at %s (%s): %s", base_url, header_value, error)


def _run() -> None:
    while True:
        keys = set(_queue.get())
        taken = 1
        # Whatever piled up meanwhile (an import's many commits) goes in the same requests.
        while True:
            try:
                keys |= _queue.get_nowait()
                taken += 1
            except queue.Empty:
                break
        try:
            _send_all(keys)
        except Exception:
            logger.exception("Cache purge of %d keys failed", len(keys))
        finally:
            for _ in range(taken):
                _queue.task_done()


def _ensure_worker() -> None:
    """Start the thread in this process, again after a fork (gunicorn's workers)."""
    global _worker, _worker_pid
    with _lock:
        if _worker is not None and _worker_pid == os.getpid() and _worker.is_alive():
            return
        if _worker is None:
            # A daemon thread dies with the interpreter: let it finish first.
            atexit.register(wait, EXIT_WAIT_SECONDS)
        _worker_pid = os.getpid()
        _worker = threading.Thread(target=_run, name="cache-purges", daemon=True)
        _worker.start()
