"""A quiet edit lock: who has a story's change form open now.

One short entry per story in the shared cache (every process of the site
sees it; Redis when CACHE_URL names one), holding who opened the form and
since when. The form's page refreshes it while it stays open and lets it go
on leaving; a saved story lets it go too. It only warns the next editor
(``hold`` returns whoever holds it): it never blocks a save, which is
``articles.edit_conflicts``' job. Cache operations are not atomic across
processes, so two editors opening a story in the same instant may both
miss each other until the next refresh: fine for a notice.

Bounded: one small entry per story open in a form, expiring
``settings.EDIT_LOCK_SECONDS`` after its last refresh.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from articles.arabic import count_phrase
from articles.edit_conflicts import display_name

# A name longer than this is cut: the entry stays small whatever the account holds.
NAME_LENGTH = 150


@dataclass(frozen=True)
class EditLock:
    user_id: int
    name: str
    since: datetime.datetime

    def since_phrase(self, now: datetime.datetime | None = None) -> str:
        """How long ago the holder opened the story, e.g. "منذ 3 دقائق"."""
        return since_phrase(self.since, now or timezone.now())


def lock_seconds() -> int:
    """How long a lock lasts without a refresh."""
    return settings.EDIT_LOCK_SECONDS


def heartbeat_seconds() -> int:
    """How often an open form refreshes its lock: three times a lifetime, so one may be lost."""
    return max(1, lock_seconds() // 3)


def hold(article_id: int, user) -> EditLock | None:
    """Take or refresh ``user``'s lock on the story; return another editor's lock if one holds it.

    Someone else's lock is left as it is: the first editor keeps it until they
    leave or it expires, and the next refresh then takes it.
    """
    key = _key(article_id)
    mine = EditLock(user.pk, display_name(user)[:NAME_LENGTH], timezone.now())
    if cache.add(key, _stored(mine), lock_seconds()):
        return None
    current = holder(article_id)
    if current is not None and current.user_id != user.pk:
        return current
    if current is not None:
        # Refreshed, still since the moment they first opened it.
        mine = EditLock(mine.user_id, mine.name, current.since)
    cache.set(key, _stored(mine), lock_seconds())
    return None


def holder(article_id: int) -> EditLock | None:
    """Whoever holds the story's lock now, if anyone."""
    value = cache.get(_key(article_id))
    if not isinstance(value, dict):
        return None
    try:
        return EditLock(
            int(value["user_id"]),
            str(value["name"]),
            datetime.datetime.fromtimestamp(float(value["since"]), tz=datetime.UTC),
        )
    except (KeyError, TypeError, ValueError):
        return None


def release(article_id: int, user) -> None:
    """Let go of ``user``'s lock on the story; another editor's stays."""
    current = holder(article_id)
    if current is not None and current.user_id == user.pk:
        cache.delete(_key(article_id))


def since_phrase(since: datetime.datetime, now: datetime.datetime) -> str:
    """E.g. "منذ لحظات", "منذ دقيقتين", "منذ 3 دقائق", "منذ ساعة"."""
    minutes = max(0, int((now - since).total_seconds() // 60))
    if minutes == 0:
        return "منذ لحظات"
    if minutes < 60:
        return "منذ " + count_phrase(minutes, "", "دقيقة", "دقيقتين", "دقائق", "دقيقة", "دقيقة")
    hours = minutes // 60
    return "منذ " + count_phrase(hours, "", "ساعة", "ساعتين", "ساعات", "ساعة", "ساعة")


def _key(article_id: int) -> str:
    return f"articles:edit-lock:{int(article_id)}"


def _stored(lock: EditLock) -> dict:
    # Plain values only: any process, of any version of this code, can read them.
    return {"user_id": lock.user_id, "name": lock.name, "since": lock.since.timestamp()}
