"""A page of search results read in one query: order, rank, and what each story carries."""

import pytest

from articles.search import shown
from articles.search.query import parse_query
from articles.tests.search.support import ago, frame

pytestmark = pytest.mark.django_db


def test_listed_stories_come_in_the_order_given_without_missing_ones(story):
    first, second = (story(headline=h, paragraphs=frame("المطر")) for h in ("أول", "ثان"))
    stories = shown.listed([second.pk, 10**9, first.pk])
    assert [s.headline for s in stories] == ["ثان", "أول"]


def test_a_story_carries_what_a_result_shows(story):
    made = story(
        headline="عنوان", source="وكالة النيل", paragraphs=("الفقرة الأولى.", "الفقرة الثانية.")
    )
    (read,) = shown.listed([made.pk])
    assert (read.slug, read.published_at, read.source.name, read.source.slug) == (
        made.slug,
        made.published_at,
        "وكالة النيل",
        made.source.slug,
    )
    assert read.paragraph_texts == ["الفقرة الأولى.", "الفقرة الثانية."]
    assert read.get_absolute_url() == made.get_absolute_url()


def test_a_column_not_read_loads_when_asked_for(story, django_assert_num_queries):
    made = story(headline="عنوان", paragraphs=frame("المطر"))
    (read,) = shown.listed([made.pk])
    with django_assert_num_queries(1):
        assert read.guid == made.guid


def test_ranked_stories_go_best_first_then_newest_within_the_page(story):
    body = story(headline="في النص", paragraphs=frame("الفيضان"), published_at=ago(hours=1))
    top = story(headline="الفيضان", paragraphs=frame("الفيضان"), published_at=ago(days=9))
    older = story(headline="قديم", paragraphs=frame("الفيضان"), published_at=ago(days=2))
    ids = [body.pk, older.pk, top.pk]
    query = parse_query("الفيضان").whole_words()
    assert [s.headline for s in shown.ranked(ids, query, 0, 10)] == ["الفيضان", "في النص", "قديم"]
    assert [s.headline for s in shown.ranked(ids, query, 1, 2)] == ["في النص"]


def test_openings_only_read_the_first_paragraph(story):
    made = story(headline="عنوان", paragraphs=("الأولى.", "الثانية."))
    empty = story(headline="بلا نص", paragraphs=())
    stories = shown.listed([made.pk, empty.pk], openings_only=True)
    assert [s.paragraph_texts for s in stories] == [["الأولى."], []]
