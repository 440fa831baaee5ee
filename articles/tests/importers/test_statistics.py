"""The planner's statistics, kept fresh by a bulk import."""

import pytest
from django.db import connection, transaction

from articles.importers import statistics
from articles.importers.statistics import FreshStatistics
from articles.tests.import_support import import_file, jsonl_stories

pytestmark = pytest.mark.django_db


def analysed_rows() -> float:
    """The stories table's row count as ANALYZE last left it (-1 before any)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'articles_article'")
        return cursor.fetchone()[0]


def counted_calls(monkeypatch, name: str) -> list:
    """Each call of ``statistics.<name>`` the importer makes, counted (and run)."""
    made = []
    real = getattr(statistics, name)
    monkeypatch.setattr(statistics, name, lambda: made.append(1) or real())
    return made


@pytest.fixture
def analyses(monkeypatch):
    """Each ANALYZE the importer asks for."""
    return counted_calls(monkeypatch, "analyse")


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


@pytest.fixture
def merges(monkeypatch):
    """Each merge of the search index's pending list the importer asks for."""
    return counted_calls(monkeypatch, "merge_pending_index_entries")


def test_a_bulk_import_refreshes_once_more_at_its_end(analyses, merges, monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 0)
    fresh = FreshStatistics()
    for _ in range(25):
        fresh.wrote(1000)  # refreshed at 1,000, 2,000, 4,000, 8,000 and 16,000
    fresh.finished()  # 9,000 written since
    assert len(analyses) == len(merges) == 6
    fresh.finished()  # nothing written since
    assert len(analyses) == 6


def test_an_everyday_import_refreshes_nothing_at_its_end(analyses, merges, monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 500_000)
    fresh = FreshStatistics()
    fresh.wrote(5000)
    fresh.finished()
    assert analyses == merges == []


def test_the_pending_list_is_merged_into_the_search_index(story, caplog):
    for n in range(3):
        story(headline=f"خبر {n}", paragraphs=("نص الخبر الأول.",))
    statistics.merge_pending_index_entries()
    assert not [record for record in caplog.records if record.levelname == "WARNING"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM articles_article WHERE search_vector @@ '''الاول'''::tsquery"
        )
        assert cursor.fetchone()[0] == 3


def setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s)", [name])
        return cursor.fetchone()[0]


# Real transactions: the settings must end with the batch's own.
@pytest.mark.django_db(transaction=True)
def test_a_bulk_import_s_batches_merge_the_search_index_in_bigger_steps(analyses, monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 0)
    fresh = FreshStatistics()
    with transaction.atomic():
        fresh.batch_settings()  # nothing written yet: an import like any other
        assert setting("gin_pending_list_limit") == "4MB"
    fresh.wrote(1000)
    with transaction.atomic():
        fresh.batch_settings()
        assert (setting("gin_pending_list_limit"), setting("work_mem")) == ("32MB", "64MB")
    # For the batch's transaction only.
    assert setting("gin_pending_list_limit") == "4MB"


def test_an_everyday_import_s_batches_keep_the_defaults(monkeypatch):
    monkeypatch.setattr(statistics, "stored_stories", lambda: 500_000)
    fresh = FreshStatistics()
    fresh.wrote(5000)
    with transaction.atomic():
        fresh.batch_settings()
        assert setting("gin_pending_list_limit") == "4MB"
