"""articles.ingest.polling: one poller per source, by a PostgreSQL advisory lock."""

import psycopg
import pytest
from django.db import connection

from articles.ingest.polling import LOCK_NAMESPACE, Status, poll_source
from articles.ingest.sources import IngestSource
from articles.models import Article
from articles.tests.ingest.support import break_imports_of, drop, files_under, later, stories

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_session():
    """A second database session, as another worker's would be."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as session:
        yield session


def source_in(folder) -> IngestSource:
    return IngestSource.objects.create(name="مجلد", location=str(folder))


def test_a_source_another_poller_holds_is_skipped_untouched(tmp_path, other_session):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("held"))
    other_session.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk])
    result = poll_source(source.pk, clock=later)
    assert result.status == Status.SKIPPED and not result.is_failure
    assert "يستطلعه عامل آخر" in result.summary()
    assert files_under(tmp_path) == ["wire.jsonl"]
    assert not Article.objects.exists()
    assert IngestSource.objects.get().last_polled_at is None


def test_the_lock_is_released_after_a_poll(tmp_path, other_session):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("free"))
    assert poll_source(source.pk, clock=later).status == Status.OK
    taken = other_session.execute(
        "SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk]
    ).fetchone()[0]
    assert taken


def test_another_sources_lock_does_not_hold_this_one(tmp_path, other_session):
    source = source_in(tmp_path)
    other_session.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source.pk + 1])
    assert poll_source(source.pk, clock=later).status == Status.OK


def test_a_poll_that_stops_midway_records_its_counts_and_why(tmp_path, monkeypatch):
    source = source_in(tmp_path)
    drop(tmp_path, "a.jsonl", stories("kept"))
    drop(tmp_path, "b.jsonl", stories("stopped"))
    break_imports_of(monkeypatch, "b.jsonl")
    assert poll_source(source.pk, clock=later).is_failure
    source.refresh_from_db()
    assert source.created_count == 2 and "انقطع الاتصال" in source.last_error
