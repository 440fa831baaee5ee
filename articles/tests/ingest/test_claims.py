"""articles.ingest.claims and the chunk jobs: files claimed once, imported by any worker.

In-process, on the test's database (articles/tests/job_support.py runs the
queued jobs as a worker would); the worker processes themselves, two at once
and killed, are in test_ingest_worker.py.
"""

import io
import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from procrastinate.contrib.django.models import ProcrastinateJob

from articles.ingest import claims, folders, jobs, shutdown
from articles.ingest.sources import IngestSource
from articles.models import Article, ImportRecord
from articles.tests.ingest.support import BINARY, drop, files_under, later, stories
from articles.tests.job_support import run_queued_jobs

pytestmark = pytest.mark.django_db
POLL = "articles.ingest.jobs.poll_source_job"
IMPORT = "articles.ingest.jobs.import_files_job"


@pytest.fixture(autouse=True)
def settled_files(monkeypatch):
    monkeypatch.setattr(folders, "wall_clock", later)


@pytest.fixture
def stopping():
    """The worker has been asked to stop (SIGTERM), for the length of the test."""
    shutdown.request()
    yield
    shutdown.clear()


def source_in(folder, **fields) -> IngestSource:
    return IngestSource.objects.create(name="مجلد الدفعات", location=str(folder), **fields)


def listed(folder) -> list[str]:
    return list(folders.complete_files(str(folder), later()))


def age(chunk_dir, seconds: float) -> None:
    """Make a claim directory look untouched for ``seconds``."""
    past = time.time() - seconds
    os.utime(chunk_dir, (past, past))


def chunk_jobs() -> list[tuple[str, str]]:
    return list(ProcrastinateJob.objects.filter(task_name=IMPORT).values_list("status", "lock"))


def test_files_are_claimed_in_chunks_and_never_listed_again(tmp_path):
    for number in range(5):
        drop(tmp_path, f"wire-{number}.jsonl", b"x")
    (tmp_path / "sub").mkdir()
    drop(tmp_path / "sub", "wire-0.jsonl", b"y")  # The same name in a subfolder.
    chunks = claims.claim(str(tmp_path), listed(tmp_path), per_chunk=4)
    assert [len(claims.claimed_files(chunk)) for chunk in chunks] == [4, 2]
    assert listed(tmp_path) == []
    assert sorted(path.read_bytes() for path in tmp_path.rglob("wire-0.jsonl")) == [b"x", b"y"]


def test_a_file_taken_since_the_listing_is_claimed_by_no_one_else(tmp_path):
    drop(tmp_path, "a.jsonl", b"x")
    paths = listed(tmp_path)
    first = claims.claim(str(tmp_path), paths)
    # A second claim of the same listing (a poller that listed at the same moment) gets nothing.
    assert claims.claim(str(tmp_path), paths) == []
    assert files_under(tmp_path) == [".claimed/a.jsonl"]
    assert len(first) == 1 and [p.name for p in (tmp_path / ".claimed").iterdir()] == [
        first[0].name
    ]


def test_a_poll_queues_one_import_job_per_chunk_with_the_chunks_lock(tmp_path, monkeypatch):
    monkeypatch.setattr(claims, "FILES_PER_CHUNK", 2)
    source = source_in(tmp_path)
    for number in range(5):
        drop(tmp_path, f"wire-{number}.jsonl", stories(f"chunks{number}", count=1))
    jobs.poll_source_job(source_id=source.pk)
    queued = chunk_jobs()
    chunk_dirs = sorted((tmp_path / ".claimed").iterdir())
    assert sorted(queued) == [("todo", claims.chunk_lock(chunk)) for chunk in chunk_dirs]
    assert len(queued) == 3
    assert not Article.objects.exists()
    source.refresh_from_db()
    assert source.last_polled_at and source.last_success_at is None
    assert [status for _, status in run_queued_jobs()] == ["succeeded"] * 3
    assert Article.objects.count() == 5
    assert not (tmp_path / ".claimed").exists() or not any((tmp_path / ".claimed").iterdir())
    source.refresh_from_db()
    assert (source.created_count, source.failed_count, source.last_error) == (5, 0, "")
    assert source.last_success_at


def test_a_chunk_imports_with_the_sources_options_and_moves_files_as_before(tmp_path):
    source = source_in(tmp_path, is_published_on_arrival=True)
    drop(tmp_path, "wire.jsonl", stories("chunk-opts", count=2))
    drop(tmp_path, "photo.jpg", BINARY)
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    assert jobs.import_files_job(source_id=source.pk, chunk_dir=str(chunk)) == "failed"
    day = folders.timezone.localdate().isoformat()
    assert files_under(tmp_path) == [
        ".done/" + day + "/wire.jsonl",
        ".failed/photo.jpg",
        ".failed/photo.jpg.error.txt",
    ]
    assert not chunk.exists()
    published = Article.objects.published().filter(guid__startswith="chunk-opts")
    assert published.count() == 2
    assert ImportRecord.objects.filter(ingest_source=source).count() == 3
    source.refresh_from_db()
    assert (source.created_count, source.failed_count) == (2, 1)
    assert "photo.jpg" in source.last_error and ".failed" in source.last_error


def test_a_chunk_imported_again_doubles_nothing(tmp_path):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("twice", count=2))
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    # A worker killed after the commit, before the move: the file is still claimed.
    copy = (chunk / "wire.jsonl").read_bytes()
    jobs.import_files_job(source_id=source.pk, chunk_dir=str(chunk))
    chunk.mkdir()
    (chunk / "wire.jsonl").write_bytes(copy)
    assert jobs.import_files_job(source_id=source.pk, chunk_dir=str(chunk)) == "ok"
    assert Article.objects.filter(guid__startswith="twice").count() == 2
    assert ImportRecord.objects.filter(guid__startswith="twice", action="created").count() == 2
    source.refresh_from_db()
    assert (source.created_count, source.updated_count) == (2, 0)


def test_an_abandoned_claim_is_taken_up_by_the_next_poll(tmp_path):
    source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("abandoned", count=2))
    # A poller killed between its claim and its defer: a chunk with no job.
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    assert claims.abandoned(str(tmp_path)) == []  # Too fresh: its job may be on its way.
    age(chunk, claims.ABANDONED_AFTER_SECONDS + 1)
    assert claims.abandoned(str(tmp_path)) == [chunk]
    jobs.dispatch_due_polls(timestamp=0)
    assert run_queued_jobs() == [(POLL, "succeeded"), (IMPORT, "succeeded")]
    assert Article.objects.filter(guid__startswith="abandoned").count() == 2
    assert not chunk.exists()


def test_an_old_claim_whose_job_is_queued_is_left_to_it(tmp_path):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("waiting", count=1))
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    assert jobs.defer_chunk_import(source.pk, str(chunk)) is not None
    age(chunk, claims.ABANDONED_AFTER_SECONDS + 1)
    assert claims.abandoned(str(tmp_path)) == []
    assert jobs.defer_chunk_import(source.pk, str(chunk)) is None  # Its queueing lock.
    assert len(chunk_jobs()) == 1


def test_an_old_empty_claim_is_removed(tmp_path):
    chunk = tmp_path / claims.CLAIMED_DIR / claims.new_chunk_id()
    chunk.mkdir(parents=True)
    age(chunk, claims.ABANDONED_AFTER_SECONDS + 1)
    assert claims.abandoned(str(tmp_path)) == []
    assert not chunk.exists()


def test_a_stopping_worker_leaves_the_chunk_claimed_and_queued_again(tmp_path, stopping):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("stopped", count=1))
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    jobs.import_files_job(source_id=source.pk, chunk_dir=str(chunk))
    assert files_under(tmp_path) == [".claimed/wire.jsonl"]
    assert chunk_jobs() == [("todo", claims.chunk_lock(chunk))]
    shutdown.clear()
    assert run_queued_jobs() == [(IMPORT, "succeeded")]
    assert Article.objects.filter(guid__startswith="stopped").count() == 1


def test_ingest_once_imports_the_chunks_itself_with_the_abandoned_ones(tmp_path):
    source = source_in(tmp_path)
    drop(tmp_path, "old.jsonl", stories("once-old", count=1))
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    age(chunk, claims.ABANDONED_AFTER_SECONDS + 1)
    drop(tmp_path, "new.jsonl", stories("once-new", count=1))
    out = io.StringIO()
    call_command("ingest", "--once", stdout=out, stderr=out)
    assert "أُنشئ 2" in out.getvalue()
    assert Article.objects.count() == 2 and not chunk_jobs()
    day = folders.timezone.localdate().isoformat()
    assert [name for name in files_under(tmp_path)] == [
        f".done/{day}/new.jsonl",
        f".done/{day}/old.jsonl",
    ]
    source.refresh_from_db()
    assert source.created_count == 2 and source.last_success_at


def test_two_moves_to_one_name_at_once_keep_both(tmp_path):
    # Chunks of one folder are imported side by side: a reserved name is never overwritten.
    reserved = tmp_path / ".done" / "wire.jsonl"
    reserved.parent.mkdir()
    reserved.touch()
    moved = folders.move_aside(str(drop(tmp_path, "wire.jsonl", b"new")), tmp_path / ".done")
    assert moved.name == "wire-1.jsonl" and moved.read_bytes() == b"new"
    assert reserved.read_bytes() == b""


def test_a_chunk_belongs_to_the_folder_it_was_claimed_in(tmp_path):
    chunk = tmp_path / claims.CLAIMED_DIR / claims.new_chunk_id()
    assert claims.folder_of(chunk) == tmp_path
    with pytest.raises(ValueError):
        claims.folder_of(tmp_path / "elsewhere")


def test_a_deleted_source_s_chunk_goes_back_into_the_folder(tmp_path):
    source = source_in(tmp_path)
    drop(tmp_path, "wire.jsonl", stories("released", count=1))
    (tmp_path / "sub").mkdir()
    drop(tmp_path / "sub", "wire.jsonl", b"y")
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    source.delete()
    assert jobs.import_files_job(source_id=source.pk, chunk_dir=str(chunk)) == "deleted"
    assert files_under(tmp_path) == ["sub/wire.jsonl", "wire.jsonl"]
    assert not Article.objects.exists()
    # Taken again by the next source that polls the folder.
    assert sorted(listed(tmp_path)) == [
        str(tmp_path / "sub/wire.jsonl"),
        str(tmp_path / "wire.jsonl"),
    ]


def test_a_file_dropped_again_meanwhile_is_never_overwritten_by_a_release(tmp_path):
    drop(tmp_path, "wire.jsonl", b"first")
    (chunk,) = claims.claim(str(tmp_path), listed(tmp_path))
    drop(tmp_path, "wire.jsonl", b"second")
    kept = claims.release(chunk)
    assert (tmp_path / "wire.jsonl").read_bytes() == b"second"
    assert [Path(path).read_bytes() for path in kept] == [b"first"]
