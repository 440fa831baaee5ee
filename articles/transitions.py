"""Story transitions: publish, schedule, unpublish, withdraw, update from the wire.

Every path that moves a story (the admin's bulk actions, the change form, the
importer) goes through this module, which

* asks ``articles.permissions`` (``refusal``),
* changes the story in memory (``release``, ``unpublish``, ``withdraw``),
* and, once the caller has written the change, keeps the story before and
  after as revisions, logs it in the admin's history, and announces it
  (``keep_before``, ``record``; ``save`` does all three for the admin).

``story_changed`` is sent, after the transaction commits, with the ids of
the stories that changed (text, status or time): whatever caches reader
pages listens to it, so no writer needs to know about caches.

A story has two times. ``published_at`` is its date as readers see it: the
one the wire gave it, so that a dispatch from two years ago released today
still reads as two years old on every page, feed and sitemap (a future
``published_at`` schedules it). ``released_at`` is the moment it went live on
this site. A story written in the newsroom has no date of its own but the
moment it goes out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import permissions
from articles.models import Article
from articles.revisions import keep_first_revisions, record_revisions

# Sent with ``article_ids`` (a list) once the change is committed.
story_changed = Signal()

# The transitions a user may be refused.
PUBLISH = "publish"
UNPUBLISH = "unpublish"
WITHDRAW = "withdraw"
UPDATE = "update"
_RELEASING = {PUBLISH, UNPUBLISH, WITHDRAW}

PUBLISHED = "published"
SCHEDULED = "scheduled"


def refusal(user, article: Article | None, transition: str) -> str:
    """Why ``user`` may not make ``transition`` to ``article``, in Arabic; "" if they may."""
    if transition in _RELEASING and not permissions.can_publish(user):
        return permissions.PUBLISH_REFUSAL
    if transition == UPDATE:
        if article is None and not permissions.may_create(user):
            return permissions.CREATE_REFUSAL
        if article is not None and not permissions.may_change(user, article):
            return permissions.RELEASED_STORY_REFUSAL
    return ""


def state(article: Article) -> str:
    """What ``article`` is to an editor: draft, scheduled, published or withdrawn.

    A published story whose time is ahead is scheduled: readers see it only then.
    """
    if article.status == Article.Status.PUBLISHED and not article.is_visible_to_readers:
        return SCHEDULED
    return article.status


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


def unpublish(article: Article) -> None:
    """Take ``article`` back to the drafts; readers no longer see it."""
    article.status = Article.Status.DRAFT


def withdraw(article: Article) -> None:
    """Withdraw ``article``: its address tells readers it was withdrawn."""
    article.status = Article.Status.WITHDRAWN


def keep_before(articles: Iterable[Article]) -> None:
    """Keep each story as stored now as a revision, if none is kept yet, before it changes."""
    keep_first_revisions([article.pk for article in articles])


def record(changes: list[tuple[Article, str]], user=None) -> None:
    """After a write: each story as it is now is a revision, logged, and announced.

    ``changes`` pairs each story with what its history says of the change;
    ``user`` None is the operator's command line, which the import log
    records instead of the admin's history (that needs a user).
    """
    if not changes:
        return
    record_revisions(changes, user)
    if user is not None:
        content_type = ContentType.objects.get_for_model(Article)
        LogEntry.objects.bulk_create(
            LogEntry(
                user_id=user.pk,
                content_type=content_type,
                object_id=str(article.pk),
                object_repr=str(article)[:200],
                action_flag=CHANGE,
                change_message=message,
            )
            for article, message in changes
        )
    announce(article.pk for article, _ in changes)


def save(changes: list[tuple[Article, str]], fields: list[str], user) -> None:
    """Write ``fields`` of each changed story, then ``record`` the changes.

    For the admin's bulk actions. One UPDATE for them all, without the
    per-object signals, so that reversion's revision around the action does
    not lump every story into one revision: restoring one would restore all.
    """
    if not changes:
        return
    articles = [article for article, _ in changes]
    keep_before(articles)
    now = timezone.now()
    for article in articles:
        article.updated_at = now
    Article.objects.bulk_update(articles, [*fields, "updated_at"])
    record(changes, user)


def announce(article_ids: Iterable[int]) -> None:
    """Tell whoever keeps reader pages that these stories changed, once it is committed."""
    ids = list(article_ids)
    if ids:
        transaction.on_commit(lambda: story_changed.send(sender=Article, article_ids=ids))
