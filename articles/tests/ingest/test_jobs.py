"""The workers' tasks: which sources are due, one queued and one running poll each, backoff."""

import datetime

import croniter
import pytest
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.ingest import folders, jobs
from articles.ingest.schedule import IngestSchedule
from articles.ingest.sources import IngestSource
from articles.models import Article, SearchLexeme
from articles.tests.ingest.support import drop, later, stories
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db
POLL = "articles.ingest.jobs.poll_source_job"
IMPORT = "articles.ingest.jobs.import_files_job"


@pytest.fixture(autouse=True)
def settled_files(monkeypatch):
    monkeypatch.setattr(folders, "wall_clock", later)


def folder_source(tmp_path, name="مجلد", **fields):
    folder = tmp_path / name
    folder.mkdir()
    return IngestSource.objects.create(name=name, location=str(folder), **fields)


def lexicon_count(lexeme):
    row = SearchLexeme.objects.filter(lexeme=lexeme).first()
    return row.stories if row else 0


def ago(seconds):
    return timezone.now() - datetime.timedelta(seconds=seconds)


def queued_polls():
    return list(
        ProcrastinateJob.objects.filter(task_name=POLL, status="todo").values_list(
            "args__source_id", "lock", "queueing_lock"
        )
    )


def test_a_source_never_polled_is_due(tmp_path):
    source = folder_source(tmp_path)
    assert list(jobs.due_sources()) == [source]


def test_a_source_is_due_once_its_interval_has_passed(tmp_path):
    recent = folder_source(tmp_path, "حديث", poll_interval_seconds=60, last_polled_at=ago(30))
    old = folder_source(tmp_path, "قديم", poll_interval_seconds=60, last_polled_at=ago(61))
    assert list(jobs.due_sources()) == [old]
    assert recent not in jobs.due_sources(timezone.now() + datetime.timedelta(seconds=20))


def test_a_disabled_source_is_never_due(tmp_path):
    folder_source(tmp_path, is_enabled=False)
    assert not jobs.due_sources().exists()


def test_dispatch_queues_one_poll_per_due_source_with_its_locks(tmp_path):
    first, second = folder_source(tmp_path, "أ"), folder_source(tmp_path, "ب")
    assert jobs.dispatch_due_polls(timestamp=0) == 2
    lock_a, lock_b = f"ingest-source-{first.pk}", f"ingest-source-{second.pk}"
    assert sorted(queued_polls()) == sorted(
        [(first.pk, lock_a, lock_a), (second.pk, lock_b, lock_b)]
    )


def test_a_source_is_never_queued_twice(tmp_path):
    folder_source(tmp_path)
    jobs.dispatch_due_polls(timestamp=0)
    assert jobs.dispatch_due_polls(timestamp=1) == 0
    assert len(queued_polls()) == 1


def test_the_queued_poll_imports_the_folder_and_the_source_is_not_due_again(tmp_path):
    source = folder_source(tmp_path, poll_interval_seconds=60)
    drop(tmp_path / source.name, "a.jsonl", stories("jobs:a"))
    jobs.dispatch_due_polls(timestamp=0)
    assert run_queued_jobs() == [(POLL, "succeeded"), (IMPORT, "succeeded")]
    assert Article.objects.count() == 2
    assert not jobs.due_sources().exists()
    assert jobs.dispatch_due_polls(timestamp=1) == 0


def test_a_chunks_stories_are_counted_in_the_lexicon_by_the_periodic_job(tmp_path):
    source = folder_source(tmp_path, poll_interval_seconds=60)
    drop(tmp_path / source.name, "a.jsonl", stories("jobs:a"))
    jobs.dispatch_due_polls(timestamp=0)
    run_queued_jobs()
    assert lexicon_count("") == 0
    jobs.count_lexicon(timestamp=0)
    assert lexicon_count("") == 2


def test_a_failing_source_backs_off_doubling_and_the_others_go_on(tmp_path, settings):
    settings.INGEST_MAX_BACKOFF_SECONDS = 1000
    failing = folder_source(tmp_path, "معطوب", poll_interval_seconds=10)
    healthy = folder_source(tmp_path, "سليم", poll_interval_seconds=10)
    (tmp_path / failing.name).rmdir()  # An unmounted volume.
    drop(tmp_path / healthy.name, "a.jsonl", stories("jobs:healthy"))
    jobs.dispatch_due_polls(timestamp=0)
    run_queued_jobs()
    failing.refresh_from_db()
    assert failing.last_error
    schedule = IngestSchedule.objects.get(source=failing)
    assert schedule.failures_in_a_row == 1
    wait = (schedule.next_poll_at - timezone.now()).total_seconds()
    assert 15 < wait <= 20
    assert not IngestSchedule.objects.filter(source=healthy, next_poll_at__isnull=False).exists()
    assert Article.objects.count() == 2
    # Past the interval, the healthy source is due again; the failing one waits on.
    assert list(jobs.due_sources(timezone.now() + datetime.timedelta(seconds=11))) == [healthy]


def test_the_wait_doubles_up_to_the_bound_and_a_success_brings_it_back(tmp_path, settings):
    settings.INGEST_MAX_BACKOFF_SECONDS = 50
    assert [jobs.backoff_seconds(10, failures) for failures in range(5)] == [10, 20, 40, 50, 50]
    source = folder_source(tmp_path, poll_interval_seconds=10)
    for _ in range(3):
        jobs.schedule_next_poll(source.pk, succeeded=False)
    assert IngestSchedule.objects.get(source=source).failures_in_a_row == 3
    jobs.schedule_next_poll(source.pk, succeeded=True)
    schedule = IngestSchedule.objects.get(source=source)
    assert (schedule.failures_in_a_row, schedule.next_poll_at) == (0, None)


def test_a_poll_that_raises_is_backed_off_too(tmp_path, monkeypatch):
    source = folder_source(tmp_path)

    def broken(source_id, **options):
        raise RuntimeError("انقطع الاتصال بقاعدة البيانات")

    monkeypatch.setattr(jobs.polling, "poll_source", broken)
    with pytest.raises(RuntimeError):
        jobs.poll_source_job(source_id=source.pk)
    assert IngestSchedule.objects.get(source=source).failures_in_a_row == 1


def test_a_deleted_source_ends_its_queued_poll_quietly(tmp_path):
    source = folder_source(tmp_path)
    jobs.dispatch_due_polls(timestamp=0)
    source.delete()
    assert run_queued_jobs() == [(POLL, "succeeded")]


def test_the_periodic_tasks_run_every_second_and_every_ten(tmp_path):
    from procrastinate.contrib.django import app

    crons = {
        periodic.periodic_id: periodic.cron
        for periodic in app.periodic_registry.periodic_tasks.values()
    }
    assert crons["dispatch_due_polls"] == "* * * * * *"
    assert crons["recover_stalled_jobs"] == "* * * * * */10"
    assert crons["count_lexicon"] == "* * * * * */5"
    # croniter reads the sixth field as seconds: ticks ten seconds apart.
    periodic = next(
        periodic
        for periodic in app.periodic_registry.periodic_tasks.values()
        if periodic.periodic_id == "recover_stalled_jobs"
    )
    ticks = croniter.croniter(periodic.cron, 1_000_000_000)
    assert [ticks.get_next(float) for _ in range(3)] == [
        1_000_000_010,
        1_000_000_020,
        1_000_000_030,
    ]


def test_a_source_polled_every_second_is_due_on_each_tick(tmp_path):
    # Its last poll began a little less than a second before this tick.
    every_second = folder_source(tmp_path, "كل ثانية", poll_interval_seconds=1)
    IngestSource.objects.filter(pk=every_second.pk).update(last_polled_at=ago(0.7))
    assert list(jobs.due_sources()) == [every_second]
    IngestSource.objects.filter(pk=every_second.pk).update(last_polled_at=ago(0.2))
    assert not jobs.due_sources().exists()


def test_a_poll_records_when_it_began(tmp_path):
    source = folder_source(tmp_path)
    before = timezone.now()
    jobs.poll_source_job(source_id=source.pk)
    source.refresh_from_db()
    assert before <= source.last_polled_at <= timezone.now()
