"""What the wire has said of each story's versions, kept apart from the stories.

A story's copies may arrive in any order: a folder or zip is read in name
order, and a sender may resend. ``WireVersion`` keeps, per guid, the highest
version known and whether that version cancels the story, so that a version
wins by its number whatever order the copies came in, and even after the
story itself was deleted. ``decisions.Decider`` reads it; the loader writes it
for every story and cancellation it decides, one statement per batch.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from articles.models import WireVersion


def known_versions(guids: Iterable[str]) -> dict[str, WireVersion]:
    """What is known of each of ``guids``; a guid never seen is absent."""
    return {known.guid: known for known in WireVersion.objects.filter(guid__in=set(guids))}


def remember(seen: Iterable[tuple[str, int, bool]]) -> None:
    """Record (guid, version, is_canceled) triples, keeping each guid's highest version.

    At the same version a cancellation stays known: a copy of the story at
    the version that canceled it does not undo the cancellation. One batch
    never holds a guid twice (the loader starts a new batch), as ON CONFLICT
    requires.
    """
    rows = [(guid[:255], version, canceled) for guid, version, canceled in seen if guid]
    if not rows:
        return
    table = connection.ops.quote_name(WireVersion._meta.db_table)
    # The table's name comes from the model; the values travel as parameters.
    sql = f"""
        INSERT INTO {table} AS known (guid, version, is_canceled, seen_at)
        SELECT guid, version, is_canceled, %s
        FROM unnest(%s::varchar[], %s::integer[], %s::boolean[])
            AS seen (guid, version, is_canceled)
        ON CONFLICT (guid) DO UPDATE SET
            version = GREATEST(known.version, EXCLUDED.version),
            is_canceled = CASE
                WHEN EXCLUDED.version > known.version THEN EXCLUDED.is_canceled
                WHEN EXCLUDED.version = known.version
                    THEN known.is_canceled OR EXCLUDED.is_canceled
                ELSE known.is_canceled
            END,
            seen_at = EXCLUDED.seen_at
    """  # noqa: S608
    guids, versions, canceled = (list(column) for column in zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(sql, [timezone.now(), guids, versions, canceled])
