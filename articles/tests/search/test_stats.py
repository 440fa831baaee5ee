"""Estimates from the index's lexicon: exact story counts, with no ANALYZE."""

import datetime

import pytest
from django.utils import timezone

from articles.search.index import refresh_search_vectors
from articles.search.query import parse_query
from articles.search.stats import LexemeStats, daily_lexemes, lexeme_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(make_article):
    """Twenty stories of last month, all with الانتخابات and five with الطقس; never analysed."""
    this_month = timezone.now().astimezone(datetime.UTC).date().replace(day=1)
    last_month = this_month - datetime.timedelta(days=1)
    ids = []
    for n in range(20):
        text = "الانتخابات الطقس" if n < 5 else "الانتخابات"
        published_at = datetime.datetime.combine(last_month, datetime.time(12), datetime.UTC)
        ids.append(make_article(paragraphs=(text,), published_at=published_at).pk)
    refresh_search_vectors(ids)
    return lexeme_stats(["الانتخابات", "~طقس"])


def test_shares_are_exact_as_soon_as_the_stories_are_written(indexed):
    assert indexed.stories == 20
    assert indexed.share("الانتخابات") == 1.0
    assert indexed.share("~طقس") == 0.25
    assert indexed.share("الزلزال") == 0.0


def test_a_lexeme_not_read_at_first_is_read_when_asked(indexed, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert indexed.share("الطقس") == 0.25
    with django_assert_num_queries(0):
        assert indexed.share("الطقس") == 0.25


def test_known_counts_are_not_read_again(indexed, django_assert_num_queries):
    with django_assert_num_queries(0):
        again = lexeme_stats(["الانتخابات", "~طقس"], indexed)
    assert (again.stories, again.share("~طقس")) == (20, 0.25)
    with django_assert_num_queries(1):
        more = lexeme_stats(["الانتخابات", "الطقس"], indexed)
    assert more.share("الطقس") == 0.25


def test_daily_stories_from_last_months_lexeme(indexed):
    today = timezone.now().astimezone(datetime.UTC).date()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    assert indexed.daily_stories(today) == pytest.approx(20 / last_month.day)


def test_daily_stories_read_no_more_when_their_lexemes_were_counted_before(
    indexed, django_assert_num_queries
):
    today = timezone.now().astimezone(datetime.UTC).date()
    expected = indexed.daily_stories(today)
    with django_assert_num_queries(1):
        stats = lexeme_stats(["الانتخابات", *daily_lexemes(today)])
    with django_assert_num_queries(0):
        assert stats.daily_stories(today) == expected


def test_the_first_month_has_no_month_before_it():
    assert daily_lexemes(datetime.date(1, 1, 15)) == []
    assert LexemeStats(stories=5).daily_stories(datetime.date(1, 1, 15)) == 0.0


def test_query_share_multiplies_its_words(indexed):
    # Each word: its marked stem (~طقس, in a quarter) and the bare stem طقس,
    # which no story has; الانتخابات is in every story.
    query = parse_query("الانتخابات الطقس").whole_words()
    assert query.share(indexed) == pytest.approx(0.25)


def test_an_empty_index_estimates_nothing(db):
    stats = lexeme_stats(["الانتخابات"])
    assert stats.stories == 0
    assert parse_query("الانتخابات").whole_words().share(stats) == 0.0


def test_empty_statistics_are_harmless():
    stats = LexemeStats()
    assert stats.daily_stories(datetime.date(1, 1, 1)) == 0.0
