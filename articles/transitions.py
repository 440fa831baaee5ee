"""Releasing a story: the rules every path follows when a story goes live.

A story has two times. ``published_at`` is its date as readers see it: the
one the wire gave it, so that a dispatch from two years ago released today
still reads as two years old on every page, feed and sitemap (a future
``published_at`` schedules it). ``released_at`` is the moment it went live on
this site. A story written in the newsroom has no date of its own but the
moment it goes out.

These functions change the article in memory; the caller saves it, with its
revision and log entry, and after asking ``articles.permissions``.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from articles.models import Article

PUBLISHED = "published"
SCHEDULED = "scheduled"


def release_moment(published_at: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    """When a story dated ``published_at`` and released at ``now`` becomes visible."""
    return max(published_at, now)


def release(article: Article, now: datetime.datetime | None = None) -> str:
    """Publish ``article``, or schedule it when its time is ahead; return which.

    A wire story keeps its date; a story written here is dated now, unless an
    editor set its time ahead.
    """
    now = now or timezone.now()
    if not article.is_from_wire and article.published_at <= now:
        article.published_at = now
    article.status = Article.Status.PUBLISHED
    article.released_at = release_moment(article.published_at, now)
    return SCHEDULED if article.published_at > now else PUBLISHED


def note_release(
    article: Article,
    before: tuple[str, datetime.datetime] | None,
    now: datetime.datetime | None = None,
) -> None:
    """Record when ``article`` goes live, if a save from state ``before`` releases it.

    ``before`` is the stored (status, published_at), None for a new story. A
    story already out keeps its release moment, whatever its date becomes; a
    scheduled one whose time moved is released at its new time.
    """
    now = now or timezone.now()
    if article.status != Article.Status.PUBLISHED:
        return
    if before is not None and before[0] == Article.Status.PUBLISHED:
        was_out = before[1] <= now
        if was_out or before[1] == article.published_at:
            return
    article.released_at = release_moment(article.published_at, now)
