"""Ranking on real PostgreSQL: headline above caption above body, exact word above stem."""

import pytest

from articles.search.retrieval import Tuning
from articles.tests.search.support import ago, found, frame

pytestmark = pytest.mark.django_db


def test_headline_hit_ranks_above_body_hits(story):
    story(headline="أمطار غزيرة", paragraphs=("الفيضان والفيضان ثم الفيضان.",), published_at=ago())
    story(headline="الفيضان يغمر القرى", paragraphs=("مياه كثيرة.",), published_at=ago(days=30))
    assert found("الفيضان") == ["الفيضان يغمر القرى", "أمطار غزيرة"]


def test_caption_hit_ranks_above_body_hit(story):
    story(headline="في الجسم", paragraphs=("عاصفة رملية.",), published_at=ago())
    story(
        headline="في التعليق",
        image_caption="عاصفة فوق المدينة",
        paragraphs=("رياح.",),
        published_at=ago(days=30),
    )
    assert found("عاصفة") == ["في التعليق", "في الجسم"]


def test_exact_word_ranks_above_stem(story):
    story(headline="الأحدث", paragraphs=("التقت الوزيرة الوفد.",), published_at=ago())
    story(headline="الأقدم", paragraphs=("التقى الوزير الوفد.",), published_at=ago(days=30))
    assert found("الوزير") == ["الأقدم", "الأحدث"]


def test_equal_matches_go_newest_first(story):
    story(headline="قديم", paragraphs=frame("الزلزال"), published_at=ago(days=3))
    story(headline="جديد", paragraphs=frame("الزلزال"), published_at=ago(hours=2))
    story(headline="أوسط", paragraphs=frame("الزلزال"), published_at=ago(days=1))
    assert found("الزلزال") == ["جديد", "أوسط", "قديم"]


def test_sort_by_date_ignores_relevance(story):
    story(headline="الزلزال في العنوان", paragraphs=("نص.",), published_at=ago(days=3))
    story(headline="خبر جديد", paragraphs=frame("الزلزال"), published_at=ago(hours=1))
    assert found("الزلزال", by_date=True) == ["خبر جديد", "الزلزال في العنوان"]


def test_relevance_ranks_the_newest_window_then_follows_by_date(story):
    story(headline="الإعصار قديم جدا", paragraphs=("نص.",), published_at=ago(days=9))
    story(headline="ثالث", paragraphs=frame("الإعصار"), published_at=ago(days=3))
    story(headline="ثان", paragraphs=frame("الإعصار"), published_at=ago(days=2))
    story(headline="الإعصار حديث", paragraphs=("نص.",), published_at=ago(days=1))
    story(headline="أحدث", paragraphs=frame("الإعصار"), published_at=ago(hours=1))
    # The newest two ranked (the headline hit first), then the rest by date:
    # the old headline hit is outside the window.
    window_of_two = Tuning(rank_window=2)
    assert found("الإعصار", tuning=window_of_two) == [
        "الإعصار حديث",
        "أحدث",
        "ثان",
        "ثالث",
        "الإعصار قديم جدا",
    ]


def test_whole_word_ranks_above_words_it_begins(story):
    story(headline="مصرف", paragraphs=frame("المصرف"), published_at=ago())
    story(headline="مصر", paragraphs=frame("مصر"), published_at=ago(days=30))
    assert found("مصر") == ["مصر", "مصرف"]
