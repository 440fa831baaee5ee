"""Poll one ingest source, under its lock, and record how it went: what a job calls.

``poll_source`` is the unit a background worker's poll job runs
(articles/ingest/jobs.py); ``manage.py ingest --once`` calls it for every
enabled source. A drop folder is polled by ``folders.py``, a URL by
``url_sources.py``; either way the stories go through the one importer, and
the source keeps its last poll, error, HTTP status, feed validators and
counts. A worker's folder poll only claims the files and queues their chunks
(``dispatch``); each chunk's job adds what it imported with
``record_import``, so the source's last success and last error are those of
the latest poll or chunk to end. Two pollers of one source never run at once: each holds a
PostgreSQL advisory lock on the source's id for the poll, and a poller that
cannot take it skips the source (the other one is at it).
Session-level locks: https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection
from django.db.models import F
from django.utils import timezone

from articles.importers.loader import ImportOptions
from articles.ingest.folders import FolderPoll, poll_folder
from articles.ingest.sources import IngestSource
from articles.ingest.url_sources import poll_url

logger = logging.getLogger(__name__)

# The first key of the two-key advisory lock, so ingest's locks never meet
# another use of advisory locks on the same ids.
LOCK_NAMESPACE = 1_801_000_018
_ETAG_MAX_LENGTH = IngestSource._meta.get_field("feed_etag").max_length
_LAST_MODIFIED_MAX_LENGTH = IngestSource._meta.get_field("feed_last_modified").max_length


class Status:
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"  # Another poller holds the source's lock.
    STOPPED = "stopped"  # The worker stopped before a feed's answer came.


@dataclasses.dataclass
class PollResult:
    """What one poll of one source did, and the line that says so."""

    name: str
    status: str
    created: int = 0
    updated: int = 0
    failed: int = 0
    # Why it failed; for a success, a note (a feed unchanged since the last poll).
    message: str = ""
    # A URL source's last HTTP status, and the validators to keep (None keeps
    # the stored ones); folders have none of them.
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    # Chunks of a folder's files queued for the workers: their jobs record them.
    queued: int = 0

    @property
    def is_failure(self) -> bool:
        return self.status == Status.FAILED

    def summary(self) -> str:
        """One Arabic line: the source, what became of its stories, and why it failed."""
        if self.status == Status.SKIPPED:
            return f"{self.name}: تُخطّي، يستطلعه عامل آخر الآن"
        if self.status == Status.STOPPED:
            return f"{self.name}: لم يكتمل: {self.message}"
        counts = f"أُنشئ {self.created}، حُدّث {self.updated}، فشل {self.failed}"
        if self.status == Status.FAILED:
            return f"{self.name}: فشل: {counts}: {self.message}"
        if self.queued:
            return f"{self.name}: نجح: أُرسلت {self.queued} دفعة من الملفات إلى العمال"
        return f"{self.name}: نجح: {counts}" + (f": {self.message}" if self.message else "")


@contextmanager
def source_lock(source_id: int) -> Iterator[bool]:
    """Hold the source's advisory lock for the block; yield False if another session holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, source_id])
        taken = cursor.fetchone()[0]
    try:
        yield taken
    finally:
        if taken:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, source_id])


# What a worker's poll does with a folder's claimed chunks: (source id, chunk directories).
Dispatch = Callable[[int, list[Path]], None]


def poll_source(
    source_id: int,
    *,
    clock: Callable[[], float] | None = None,
    dispatch: Dispatch | None = None,
) -> PollResult:
    """Poll the source ``source_id`` once, unless another poller holds it; record its state.

    With ``dispatch``, a folder's claimed chunks are handed to it (queued for
    the workers) instead of being imported here.
    """
    with source_lock(source_id) as taken:
        source = IngestSource.objects.get(pk=source_id)
        if not taken:
            return PollResult(source.name, Status.SKIPPED)
        # The poll's start: a source polled every second is due again a second
        # after it, however long its claim took.
        started = timezone.now()
        result = _poll(source, clock, dispatch)
        _record(source.pk, result, polled_at=started)
        return result


def import_options(source: IngestSource, *, in_worker: bool = True) -> ImportOptions:
    """The importer's options for the stories of ``source``.

    ``in_worker``: imported by a worker, whose periodic job counts the new
    stories in the search lexicon (jobs.count_lexicon); ``ingest --once``
    has none, so its imports count their own.
    """
    return ImportOptions(
        format=source.format,
        source=source.default_credit,
        publish=source.is_published_on_arrival,
        ingest_source_id=source.pk,
        lexicon_counted_by_worker=in_worker,
    )


def record_import(source: IngestSource, polled: FolderPoll) -> PollResult:
    """Add what a chunk's import did to the source's counts; its success or error."""
    result = _folder_result(source, polled)
    _record(source.pk, result)
    return result


def poll_enabled_sources(*, clock: Callable[[], float] | None = None) -> list[PollResult]:
    """Poll every enabled source once, by name; one source's failure never stops the others."""
    ids = IngestSource.objects.filter(is_enabled=True).values_list("pk", flat=True)
    return [poll_source(source_id, clock=clock) for source_id in ids]


def _poll(
    source: IngestSource, clock: Callable[[], float] | None, dispatch: Dispatch | None
) -> PollResult:
    # Without a dispatch the poll imports its files itself: ingest --once.
    options = import_options(source, in_worker=dispatch is not None)
    try:
        if source.kind == IngestSource.Kind.URL:
            return _poll_url(source, options)
        return _poll_folder(source, options, clock, dispatch)
    except Exception as error:  # A poll must record its failure, never stop the others.
        logger.exception("Polling ingest source %s failed", source.name)
        return PollResult(source.name, Status.FAILED, message=f"خطأ غير متوقع: {error}")


def _poll_folder(
    source: IngestSource,
    options: ImportOptions,
    clock: Callable[[], float] | None,
    dispatch: Dispatch | None,
) -> PollResult:
    queue = None if dispatch is None else lambda chunks: dispatch(source.pk, chunks)
    try:
        polled = poll_folder(source.location, options, clock=clock, dispatch=queue)
    except OSError as error:
        message = f"تعذّرت قراءة المجلد {source.location}: {error.strerror or error}"
        return PollResult(source.name, Status.FAILED, message=message)
    return _folder_result(source, polled)


def _folder_result(source: IngestSource, polled: FolderPoll) -> PollResult:
    result = PollResult(source.name, Status.OK, polled.created, polled.updated, polled.failed)
    result.queued = polled.chunks_queued
    problems = [polled.error] if polled.error else []
    if polled.failed_files:
        names = "، ".join(polled.failed_files)
        problems.append(f"ملفات نُقلت إلى .failed (السبب في ملف .error.txt بجانب كل منها): {names}")
    if problems:
        result.status = Status.FAILED
        result.message = "؛ ".join(problems)
    return result


def _poll_url(source: IngestSource, options: ImportOptions) -> PollResult:
    polled = poll_url(
        source.location,
        options,
        etag=source.feed_etag,
        last_modified=source.feed_last_modified,
        body_sha256=source.feed_body_sha256,
    )
    if polled.stopped:
        return PollResult(source.name, Status.STOPPED, message=polled.note)
    return PollResult(
        source.name,
        Status.FAILED if polled.error else Status.OK,
        polled.created,
        polled.updated,
        polled.failed,
        message=polled.error or polled.note,
        http_status=polled.http_status,
        etag=polled.etag,
        last_modified=polled.last_modified,
        body_sha256=polled.body_sha256,
    )


def _record(
    source_id: int, result: PollResult, *, polled_at: datetime.datetime | None = None
) -> None:
    """Record a poll (begun at ``polled_at``) or a chunk's import, counts added in SQL.

    A poll that only queued chunks leaves the last success and error to them.
    """
    now = timezone.now()
    fields = {
        "created_count": F("created_count") + result.created,
        "updated_count": F("updated_count") + result.updated,
        "failed_count": F("failed_count") + result.failed,
    }
    if polled_at is not None:
        fields.update(last_polled_at=polled_at, last_http_status=result.http_status)
    if result.etag is not None:
        fields["feed_etag"] = _fitting(result.etag, _ETAG_MAX_LENGTH)
    if result.last_modified is not None:
        fields["feed_last_modified"] = _fitting(result.last_modified, _LAST_MODIFIED_MAX_LENGTH)
    if result.body_sha256 is not None:
        fields["feed_body_sha256"] = result.body_sha256
    if result.status == Status.FAILED:
        fields["last_error"] = result.message
    elif result.status == Status.OK and not result.queued:
        fields.update(last_success_at=now, last_error="")
    IngestSource.objects.filter(pk=source_id).update(**fields)


def _fitting(validator: str, limit: int) -> str:
    """``validator`` if its field holds it; "" otherwise, as a cut one would never match."""
    return validator if len(validator) <= limit else ""
