"""The shared page cache: every reader page rendered once for all workers, never stale.

``PageCacheMiddleware`` keeps whole responses (status, headers, body) in the
shared cache (``CACHE_URL``: Redis in a deployment, the checkout's folder
otherwise) for ``PAGE_CACHE_SECONDS`` (0 switches it off), and serves them to
anonymous GETs of the reader's pages: the ``articles:`` views (not
``search-suggest``, which keeps its answers in a cache of its own), the feeds,
the sitemaps and robots.txt, each by its full address (scheme, host, path and
query string, hashed, so a long query makes no long key). Django's own
``CacheMiddleware`` is the model; what differs is how pages are forgotten.

Why a generation. Every reader page shows other stories than its own (the
story page its neighbours, related stories and the header's sources; the
lists, feeds and sitemaps many), so no change has a small, known set of pages:
precise keys would miss some. Every key carries instead a *generation*, a
random token kept in the shared cache. Once a change is committed (the
``story_changed`` announcement of ``articles.transitions``, which every write
path sends, and a story or source saved or deleted), ``forget_pages`` sets a
new token, and every worker of every machine renders its next pages afresh:
one cache write, whichever process made the change (the admin,
``import_articles``, a worker). A token, never a counter: a generation is
never used twice, so a page of an old one can never come back, and two writers
need no atomic increment. It moves only after the commit: a page rendered
between the write and the commit is filed under the generation that is then
dropped. The pages of old generations are never read again and expire
(``PAGE_CACHE_SECONDS``).

Read replicas (``DATABASE_REPLICA_URLS``). A page may be rendered on a
streaming replica (``articles.replica_reads``) that has not yet replayed the
change which began the generation; stored, it would pass for current for the
generation's whole life. So a generation's token carries the primary's WAL
position read once the change committed, and a page rendered on a replica is
stored only if that replica had replayed it before the page was rendered
(``newsportal.db_replicas``; a replica behind is asked again at that moment).
Otherwise the page is served with ``max-age=0, s-maxage=0``: no cache keeps
it. Exact rather than a bounded lifetime, because replicas replay within
milliseconds (measured on loopback with the tests' own primary and replica:
a committed row visible on the replica after 4 ms median, 12 ms at the 99th
percentile, a new connection included): a change costs a few renders, where a
bounded lifetime would serve every lagging page for the whole bound.

How scheduled times are honoured. A story published with its time ahead
appears when the time comes, with nothing written (``Article.objects.
published()``). So a page is kept no later than the next scheduled story's
time: that moment (``Article.objects.scheduled()``, one indexed query) is
itself cached per generation, looked up *before* the page is rendered, and
each page carries the moment it stops being served, checked on every hit
(a backend's expiry counts whole seconds; this check does not). Once the time
has passed, the next page rendered finds the following one, and the header's
navigation is forgotten too (``selectors.navigation`` keeps its sources for a
minute: the story's source may be new to readers). Two more things change
with no write, and bound a page's life the same way: the date in every page's
header (local midnight), and the Google News sitemap's 48 hours
(``selectors.NEWS_WINDOW``), which lets its oldest story go.

What is never cached, neither served nor filled:

* anything but a GET of a reader page, and any request carrying a session,
  CSRF, messages or language cookie, or an Authorization header: signed-in
  editors (and their previews) see the database, and their pages are
  nobody else's. Reader pages depend on no other cookie, so other cookies (a
  reader's own scripts') share the cached pages; Django's ``Vary: Cookie`` is
  satisfied that way. Any other ``Vary`` (``Accept-Encoding``, from
  ``GZipMiddleware`` below this one) files the page by those request headers,
  as Django's cache does; ``Accept-Language`` too when there is more than one
  language.
* a response with a status other than 200, 301, 404 and 410, a cookie, a
  ``Cache-Control`` with ``private`` or ``no-store`` (a preview says both),
  ``Vary: *``, a streaming body, or a user signed in after all.

Where it goes in ``MIDDLEWARE``: below WhiteNoise (static files never reach
it), above ``GZipMiddleware`` and the session, CSRF, authentication and
messages middleware. So a fill stores the response as the client receives it
(compressed, with every header the views and those middleware set:
Cache-Control, Surrogate-Key, ETag, Last-Modified, Vary, X-Frame-Options), and
sees any cookie they set; a hit costs none of them (nor ``request.user``: a
middleware above this one must not expect it). A hit answers conditional
GETs from the stored ETag and Last-Modified, as ``ConditionalGetMiddleware``
does, and says its ``Age``, so that the caches after it (Varnish, browsers)
count the page's ``max-age`` and ``s-maxage`` from when it was rendered.
``X-Page-Cache`` says ``hit``, ``miss`` or ``bypass``.

A cache that fails (Redis down) never breaks a page: the error is logged (at
most once a minute per process) and the page is rendered as if there were no
page cache. A new generation that cannot be written is logged as an error.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import secrets
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response, patch_cache_control
from django.utils.http import parse_http_date_safe

from articles.models import Article
from articles.selectors import NAVIGATION_SECONDS, NEWS_WINDOW, forget_navigation
from newsportal.db_replicas import primary_lsn, reads_include

logger = logging.getLogger(__name__)

PREFIX = "page-cache"
GENERATION_KEY = f"{PREFIX}:generation"
HEADER = "X-Page-Cache"
HIT, MISS, BYPASS = "hit", "miss", "bypass"
# Set on a miss for articles.replica_reads: the WAL position the page must include.
NEEDED_LSN_ATTRIBUTE = "page_cache_lsn"

# Reader pages outside the articles: namespace, by URL name (newsportal/urls.py).
READER_ROUTES = frozenset(
    {
        "feed",
        "feed-atom",
        "source-feed",
        "source-feed-atom",
        "sitemap",
        "sitemap-section",
        "news-sitemap",
        "robots",
    }
)
READER_NAMESPACE = "articles"
# Not kept here: the suggestions keep their answers in a cache of their own (views.py).
NOT_CACHED_ROUTES = frozenset({"articles:search-suggest"})
NEWS_SITEMAP_ROUTE = "news-sitemap"

CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
UNCACHEABLE_DIRECTIVES = frozenset({"private", "no-store"})
# The cookies of someone the site knows: signed in, mid-form, with a message
# waiting, or with a language chosen. Read by name, since a hit runs before
# the session and authentication middleware.
MESSAGES_COOKIE = "messages"
# How long the time of the next scheduled story may be kept at most; it is
# looked up again sooner when its generation changes or its time passes.
# (The reader pages' Cache-Control, articles.http_cache, asks it too.)
LONGEST_SCHEDULE_SECONDS = 24 * 60 * 60
# A cache that is down would otherwise log a traceback on every request.
WARNING_INTERVAL = 60.0
_quiet_until = 0.0


def shared_cache():
    """The cache every process of the site shares (``CACHE_URL``)."""
    return caches[DEFAULT_CACHE_ALIAS]


# The generation ----------------------------------------------------------


def _token() -> str:
    """A new generation's token; with replicas, the primary's WAL position after its ``.``."""
    token = secrets.token_hex(8)
    # Read just before the token is set: two changes committing at once can
    # only leave the later token with the earlier position within that instant.
    if settings.DATABASE_REPLICAS:
        token = f"{token}.{primary_lsn()}"
    return token


def generation_lsn(generation: str) -> int | None:
    """The primary's WAL position when ``generation`` began (None: not recorded)."""
    _, dot, lsn = generation.partition(".")
    return int(lsn) if dot and lsn.isdigit() else None


def current_generation(cache) -> str:
    """The generation every key carries now; started afresh if the cache has none."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # add(): of two processes starting one at once, both keep the same.
        token = _token()
        if cache.add(GENERATION_KEY, token, None):
            return token
        generation = cache.get(GENERATION_KEY) or token
    return generation


def new_generation() -> None:
    """Start a new generation: every worker renders its next reader pages afresh."""
    try:
        # The header's sources first: no page of the new generation may be
        # rendered with the old ones (selectors.navigation keeps them a minute).
        forget_navigation()
        shared_cache().set(GENERATION_KEY, _token(), None)
    except Exception:
        logger.exception("Could not start a new page cache generation: pages may be stale")


def forget_pages(**signal_arguments) -> None:
    """Receive ``story_changed`` and Article/Source saves and deletes: a new generation.

    Once the transaction commits (at once outside one): a page rendered in
    between is filed under the generation that the commit leaves behind.
    """
    transaction.on_commit(new_generation)


# When a page stops being served ---------------------------------------------


def first_scheduled_at() -> float | None:
    """When the next scheduled story appears (a timestamp), None if none is: one indexed query."""
    moment = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return moment.timestamp() if moment is not None else None


# The next scheduled time, with the generation it was read in: one fixed key,
# so that it is fetched with the generation in one round trip (``schedule``).
SCHEDULE_KEY = f"{PREFIX}:schedule"
_UNREAD = object()


def next_scheduled_at(cache, generation: str, now: float, entry=_UNREAD) -> float | None:
    """``first_scheduled_at``, kept in ``cache`` for ``generation``.

    Nothing becomes scheduled without a change, and every change starts a
    new generation: with none scheduled, the answer holds for the whole
    generation. A scheduled time is kept past itself for as long as the
    navigation keeps its sources, so that the first request after it still
    finds it, and forgets them (the story may be its source's first).
    ``entry``: the stored value of ``SCHEDULE_KEY``, if the caller read it.
    """
    if entry is _UNREAD:
        entry = cache.get(SCHEDULE_KEY)
    if entry is not None and entry.get("generation") == generation:
        if entry["at"] is None or entry["at"] > now:
            return entry["at"]
        forget_navigation()
    at = first_scheduled_at()
    seconds = LONGEST_SCHEDULE_SECONDS
    if at is not None:
        seconds = min(seconds, max(1, math.ceil(at - now) + NAVIGATION_SECONDS))
    cache.set(SCHEDULE_KEY, {"generation": generation, "at": at}, seconds)
    return at


def schedule(cache, now: float) -> float | None:
    """``next_scheduled_at`` for the current generation, both read in one round trip."""
    found = cache.get_many([GENERATION_KEY, SCHEDULE_KEY])
    generation = found.get(GENERATION_KEY) or current_generation(cache)
    return next_scheduled_at(cache, generation, now, found.get(SCHEDULE_KEY))


def next_midnight(now: float) -> float:
    """The next local midnight: every page's header shows today's date."""
    today = timezone.localdate(datetime.datetime.fromtimestamp(now, datetime.UTC))
    tomorrow = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(tomorrow).timestamp()


def news_window_end(now: float) -> float | None:
    """When the oldest story of the Google News sitemap leaves its window."""
    start = datetime.datetime.fromtimestamp(now, datetime.UTC) - NEWS_WINDOW
    oldest = (
        Article.objects.published()
        .filter(published_at__gte=start)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return (oldest + NEWS_WINDOW).timestamp() if oldest is not None else None


def page_expiry(cache, generation: str, route: str, now: float) -> float:
    """The moment a page rendered now stops being served (a timestamp)."""
    ends = [
        now + settings.PAGE_CACHE_SECONDS,
        next_midnight(now),
        next_scheduled_at(cache, generation, now),
    ]
    if route == NEWS_SITEMAP_ROUTE:
        ends.append(news_window_end(now))
    return min(end for end in ends if end is not None)


# What is served and stored ----------------------------------------------------


def reader_route(request) -> str | None:
    """The URL name of ``request``'s page if the page cache keeps it, else None."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    name = match.view_name
    if name in NOT_CACHED_ROUTES:
        return None
    if name in READER_ROUTES or READER_NAMESPACE in match.namespaces:
        return name
    return None


def is_anonymous(request) -> bool:
    """Whether nothing in ``request`` says who sends it (no session, CSRF, messages, language)."""
    known = {
        settings.SESSION_COOKIE_NAME,
        settings.CSRF_COOKIE_NAME,
        MESSAGES_COOKIE,
        settings.LANGUAGE_COOKIE_NAME,
    }
    return not known.intersection(request.COOKIES) and "authorization" not in request.headers


def _directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in cc_delim_re.split(header) if part}


def vary_headers(response) -> tuple[str, ...] | None:
    """The request headers ``response`` varies on that key it here; None for ``Vary: *``."""
    names = [
        name.strip().lower() for name in cc_delim_re.split(response.get("Vary", "")) if name.strip()
    ]
    if "*" in names:
        return None
    # Cookies: a request that carries one a page depends on is never served from here.
    ignored = {"cookie"}
    if len(settings.LANGUAGES) == 1:
        # LocaleMiddleware can only choose the one language.
        ignored.add("accept-language")
    return tuple(sorted(set(names) - ignored))


def is_storable(request, response) -> bool:
    """Whether ``response`` may be served to every anonymous reader who asks the same."""
    if response.status_code not in CACHEABLE_STATUSES or response.streaming:
        return False
    if response.cookies or "Set-Cookie" in response.headers:
        return False
    if _directives(response) & UNCACHEABLE_DIRECTIVES:
        return False
    if vary_headers(response) is None:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def page_key(generation: str, request) -> str:
    """The key of ``request``'s page in ``generation``: its whole address, hashed."""
    address = request.build_absolute_uri()
    return f"{PREFIX}:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def variant_key(key: str, names: tuple[str, ...], request) -> str:
    """The key of the variant of ``key`` that ``request``'s ``names`` headers select."""
    values = "\n".join(f"{name}:{request.headers.get(name, '')}" for name in names)
    return f"{key}:{hashlib.sha256(values.encode()).hexdigest()}"


def _entry(response, rendered_at: float, expires_at: float) -> dict:
    return {
        "status": response.status_code,
        "headers": list(response.headers.items()),
        "content": response.content,
        "rendered_at": rendered_at,
        "expires_at": expires_at,
    }


def _response(entry: dict, now: float) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response.headers[name] = value
    # How long ago it was rendered, as a shared cache says (RFC 9111, 5.1):
    # Varnish and browsers count its max-age and s-maxage from then, so a page
    # whose lifetime the views cut at a scheduled story's time ends there.
    response.headers["Age"] = str(max(0, int(now - entry["rendered_at"])))
    return response


def cached_response(cache, key: str, request, now: float) -> HttpResponse | None:
    """The stored page for ``request`` under ``key``, if there is one still to be served."""
    entry = cache.get(key)
    if entry is not None and entry.get("vary"):
        entry = cache.get(variant_key(key, entry["vary"], request))
    if entry is None or entry["expires_at"] <= now:
        return None
    return _response(entry, now)


def store(cache, key: str, request, response, rendered_at: float, expires_at: float) -> None:
    """Keep ``response``, rendered at ``rendered_at``, under ``key`` (or its variant) until
    ``expires_at``."""
    seconds = expires_at - time.time()
    if seconds <= 0:
        return
    # Whole seconds, rounded up: the entry's own expires_at is exact.
    timeout = math.ceil(seconds)
    entry = _entry(response, rendered_at, expires_at)
    names = vary_headers(response)
    if names:
        cache.set(variant_key(key, names, request), entry, timeout)
        entry = {"vary": names}
    cache.set(key, entry, timeout)


def answer_conditionally(request, response):
    """A 304 (or 412) from the stored ETag and Last-Modified, as ConditionalGetMiddleware."""
    etag = response.get("ETag")
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    if etag or last_modified:
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
    return response


def _cache_failed(doing: str) -> None:
    global _quiet_until
    moment = time.monotonic()
    if moment >= _quiet_until:
        _quiet_until = moment + WARNING_INTERVAL
        logger.warning(
            "The page cache failed %s; pages are rendered without it", doing, exc_info=True
        )


class PageCacheMiddleware:
    """Serve anonymous GETs of reader pages from the shared cache, and fill it (module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.PAGE_CACHE_SECONDS <= 0 or request.method != "GET":
            return self.get_response(request)
        route = reader_route(request)
        if route is None:
            return self.get_response(request)
        if not is_anonymous(request):
            return _marked(self.get_response(request), BYPASS)
        try:
            request.get_host()
        except DisallowedHost:
            # Django answers 400 further on.
            return self.get_response(request)

        cache = shared_cache()
        now = time.time()
        try:
            generation = current_generation(cache)
            key = page_key(generation, request)
            cached = cached_response(cache, key, request, now)
        except Exception:
            _cache_failed("reading a page")
            return self.get_response(request)
        if cached is not None:
            answer = answer_conditionally(request, cached)
            answer.headers["Age"] = cached.headers["Age"]
            return _marked(answer, HIT)

        try:
            # Before the page is rendered: what it shows is true until then.
            expires_at = page_expiry(cache, generation, route, now)
        except Exception:
            _cache_failed("finding the next scheduled story")
            return self.get_response(request)
        lsn = generation_lsn(generation)
        setattr(request, NEEDED_LSN_ATTRIBUTE, lsn)
        response = self.get_response(request)
        if not reads_include(request, lsn):
            # Rendered on a replica that had not replayed the last change: true
            # once, but kept by no cache (this one, Varnish, browsers).
            patch_cache_control(response, max_age=0, s_maxage=0, stale_while_revalidate=0)
            return _marked(response, MISS)
        if is_storable(request, response):
            try:
                store(cache, key, request, response, now, expires_at)
            except Exception:
                _cache_failed("storing a page")
        return _marked(response, MISS)


def _marked(response, outcome: str):
    response.headers[HEADER] = outcome
    return response
