"""Tests for articles.same_story: the other copies a story page lists."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, StoryGroup
from articles.same_story import copies

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return StoryGroup.objects.create()


def at(hours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=hours)


def test_copies_are_the_groups_other_stories_earliest_first(make_article, group):
    story = make_article(story_group=group, published_at=at(1))
    later = make_article(story_group=group, published_at=at(2), source="الأمة برس")
    first = make_article(story_group=group, published_at=at(3), source="فرانس برس")
    assert copies(story) == [first, later]


def test_copies_leave_out_what_readers_may_not_see(make_article, group):
    story = make_article(story_group=group)
    make_article(story_group=group, status=Article.Status.DRAFT)
    make_article(story_group=group, status=Article.Status.WITHDRAWN)
    assert copies(story) == []


def test_a_story_without_a_group_has_no_copies(make_article, django_assert_num_queries):
    story = make_article()
    with django_assert_num_queries(0):
        assert copies(story) == []


def test_copies_with_their_outlets_cost_one_query(make_article, group, django_assert_num_queries):
    story = make_article(story_group=group)
    for hours in range(2, 6):
        make_article(story_group=group, published_at=at(hours), source=f"منفذ {hours}")
    with django_assert_num_queries(1):
        assert len({copy.source.name for copy in copies(story)}) == 4


def test_one_per_group_lists_the_earliest_copy(make_article, group):
    make_article(story_group=group, published_at=at(1))
    first = make_article(story_group=group, published_at=at(3))
    alone = make_article(published_at=at(2))
    assert list(Article.objects.published().one_per_group()) == [alone, first]


def test_one_per_group_shows_the_next_copy_when_the_first_is_withdrawn(make_article, group):
    make_article(story_group=group, published_at=at(3), status=Article.Status.WITHDRAWN)
    second = make_article(story_group=group, published_at=at(2))
    make_article(story_group=group, published_at=at(1))
    assert list(Article.objects.published().one_per_group()) == [second]


def test_one_per_group_picks_the_first_stored_of_copies_published_together(make_article, group):
    moment = at(1)
    first = make_article(story_group=group, published_at=moment)
    make_article(story_group=group, published_at=moment)
    assert list(Article.objects.published().one_per_group()) == [first]
