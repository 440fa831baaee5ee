"""Which requests may read from a database replica, and read-your-writes.

``ReplicaReadsMiddleware`` lets a request read from a streaming replica
(``newsportal.db_replicas``) only when all of these hold:

* replicas are configured (``DATABASE_REPLICA_URLS``) and one is usable;
* it is a GET or HEAD of a reader page, feed, sitemap or search: the routes
  the page cache keeps (``page_cache.READER_ROUTES`` and the ``articles:``
  views), the search suggestions included (which it does not keep);
* nothing says who sends it (``page_cache.is_anonymous``): a signed-in
  editor, the admin, a preview always read the primary;
* the client has not written in the last ``READ_YOUR_WRITES_SECONDS``.

Read-your-writes. Every response to a request that may write (any method but
GET, HEAD, OPTIONS, TRACE) sets a short cookie, ``READ_PRIMARY_COOKIE``, that
the browser drops after ``READ_YOUR_WRITES_SECONDS``; while it carries it,
its reads go to the primary. A cookie rather than process memory: the next
request may reach another app server. Signed-in editors already read the
primary (their session cookie), so this serves the moments a session does not
cover: the first pages after signing out, a form sent without signing in.
The cookie is not one the page cache counts as "known" (it says nothing
about who the reader is): such a reader is served cached pages, which are
never older than their writes (a page is stored only once its reads include
the last change, ``articles.page_cache``).

It sits below the page cache in ``MIDDLEWARE``: a hit never gets here, and
the page cache's own queries (the next scheduled story, kept for a whole
generation) read the primary. Before a page is rendered the page cache tells
it the position the page must include (``NEEDED_LSN_ATTRIBUTE``); a replica
that had not replayed it at its last check is asked again at once.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.urls import Resolver404, resolve

from articles.page_cache import (
    NEEDED_LSN_ATTRIBUTE,
    READER_NAMESPACE,
    READER_ROUTES,
    is_anonymous,
)
from newsportal.db_replicas import (
    REQUEST_ATTRIBUTE,
    check_replica,
    choose_replica,
    reading_from,
)

logger = logging.getLogger(__name__)

READ_PRIMARY_COOKIE = "read_primary"
READ_METHODS = frozenset({"GET", "HEAD"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def may_read_replica(request) -> bool:
    """Whether ``request``'s reads may go to a replica (module docstring)."""
    if request.method not in READ_METHODS or READ_PRIMARY_COOKIE in request.COOKIES:
        return False
    if not is_anonymous(request):
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in READER_ROUTES or READER_NAMESPACE in match.namespaces


class ReplicaReadsMiddleware:
    """Read anonymous reader pages from a replica; pin a client that wrote to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.DATABASE_REPLICAS:
            return self.get_response(request)
        status = None
        if may_read_replica(request):
            status = choose_replica(getattr(request, NEEDED_LSN_ATTRIBUTE, None))
        setattr(request, REQUEST_ATTRIBUTE, status)
        with reading_from(status.alias if status is not None else None):
            response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                READ_PRIMARY_COOKIE,
                "1",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        """A replica that fails mid-page (gone, or a query cancelled by its
        replay): the page is rendered again on the primary, not answered 500.

        Reader views only read, so running one twice is harmless. The replica
        is asked again at once: one that does not answer is skipped from now
        on (and logged); one that does, such as a query cancelled by a conflict
        with recovery, keeps its place.
        """
        status = getattr(request, REQUEST_ATTRIBUTE, None)
        if status is None or not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning(
            "A read on database replica %s failed (%s); the page is rendered on the primary",
            status.alias,
            exception,
        )
        connections[status.alias].close()
        check_replica(status.alias)
        setattr(request, REQUEST_ATTRIBUTE, None)
        match = request.resolver_match
        with reading_from(None):
            response = match.func(request, *match.args, **match.kwargs)
            if callable(getattr(response, "render", None)):
                response = response.render()
        return response
