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
  ``group-<id>``      the story pages of a group's copies (each lists the
                      others): purged when a copy joins or leaves
  ``front``           the front page, every page of it
  ``archive``         the archive's index (the days and their counts)
  ``search``          search results and suggestions
  ``nav``             every HTML page: its header lists the sources
  ``feeds``           the feeds (tagged by deploy/varnish.vcl by address)
  ``sitemap``         the sitemaps (tagged by deploy/varnish.vcl by address)
  ==================  =====================================================

Days are the site's days (``TIME_ZONE``), as the archive's addresses are.

A story scheduled ahead appears when its time comes, with nothing written and
so nothing purged: no page is kept past the next scheduled story's time
(``seconds_to_next_scheduled``), which the page cache already knows for its
generation (``articles.page_cache.next_scheduled_at``).
"""

from __future__ import annotations

import datetime
import logging
import math
import time
from collections.abc import Iterable
from functools import wraps

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control

from articles.page_cache import first_scheduled_at, schedule, shared_cache

logger = logging.getLogger(__name__)

SURROGATE_KEY_HEADER = "Surrogate-Key"

FRONT = "front"
ARCHIVE = "archive"
SEARCH = "search"
NAV = "nav"
FEEDS = "feeds"
SITEMAP = "sitemap"


def story_key(pk: int) -> str:
    return f"story-{pk}"


def source_key(pk: int) -> str:
    return f"source-{pk}"


def group_key(pk: int) -> str:
    return f"group-{pk}"


def day_key(day: datetime.date) -> str:
    return f"day-{day:%Y%m%d}"


def story_day(article) -> datetime.date:
    """The day (in the site's time zone) whose archive lists ``article``."""
    return timezone.localdate(article.published_at)


def story_page_keys(article) -> list[str]:
    """The keys of a story's page: the story, its source, its day, its group, the header."""
    keys = [story_key(article.pk), source_key(article.source_id), day_key(story_day(article))]
    if article.story_group_id is not None:
        keys.append(group_key(article.story_group_id))
    return [*keys, NAV]


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


def seconds_to_next_scheduled(now: float | None = None) -> int | None:
    """Whole seconds until the next scheduled story appears; None if none is.

    The page cache's own answer (``articles.page_cache.schedule``: kept in
    the shared cache for each generation, so one indexed query after each
    change, and read with the generation in one round trip), read afresh
    when the shared cache does not answer.
    """
    now = time.time() if now is None else now
    try:
        cache = shared_cache()
        at = schedule(cache, now)
    except Exception:
        logger.warning("The shared cache did not answer: the schedule is read afresh")
        at = first_scheduled_at()
    return math.ceil(at - now) if at is not None and at > now else None


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
