"""The background workers' tasks, on procrastinate: poll the sources that are due, import uploads.

``manage.py ingest`` runs the workers (any number, on any machine: the jobs
live in the database). Every second one of them runs ``dispatch_due_polls``
(a periodic task; procrastinate defers each tick once, however many workers
run), which defers ``poll_source_job`` for every enabled source that is due.
Each poll job carries two locks named after its source:

- ``queueing_lock``: never two polls of one source waiting in the queue;
- ``lock``: never two polls of one source running (on top of the advisory
  lock ``polling.poll_source`` takes).

A source is due when its interval has passed since its last poll and its
schedule (articles/ingest/schedule.py) says so: a failed poll (a folder
unreadable, a feed failing; recorded on the source by ``poll_source``; a
file refused is the file's failure, moved to ``.failed``, not the source's)
doubles the wait, up to
INGEST_MAX_BACKOFF_SECONDS, and one success brings it back. A failing
source waits alone: every source has its own jobs and its own locks, and a
worker runs INGEST_WORKER_CONCURRENCY polls at once, beside its imports
(INGEST_IMPORT_CONCURRENCY, slots of their own: manage.py ingest).

A folder's poll only claims its complete files, in chunks of a hundred
(articles/ingest/claims.py), and queues one ``import_files_job`` per chunk
on the imports queue, so any worker imports any chunk and two workers share
one busy folder. Each chunk job carries a lock named after its chunk (never
two jobs of one chunk queued or running), adds its counts to the source, and
re-queues itself if its worker is stopping with files left.

``import_upload_job`` imports what an editor uploaded on the Import page
(articles/import_jobs.py), as that editor: articles.permissions is asked
about ``ImportOptions.user`` inside the job, as it was inside the request.

``count_lexicon`` (every 5 s) counts in the search lexicon the words of
the stories that chunks and feeds imported since (articles.search.index).

``recover_stalled_jobs`` (every 10 s) takes up the jobs of a worker that died
(SIGKILL, a lost machine): after INGEST_STALLED_WORKER_SECONDS without a
heartbeat its poll jobs are closed (the next tick polls again) and its chunk
and upload jobs are run again (the files a chunk had not moved are still
claimed, and the guid rules keep what it had imported from being imported
twice). A chunk left with no job at all (a poller killed between its claim
and its defer) is found by a later poll: claims.abandoned.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection, transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Q, Value
from django.utils import timezone
from procrastinate import exceptions as procrastinate_exceptions
from procrastinate import jobs as procrastinate_jobs
from procrastinate.contrib.django import app

from articles.import_jobs import ImportJob
from articles.importers.base import ImportTooLarge
from articles.importers.inputs import UploadLimits, from_uploads
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Outcome
from articles.ingest import claims, folders, polling
from articles.ingest.schedule import IngestSchedule
from articles.ingest.sources import IngestSource
from articles.search.index import count_lexicon_backlog

logger = logging.getLogger(__name__)

INGEST_QUEUE = "ingest"
IMPORTS_QUEUE = "imports"
QUEUES = (INGEST_QUEUE, IMPORTS_QUEUE)
# Rows of an upload's outcome table kept on its ImportJob; the import log has them all.
MAX_OUTCOMES_KEPT = 1000
# How often a running upload job writes how many stories it has done.
PROGRESS_EVERY = 25
_SUCCESSES = (polling.Status.OK,)
# Not polled, or not to the end: due again by its interval, its failures in a row as they were.
_NOT_POLLED = (polling.Status.SKIPPED, polling.Status.STOPPED)


def fresh_connection() -> None:
    """Drop this thread's database connection if it broke or aged, as a request's end would.

    A worker's threads live for days: Django only does this around requests.
    Never inside a transaction (a test's, or a caller's).
    """
    if not connection.in_atomic_block:
        close_old_connections()


def source_lock(source_id: int) -> str:
    """The lock (and queueing lock) of one source's poll jobs."""
    return f"ingest-source-{source_id}"


# Polling -----------------------------------------------------------------------------


# The ticks that queue polls come once a second, a little late or early each
# time: a source whose interval ends within half a tick is due on this one,
# so that a source polled every second is, rather than every other second.
DUE_EARLY = datetime.timedelta(seconds=0.5)


def due_sources(now: datetime.datetime | None = None):
    """The enabled sources whose next poll is due at ``now`` (or half a tick after)."""
    now = now or timezone.now()
    interval_end = ExpressionWrapper(
        F("last_polled_at") + F("poll_interval_seconds") * Value(datetime.timedelta(seconds=1)),
        output_field=DateTimeField(),
    )
    return (
        IngestSource.objects.filter(is_enabled=True)
        .alias(interval_end=interval_end)
        .filter(Q(last_polled_at__isnull=True) | Q(interval_end__lte=now + DUE_EARLY))
        .exclude(schedule__next_poll_at__gt=now)
        .order_by("pk")
    )


def defer_poll(source_id: int) -> int | None:
    """Queue a poll of the source ``source_id``; return its job id, or None if one is queued."""
    lock = source_lock(source_id)
    try:
        # A savepoint: on the Django connector (web, tests) the refused insert
        # must not break the transaction around it.
        with transaction.atomic():
            return poll_source_job.configure(queueing_lock=lock, lock=lock).defer(
                source_id=source_id
            )
    except procrastinate_exceptions.AlreadyEnqueued:
        return None


# croniter's sixth field is the seconds: "* * * * * *" is every second, and
# "* * * * * */10" every ten seconds ("*/10 * * * * *" would be a minute in ten).
@app.periodic(cron="* * * * * *", periodic_id="dispatch_due_polls")
@app.task(queue=INGEST_QUEUE, queueing_lock="ingest-dispatch", priority=10, pass_context=False)
def dispatch_due_polls(timestamp: int) -> int:
    """Queue a poll of every source that is due; return how many were queued."""
    fresh_connection()
    return sum(
        defer_poll(source_id) is not None
        for source_id in due_sources().values_list("pk", flat=True)
    )


@app.task(queue=INGEST_QUEUE, priority=5)
def poll_source_job(source_id: int) -> str:
    """Poll one source (polling.poll_source records how it went), then set when it is due next."""
    fresh_connection()
    try:
        result = polling.poll_source(source_id, dispatch=defer_chunk_imports)
    except IngestSource.DoesNotExist:
        return "deleted"
    except Exception:
        schedule_next_poll(source_id, succeeded=False)
        raise
    if result.status not in _NOT_POLLED:
        schedule_next_poll(source_id, succeeded=result.status in _SUCCESSES)
    if result.is_failure:
        logger.warning("%s", result.summary())
    return result.status


def backoff_seconds(interval: int, failures_in_a_row: int) -> int:
    """How long a source waits after ``failures_in_a_row`` failed polls: doubled each time."""
    if failures_in_a_row <= 0:
        return interval
    wait = interval * 2 ** min(failures_in_a_row, 30)
    return max(interval, min(wait, settings.INGEST_MAX_BACKOFF_SECONDS))


def schedule_next_poll(source_id: int, *, succeeded: bool) -> IngestSchedule | None:
    """Record when the source is polled next: its interval, or its backoff after a failure."""
    source = IngestSource.objects.filter(pk=source_id).first()
    if source is None:
        return None
    schedule, _ = IngestSchedule.objects.get_or_create(source=source)
    schedule.failures_in_a_row = 0 if succeeded else schedule.failures_in_a_row + 1
    wait = backoff_seconds(source.poll_interval_seconds, schedule.failures_in_a_row)
    # A success is due again by its interval from last_polled_at; only a failure pushes it.
    schedule.next_poll_at = None if succeeded else timezone.now() + datetime.timedelta(seconds=wait)
    schedule.save()
    return schedule


# A folder's chunks -------------------------------------------------------------------


def defer_chunk_imports(source_id: int, chunk_dirs: list) -> int:
    """Queue an import of each claimed chunk; return how many were queued."""
    queued = [defer_chunk_import(source_id, str(chunk_dir)) for chunk_dir in chunk_dirs]
    return sum(job_id is not None for job_id in queued)


def defer_chunk_import(source_id: int, chunk_dir: str) -> int | None:
    """Queue the import of one chunk; None if a job of that chunk is queued already."""
    lock = claims.chunk_lock(chunk_dir)
    try:
        with transaction.atomic():  # As in defer_poll: a refusal must not break a transaction.
            return import_files_job.configure(queueing_lock=lock, lock=lock).defer(
                source_id=source_id, chunk_dir=chunk_dir
            )
    except procrastinate_exceptions.AlreadyEnqueued:
        return None


@app.task(queue=IMPORTS_QUEUE, priority=5)
def import_files_job(source_id: int, chunk_dir: str) -> str:
    """Import one claimed chunk of a folder source's files; add what it did to the source."""
    fresh_connection()
    source = IngestSource.objects.filter(pk=source_id).first()
    if source is None:
        # Its files go back into the folder, to be taken when a source polls it again.
        kept = claims.release(chunk_dir)
        if kept:
            logger.warning(
                "Chunk %s of a deleted source: %s files left claimed", chunk_dir, len(kept)
            )
        return "deleted"
    # Its own folder's .done and .failed, even if the source has moved since.
    folder = claims.folder_of(chunk_dir)
    polled = folders.import_chunk(str(folder), chunk_dir, polling.import_options(source))
    result = polling.record_import(source, polled)
    logger.info(
        "Chunk %s of %s: %s files done, %s failed",
        chunk_dir, source.name, polled.files_done, len(polled.failed_files),
    )  # fmt: skip
    if polled.stopped and not polled.error:
        # The worker is stopping: the files left go to the chunk's next job,
        # which waits for this one's lock and runs on any worker.
        defer_chunk_import(source_id, chunk_dir)
    if result.is_failure:
        logger.warning("%s", result.summary())
    return result.status


# The search lexicon ------------------------------------------------------------------


@app.periodic(cron="* * * * * */5", periodic_id="count_lexicon")
@app.task(queue=INGEST_QUEUE, queueing_lock="ingest-lexicon", priority=10, pass_context=False)
def count_lexicon(timestamp: int) -> None:
    """Count the words of the stories the workers imported in the last seconds, all at once.

    Chunks and feeds leave their new stories to it (ImportOptions.
    lexicon_counted_by_worker): a count's cost is mostly one upsert per
    distinct lexeme, which a few seconds of stories share. It also counts
    what an import that died between its commit and its own count left.
    """
    fresh_connection()
    count_lexicon_backlog()


# A dead worker's jobs ----------------------------------------------------------------


@app.periodic(cron="* * * * * */10", periodic_id="recover_stalled_jobs")
@app.task(queue=INGEST_QUEUE, queueing_lock="ingest-recover", priority=10, pass_context=False)
async def recover_stalled_jobs(timestamp: int) -> int:
    """Close the poll jobs of dead workers and queue their uploads again; return how many."""
    manager = app.job_manager
    stalled = await manager.get_stalled_jobs(
        seconds_since_heartbeat=settings.INGEST_STALLED_WORKER_SECONDS
    )
    for job in stalled:
        if job.task_name in (import_upload_job.name, import_files_job.name):
            await manager.retry_job(job)
        else:
            # Polls are queued again by the next tick, under their queueing lock.
            await manager.finish_job(job, status=procrastinate_jobs.Status.FAILED, delete_job=False)
        logger.warning("Took up job %s of a worker that stopped answering", job.call_string)
    return len(stalled)


# Uploads from the Import page ---------------------------------------------------------


@app.task(queue=IMPORTS_QUEUE)
def import_upload_job(import_job_id: int) -> str:
    """Import the files of the ImportJob ``import_job_id`` as its uploader; record the outcome."""
    fresh_connection()
    job = ImportJob.objects.select_related("created_by").get(pk=import_job_id)
    if job.is_finished:
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), processed=0
    )
    try:
        outcomes = run_upload(job)
    except ImportTooLarge as refusal:
        _finish(job, ImportJob.Status.FAILED, error=refusal.message)
        return ImportJob.Status.FAILED
    except Exception as error:
        logger.exception("Import job %s failed", job.pk)
        _finish(job, ImportJob.Status.FAILED, error=f"توقف الاستيراد بخطأ غير متوقع: {error}")
        raise
    _finish(job, ImportJob.Status.DONE, outcomes=outcomes)
    return ImportJob.Status.DONE


def upload_options(job: ImportJob) -> ImportOptions:
    """The importer's options for an upload: what the server decided when it was posted."""
    options = job.options
    return ImportOptions(
        source=options.get("source", ""),
        publish=bool(options.get("publish")),
        overwrite=bool(options.get("overwrite")),
        dry_run=bool(options.get("dry_run")),
        user=job.created_by,
        # Read and counted before anything is written: refused whole past the bound.
        max_stories=settings.IMPORT_UPLOAD_MAX_STORIES,
    )


def upload_limits() -> UploadLimits:
    return UploadLimits(
        max_bytes=settings.IMPORT_UPLOAD_MAX_BYTES, max_files=settings.IMPORT_UPLOAD_MAX_FILES
    )


def run_upload(job: ImportJob) -> list[Outcome]:
    """Run the importer on the job's stored files; return every outcome."""
    uploads = [
        SimpleUploadedFile(stored.name, bytes(stored.data))
        for stored in job.files.order_by("position")
    ]
    inputs = from_uploads(uploads, max_bytes=settings.IMPORT_MAX_FILE_BYTES, limits=upload_limits())
    outcomes = []
    for outcome in Importer(upload_options(job)).run(inputs):
        outcomes.append(outcome)
        if len(outcomes) % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed=len(outcomes))
    return outcomes


def _finish(
    job: ImportJob, status: str, *, outcomes: list[Outcome] | None = None, error: str = ""
) -> None:
    outcomes = outcomes or []
    summary: dict[str, int] = {}
    for outcome in outcomes:
        summary[outcome.action] = summary.get(outcome.action, 0) + 1
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        finished_at=timezone.now(),
        processed=len(outcomes),
        error=error,
        summary=summary,
        outcomes=[outcome_fields(outcome) for outcome in outcomes[:MAX_OUTCOMES_KEPT]],
        total_outcomes=len(outcomes),
    )
    # The bytes were needed only until now: the import log keeps each story's text.
    job.files.update(data=b"")


def outcome_fields(outcome: Outcome) -> dict:
    return {
        "action": outcome.action,
        "file": outcome.file,
        "message": outcome.message,
        "line": outcome.line,
        "headline": outcome.headline,
        "article_id": outcome.article_id,
        "format": outcome.format,
        "guid": outcome.guid,
        "version": outcome.version,
        "record_id": outcome.record_id,
    }


def stored_outcomes(job: ImportJob) -> list[Outcome]:
    """The outcomes kept on ``job``, as the importer gave them."""
    return [Outcome(**fields) for fields in job.outcomes]
