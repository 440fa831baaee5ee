"""Poll one ingest source, under its lock, and record how it went: what a job calls.

``poll_source`` is the unit a background worker runs (a later slice
schedules it with procrastinate); ``manage.py ingest --once`` calls it for
every enabled source. Two pollers of one source never run at once: each
holds a PostgreSQL advisory lock on the source's id for the poll, and a
poller that cannot take it skips the source (the other one is at it).
Session-level locks: https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import F
from django.utils import timezone

from articles.importers.loader import ImportOptions
from articles.ingest.folders import poll_folder
from articles.ingest.sources import FEED_FORMATS, IngestSource

logger = logging.getLogger(__name__)

# The first key of the two-key advisory lock, so ingest's locks never meet
# another use of advisory locks on the same ids.
LOCK_NAMESPACE = 1_801_000_018
NOT_YET_SUPPORTED = "لم يُدعم استطلاع {what} بعد؛ سيُضاف قريباً، ولم يُستورد منه شيء"


class Status:
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"  # Another poller holds the source's lock.
    UNSUPPORTED = "unsupported"  # URLs and feeds: a later slice.


@dataclasses.dataclass
class PollResult:
    """What one poll of one source did, and the line that says so."""

    name: str
    status: str
    created: int = 0
    updated: int = 0
    failed: int = 0
    message: str = ""

    @property
    def is_failure(self) -> bool:
        return self.status == Status.FAILED

    def summary(self) -> str:
        """One Arabic line: the source, what became of its stories, and why it failed."""
        if self.status == Status.SKIPPED:
            return f"{self.name}: تُخطّي، يستطلعه عامل آخر الآن"
        if self.status == Status.UNSUPPORTED:
            return f"{self.name}: تُخطّي: {self.message}"
        counts = f"أُنشئ {self.created}، حُدّث {self.updated}، فشل {self.failed}"
        if self.status == Status.FAILED:
            return f"{self.name}: فشل: {counts}: {self.message}"
        return f"{self.name}: نجح: {counts}"


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


def poll_source(source_id: int, *, clock: Callable[[], float] | None = None) -> PollResult:
    """Poll the source ``source_id`` once, unless another poller holds it; record its state."""
    with source_lock(source_id) as taken:
        source = IngestSource.objects.get(pk=source_id)
        if not taken:
            return PollResult(source.name, Status.SKIPPED)
        result = _poll(source, clock)
        _record(source, result)
        return result


def poll_enabled_sources(*, clock: Callable[[], float] | None = None) -> list[PollResult]:
    """Poll every enabled source once, by name; one source's failure never stops the others."""
    ids = IngestSource.objects.filter(is_enabled=True).values_list("pk", flat=True)
    return [poll_source(source_id, clock=clock) for source_id in ids]


def _poll(source: IngestSource, clock: Callable[[], float] | None) -> PollResult:
    if source.kind == IngestSource.Kind.URL:
        return PollResult(
            source.name, Status.UNSUPPORTED, message=NOT_YET_SUPPORTED.format(what="الروابط")
        )
    if source.format in FEED_FORMATS:
        what = f"خلاصات {source.get_format_display()}"
        return PollResult(
            source.name, Status.UNSUPPORTED, message=NOT_YET_SUPPORTED.format(what=what)
        )
    options = ImportOptions(
        format=source.format,
        source=source.default_credit,
        publish=source.is_published_on_arrival,
        ingest_source_id=source.pk,
    )
    try:
        polled = poll_folder(source.location, options, clock=clock)
    except OSError as error:
        message = f"تعذّرت قراءة المجلد {source.location}: {error.strerror or error}"
        return PollResult(source.name, Status.FAILED, message=message)
    except Exception as error:  # A poll must record its failure, never stop the others.
        logger.exception("Polling ingest source %s failed", source.name)
        return PollResult(source.name, Status.FAILED, message=f"خطأ غير متوقع: {error}")
    result = PollResult(source.name, Status.OK, polled.created, polled.updated, polled.failed)
    problems = [polled.error] if polled.error else []
    if polled.failed_files:
        names = "، ".join(polled.failed_files)
        problems.append(f"ملفات نُقلت إلى .failed (السبب في ملف .error.txt بجانب كل منها): {names}")
    if problems:
        result.status = Status.FAILED
        result.message = "؛ ".join(problems)
    return result


def _record(source: IngestSource, result: PollResult) -> None:
    now = timezone.now()
    fields = {
        "last_polled_at": now,
        "created_count": F("created_count") + result.created,
        "updated_count": F("updated_count") + result.updated,
        "failed_count": F("failed_count") + result.failed,
    }
    if result.status == Status.OK:
        fields.update(last_success_at=now, last_error="", last_http_status=None)
    else:
        fields["last_error"] = result.message
    IngestSource.objects.filter(pk=source.pk).update(**fields)
