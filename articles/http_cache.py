"""How long browsers and shared caches may keep a reader page, and what it shows.

Two halves of one policy:

* ``Cache-Control``: a page for a reader not signed in is ``public`` with a
  short ``max-age`` for browsers (which no purge reaches), a longer
  ``s-maxage`` for shared caches (Varnish, a CDN: purged when a story
  changes), ``stale-while-revalidate`` and ``stale-if-error``; all from the
  ``HTTP_CACHE_*`` settings. A signed-in user's page is ``private, no-cache``.
* ``Surrogate-Key``: the space-separated names of what the page shows, so an
  edge cache can drop exactly the pages a change touches (``articles.purges``
  sends those names when a story changes):

  ==================  =====================================================
  ``story-<id>``      the story: its page and every list that shows it
  ``source-<id>``     the source: its page, and its stories' pages (their
                      related stories come mostly from the same source)
  ``day-YYYYMMDD``    the day's archive page, and the day's story pages
                      (their older/newer links)
  ``front``           the front page, every page of it
  ``archive``         the archive's index (the days and their counts)
  ``search``          search results and suggestions
  ``nav``             every HTML page: its header lists the sources
  ``feeds``           the feeds (tagged by deploy/varnish.vcl by address)
  ``sitemap``         the sitemaps (tagged by deploy/varnish.vcl by address)
  ==================  =====================================================

Days are the site's days (``TIME_ZONE``), as the archive's addresses are.

A story scheduled ahead appears when its time comes, with nothing written and
so nothing purged. Each change therefore remembers the next scheduled times in
the shared cache (``remember_schedule``, after the commit), and no page is
kept past the next of them (``seconds_to_next_scheduled``). Were the cache
emptied, or every remembered time passed, they are read afresh.
"""

from __future__ import annotations

import datetime
import logging
import math
import time
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.models import Article

logger = logging.getLogger(__name__)

SURROGATE_KEY_HEADER = "Surrogate-Key"

FRONT = "front"
ARCHIVE = "archive"
SEARCH = "search"
NAV = "nav"
FEEDS = "feeds"
SITEMAP = "sitemap"

_SCHEDULE_KEY = "http-cache:schedule"
# Scheduled times remembered at each change: enough for a busy desk's day.
SCHEDULE_COUNT = 50


def story_key(pk: int) -> str:
    return f"story-{pk}"


def source_key(pk: int) -> str:
    return f"source-{pk}"


def day_key(day: datetime.date) -> str:
    return f"day-{day:%Y%m%d}"


def story_day(article) -> datetime.date:
    """The day (in the site's time zone) whose archive lists ``article``."""
    return timezone.localdate(article.published_at)


def story_page_keys(article) -> list[str]:
    """The keys of a story's page: the story, its source, its day, the header."""
    return [story_key(article.pk), source_key(article.source_id), day_key(story_day(article)), NAV]


def listing_keys(names: Iterable[str], stories: Iterable) -> list[str]:
    """The keys of a list page: its own ``names``, each story it shows, the header.

    Naming each story means that an edit to one (a new headline, a withdrawal)
    purges every list showing it.
    """
    return [*names, *(story_key(story.pk) for story in stories), NAV]


def changed_story_keys(articles: Iterable) -> list[str]:
    """What to purge when ``articles`` change: each one and every page that lists it.

    A story may also have just entered or left the lists (published,
    withdrawn), so every list it belongs to goes, whether it showed it or not.
    """
    keys = {FRONT, ARCHIVE, SEARCH, FEEDS, SITEMAP}
    for article in articles:
        keys.update(story_page_keys(article))
    keys.discard(NAV)
    return sorted(keys)


def tag(response, keys: Iterable[str]):
    """Name what ``response`` shows in its ``Surrogate-Key`` header; return it."""
    names = dict.fromkeys(key for key in keys if key)
    if names:
        response.headers[SURROGATE_KEY_HEADER] = " ".join(names)
    return response


def remember_schedule(**signal_arguments) -> None:
    """Receive ``story_changed``: keep the next scheduled stories' times in the shared cache."""
    _remember(_upcoming_schedule())


def _remember(moments: list[float]) -> None:
    try:
        cache.set(_SCHEDULE_KEY, moments, None)
    except Exception:
        # Never the editor's save: pages are then kept by the times read afresh.
        logger.warning("The shared cache did not answer: the schedule was not kept")


def seconds_to_next_scheduled(now: float | None = None) -> int | None:
    """Whole seconds until the next scheduled story appears; None if none is.

    From the times ``remember_schedule`` keeps; read afresh (one indexed
    query) when the shared cache has lost them or does not answer.
    """
    now = time.time() if now is None else now
    try:
        moments = cache.get(_SCHEDULE_KEY)
    except Exception:
        logger.warning("The shared cache did not answer: the schedule is read afresh")
        moments = _upcoming_schedule()
    else:
        # Lost (the cache emptied), or every remembered time gone by on a busy day.
        if moments is None or (len(moments) >= SCHEDULE_COUNT and max(moments) <= now):
            moments = _upcoming_schedule()
            _remember(moments)
    upcoming = [moment for moment in moments if moment > now]
    return math.ceil(min(upcoming) - now) if upcoming else None


def _upcoming_schedule() -> list[float]:
    """The times (timestamps) of the next ``SCHEDULE_COUNT`` scheduled stories."""
    moments = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)[:SCHEDULE_COUNT]
    )
    return [moment.timestamp() for moment in moments]


def patch_reader_cache(request, response) -> None:
    """Set ``response``'s Cache-Control for ``request``'s reader, as the module says.

    A signed-in user's page is nobody else's: it is ``private, no-cache`` and
    loses any Surrogate-Key, so no shared cache stores it.
    """
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, no_cache=True)
        del response[SURROGATE_KEY_HEADER]
        return
    # Not kept past the moment a scheduled story changes what the page lists.
    until = seconds_to_next_scheduled()
    max_age, s_maxage = settings.HTTP_CACHE_MAX_AGE, settings.HTTP_CACHE_S_MAXAGE
    if until is not None:
        max_age, s_maxage = min(max_age, until), min(s_maxage, until)
    patch_cache_control(
        response,
        public=True,
        max_age=max_age,
        s_maxage=s_maxage,
        stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
        stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR,
    )


def public_cache(view):
    """Decorate a reader view: its responses get ``patch_reader_cache``.

    A response that already says how to cache it (a preview's ``no-store``) is
    left as it is.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "Cache-Control" not in response:
            patch_reader_cache(request, response)
        return response

    return wrapper
