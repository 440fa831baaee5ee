"""The quiet edit lock, on the real cache: take, refresh, seen by others, release, expiry."""

import datetime
import time

import pytest
from django.core.cache import cache

from articles import edit_locks
from articles.tests.admin_support import EDITORS, newsroom_user

pytestmark = pytest.mark.django_db

STORY = 41


@pytest.fixture
def amal():
    user = newsroom_user("amal", EDITORS)
    user.first_name, user.last_name = "أمل", "حداد"
    user.save()
    return user


@pytest.fixture
def badr():
    return newsroom_user("badr", EDITORS)


def test_the_first_editor_takes_the_lock(amal):
    assert edit_locks.hold(STORY, amal) is None
    lock = edit_locks.holder(STORY)
    assert (lock.user_id, lock.name) == (amal.pk, "أمل حداد")


def test_another_editor_sees_who_holds_it(amal, badr):
    edit_locks.hold(STORY, amal)
    other = edit_locks.hold(STORY, badr)
    assert other is not None
    assert (other.user_id, other.name) == (amal.pk, "أمل حداد")
    # Seeing it does not take it over.
    assert edit_locks.holder(STORY).user_id == amal.pk


def test_a_name_falls_back_to_the_user_name(badr):
    edit_locks.hold(STORY, badr)
    assert edit_locks.holder(STORY).name == "badr"


def test_a_refresh_keeps_the_moment_the_editor_started(amal):
    edit_locks.hold(STORY, amal)
    started = edit_locks.holder(STORY).since
    time.sleep(0.01)
    assert edit_locks.hold(STORY, amal) is None
    assert edit_locks.holder(STORY).since == started


def test_locks_are_per_story(amal, badr):
    edit_locks.hold(STORY, amal)
    assert edit_locks.hold(STORY + 1, badr) is None
    assert edit_locks.holder(STORY + 1).user_id == badr.pk


def test_release_lets_the_next_editor_take_it(amal, badr):
    edit_locks.hold(STORY, amal)
    edit_locks.release(STORY, amal)
    assert edit_locks.holder(STORY) is None
    assert edit_locks.hold(STORY, badr) is None
    assert edit_locks.holder(STORY).user_id == badr.pk


def test_an_editor_cannot_release_another_editors_lock(amal, badr):
    edit_locks.hold(STORY, amal)
    edit_locks.release(STORY, badr)
    assert edit_locks.holder(STORY).user_id == amal.pk


def test_a_lock_expires_without_refresh(amal, badr, settings):
    settings.EDIT_LOCK_SECONDS = 1
    edit_locks.hold(STORY, amal)
    time.sleep(1.2)
    assert edit_locks.holder(STORY) is None
    assert edit_locks.hold(STORY, badr) is None


def test_the_heartbeat_is_a_third_of_the_lock(settings):
    settings.EDIT_LOCK_SECONDS = 60
    assert edit_locks.heartbeat_seconds() == 20


def test_a_long_name_is_cut(amal):
    amal.first_name = "ا" * 400
    edit_locks.hold(STORY, amal)
    assert len(edit_locks.holder(STORY).name) == edit_locks.NAME_LENGTH


def test_something_else_under_the_key_is_no_lock():
    cache.set("articles:edit-lock:41", "not a lock")
    assert edit_locks.holder(STORY) is None


@pytest.mark.parametrize(
    ("minutes", "phrase"),
    [
        (0, "منذ لحظات"),
        (1, "منذ دقيقة"),
        (2, "منذ دقيقتين"),
        (3, "منذ 3 دقائق"),
        (15, "منذ 15 دقيقة"),
        (60, "منذ ساعة"),
        (180, "منذ 3 ساعات"),
    ],
)
def test_since_phrase_agrees_with_its_number(minutes, phrase):
    now = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
    since = now - datetime.timedelta(minutes=minutes, seconds=5)
    assert edit_locks.since_phrase(since, now) == phrase
