"""articles.transitions: a released story keeps the wire's date; its release is recorded apart."""

import datetime

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
