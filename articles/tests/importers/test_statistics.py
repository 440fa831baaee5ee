"""The planner's statistics, kept fresh by a bulk import."""

import pytest
from django.db import connection

from articles.importers import statistics
from articles.importers.statistics import FreshStatistics
from articles.tests.import_support import import_file, jsonl_stories

pytestmark = pytest.mark.django_db


def analysed_rows() -> float:
    """The stories table's row count as ANALYZE last left it (-1 before any)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
        return cursor.fetchone()[0]


@pytest.fixture
def analyses(monkeypatch):
    """Each ANALYZE the importer asks for, counted (and run)."""
    made = []
    real = statistics.analyse
    monkeypatch.setattr(statistics, "analyse", lambda: made.append(1) or real())
    return made


def test_a_bulk_import_analyses_as_its_count_doubles(analyses, monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 0)
    fresh = FreshStatistics()
    for _ in range(40):
        fresh.wrote(500)  # 20,000 stories in batches of 500
    # At 1,000, 2,000, 4,000, 8,000 and 16,000 stories written.
    assert len(analyses) == 5


def test_an_everyday_import_into_a_large_archive_does_not(analyses, monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 500_000)
    fresh = FreshStatistics()
    for _ in range(10):
        fresh.wrote(500)
    assert analyses == []


def test_an_import_into_an_empty_database_leaves_statistics_behind(analyses, monkeypatch):
    monkeypatch.setattr(statistics, "MIN_STORIES", 3)
    data = jsonl_stories(5, "stats", "نص الخبر.")
    assert analysed_rows() < 4
    outcomes = list(import_file("stories.jsonl", data, batch_size=2))
    assert {outcome.action for outcome in outcomes} == {"created"}
    assert len(analyses) == 1  # at 4 written, in the second batch
    assert analysed_rows() == 4
