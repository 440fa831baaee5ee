"""Estimates from PostgreSQL's statistics of the search vectors."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from articles.search.index import refresh_search_vectors
from articles.search.query import parse_query
from articles.search.stats import LexemeStats, forget, lexeme_stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysed(make_article):
    """Twenty stories of last month, all with الانتخابات and five with الطقس, analysed."""
    this_month = timezone.now().astimezone(datetime.UTC).date().replace(day=1)
    last_month = this_month - datetime.timedelta(days=1)
    ids = []
    for n in range(20):
        text = "الانتخابات الطقس" if n < 5 else "الانتخابات"
        published_at = datetime.datetime.combine(last_month, datetime.time(12), datetime.UTC)
        ids.append(make_article(paragraphs=(text,), published_at=published_at).pk)
    refresh_search_vectors(ids)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article")
    forget()
    yield lexeme_stats()
    forget()


def test_shares_come_from_analyze(analysed):
    assert analysed.stories == 20
    assert analysed.share("الانتخابات") == pytest.approx(1.0)
    assert analysed.share("الطقس") == pytest.approx(0.25)
    # A lexeme ANALYZE did not keep is at most as common as the rarest it kept.
    assert analysed.share("الزلزال") == analysed.floor <= 0.25


def test_prefix_share_adds_the_lexemes_it_begins(analysed):
    assert analysed.prefix_share("الط") == pytest.approx(0.25 + analysed.floor)
    assert analysed.prefix_share("ال") == 1.0


def test_daily_stories_from_last_months_lexeme(analysed):
    today = timezone.now().astimezone(datetime.UTC).date()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    assert analysed.daily_stories(today) == pytest.approx(20 / last_month.day)


def test_query_share_multiplies_its_words(analysed):
    # Each word: its marked stem (~طقس, in a quarter) and, at most the floor,
    # the bare stem طقس, which no story has; الانتخابات is in every story.
    weather = 0.25 + analysed.floor
    assert parse_query("الانتخابات الطقس").whole_words().share(analysed) == pytest.approx(weather)


def test_no_statistics_estimate_nothing(db):
    forget()
    # As before the first ANALYZE (autovacuum may have run one on the test
    # database); the test's transaction rolls this back.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM pg_statistic WHERE starelid = 'articles_article'::regclass")
    stats = lexeme_stats()
    assert stats == LexemeStats()
    assert parse_query("الانتخابات").share(stats) == 0.0


def test_statistics_are_read_once_then_kept(analysed, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert lexeme_stats() is analysed


def test_empty_statistics_are_harmless():
    stats = LexemeStats()
    assert stats.share("الانتخابات") == 0.0
    assert stats.prefix_share("الانت") == 0.0
    assert stats.daily_stories(datetime.date(1, 1, 1)) == 0.0
