"""articles.transitions: who may, what changes, and how each change is kept and announced."""

import datetime

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from articles import transitions
from articles.models import Article

NOW = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=datetime.UTC)
TWO_YEARS_AGO = NOW - datetime.timedelta(days=730)
TOMORROW = NOW + datetime.timedelta(days=1)


def draft(published_at, guid="urn:wire:1"):
    return Article(
        guid=guid, headline="خبر", status=Article.Status.DRAFT, published_at=published_at
    )


def test_releasing_a_wire_story_keeps_its_date():
    story = draft(TWO_YEARS_AGO)
    assert transitions.release(story, NOW) == transitions.PUBLISHED
    assert (story.status, story.published_at, story.released_at) == (
        Article.Status.PUBLISHED,
        TWO_YEARS_AGO,
        NOW,
    )


def test_releasing_a_story_written_in_the_newsroom_dates_it_now():
    story = draft(TWO_YEARS_AGO, guid="newsroom:abc")
    transitions.release(story, NOW)
    assert story.published_at == story.released_at == NOW


def test_releasing_a_story_dated_ahead_schedules_it_for_then():
    story = draft(TOMORROW)
    assert transitions.release(story, NOW) == transitions.SCHEDULED
    assert story.released_at == TOMORROW


def test_note_release_records_a_draft_going_out():
    story = draft(TWO_YEARS_AGO)
    story.status = Article.Status.PUBLISHED
    transitions.note_release(story, (Article.Status.DRAFT, TWO_YEARS_AGO), NOW)
    assert story.released_at == NOW


def test_note_release_leaves_a_story_already_out_alone():
    story = draft(TWO_YEARS_AGO)
    story.status = Article.Status.PUBLISHED
    story.published_at = TWO_YEARS_AGO - datetime.timedelta(days=1)
    transitions.note_release(story, (Article.Status.PUBLISHED, TWO_YEARS_AGO), NOW)
    assert story.released_at is None


def test_note_release_follows_a_schedule_that_moved():
    story = draft(TOMORROW + datetime.timedelta(hours=5))
    story.status = Article.Status.PUBLISHED
    transitions.note_release(story, (Article.Status.PUBLISHED, TOMORROW), NOW)
    assert story.released_at == TOMORROW + datetime.timedelta(hours=5)


def test_note_release_ignores_a_story_that_is_not_published():
    story = draft(TWO_YEARS_AGO)
    transitions.note_release(story, None, NOW)
    assert story.released_at is None


# Recording and announcing a change (database) ----------------------------------


@pytest.mark.django_db
def test_refusal_asks_the_permissions_module(contributor, editor, make_article):
    published = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    assert transitions.refusal(contributor, draft, transitions.PUBLISH)
    assert transitions.refusal(contributor, published, transitions.UPDATE)
    assert transitions.refusal(contributor, draft, transitions.UPDATE) == ""
    assert transitions.refusal(editor, published, transitions.WITHDRAW) == ""
    assert transitions.refusal(None, published, transitions.WITHDRAW) == ""


@pytest.mark.django_db
def test_save_keeps_before_and_after_logs_and_announces(
    editor, make_article, django_capture_on_commit_callbacks
):
    first, second = make_article(), make_article()
    heard = []

    def listener(sender, article_ids, **kwargs):
        heard.append(sorted(article_ids))

    transitions.story_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for story in (first, second):
                transitions.withdraw(story)
            transitions.save([(first, "سُحب."), (second, "سُحب.")], ["status"], editor)
    finally:
        transitions.story_changed.disconnect(listener)
    assert heard == [sorted([first.pk, second.pk])]
    for story in (first, second):
        story.refresh_from_db()
        assert story.status == Article.Status.WITHDRAWN
        before, after = Version.objects.get_for_object(story).order_by("pk")
        assert before.field_dict["status"] == Article.Status.PUBLISHED
        assert after.field_dict["status"] == Article.Status.WITHDRAWN
        # One revision per story: restoring one never restores the other.
        assert {
            v.object_id for v in after.revision.version_set.filter(content_type=before.content_type)
        } == {str(story.pk)}
        entry = LogEntry.objects.get(object_id=str(story.pk))
        assert (entry.user, entry.get_change_message()) == (editor, "سُحب.")


@pytest.mark.django_db
def test_nothing_is_announced_before_the_commit(make_article, django_capture_on_commit_callbacks):
    story = make_article()
    heard = []

    def listener(sender, article_ids, **kwargs):
        heard.append(article_ids)

    transitions.story_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            transitions.announce([story.pk])
        assert heard == []
        callbacks[0]()
        assert heard == [[story.pk]]
    finally:
        transitions.story_changed.disconnect(listener)
