"""The import log: one ``ImportRecord`` for each story an import decided about or failed to read.

The loader writes it in the batch's own transaction, so that the log and the
stories always agree; what the editors read on the Import page and the wire
desk comes from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from articles.bulk_rows import insert_rows
from articles.importers.decisions import join
from articles.models import ImportRecord

# fmt: off
RECORD_FIELDS = [
    "created_at", "file_name", "line", "format", "action", "message", "guid", "version",
    "headline", "article", "original", "imported_by", "ingest_source",
]
# fmt: on


def write_records(items: Sequence[Any], *, user: Any, ingest_source_id: int | None) -> None:
    """Log each of the loader's items (its outcome decided); set each outcome's ``record_id``."""
    now = timezone.now()
    user_id = getattr(user, "pk", None)
    rows = [
        (
            now,
            item.file[:500],
            item.line,
            item.format,
            item.outcome.action,
            join([item.outcome.message, _previous(item)], separator="\n\n"),
            item.guid[:255],
            item.outcome.version,
            (item.story.headline if item.story else "")[:500],
            item.outcome.article_id,
            item.original,
            user_id,
            ingest_source_id,
        )
        for item in items
    ]
    ids = insert_rows(ImportRecord, RECORD_FIELDS, rows, returning=True)
    for item, record_id in zip(items, ids, strict=True):
        item.outcome.record_id = record_id


def _previous(item: Any) -> str:
    """The text the story had before this import changed it, if the plan kept it."""
    return item.plan.previous if item.plan is not None else ""
