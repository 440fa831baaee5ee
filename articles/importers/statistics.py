"""The planner's statistics kept fresh while a bulk import fills the tables.

PostgreSQL plans every query from ANALYZE's statistics of the tables. A
database just loaded has none (autovacuum analyses a table a minute or more
after it changed by a tenth, and not at all while autovacuum is off), and
without them the planner guesses that ``status = 'published'`` picks few
stories: the search then reads every story through the btree index instead
of the GIN index, 40 times slower at 100,000 stories (bench/search_bench.py),
and the importer's own look-ups by guid slow down as the table grows. So
the importer analyses the stories and their paragraphs itself once it has
written a good share of them, and again each time the count it has written
doubles: eight times over an import of 100,000 stories into an empty
database, never for an everyday import into a large one. ANALYZE reads a
fixed sample (30,000 rows at the default statistics target): 1.7 s at
100,000 stories on the 2-core machine of bench/search_bench.py. Such an
import analyses once more at its end, for the stories written since.

The search's GIN index takes new stories into a pending list, merged into
the index when the list outgrows ``gin_pending_list_limit`` (4 MB) or when
autovacuum passes; until then every search reads the whole list (some 300
pages after an import of 100,000 stories). Each refresh merges it too.

Keeping that index is most of a bulk import's time in PostgreSQL: each
merge of the pending list inserts every lexeme of its stories, one index
entry at a time. Once an import has proved big (its first refresh), its
batches let the list grow to ``BULK_PENDING_LIST`` and merge it with
``BULK_WORK_MEM``, so that each lexeme's new stories go in together: a
quarter faster at 30,000 stories (bench/search_bench.py's stories, 2 cores),
and 1,000,000 stories went in at 240 a second without slowing. The price,
while such an import runs, is a longer list for each search to read; it is
merged at each refresh and at the end.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, transaction

from articles.models import Article, Paragraph

logger = logging.getLogger(__name__)

# Analyse once this many stories are written, and this share of what was stored.
MIN_STORIES = 1000
SHARE_OF_STORED = 0.1
# A bulk import's pending list of the search index, and the memory its merge
# sorts in (PostgreSQL's defaults: 4MB each).
BULK_PENDING_LIST = "32MB"
BULK_WORK_MEM = "64MB"


class FreshStatistics:
    """Counts the stories an import writes and analyses the tables when due."""

    def __init__(self) -> None:
        self.written = 0
        self.due: int | None = None
        # How many had been written at the last refresh (None: none yet).
        self.refreshed: int | None = None

    def wrote(self, count: int) -> None:
        """Note ``count`` more stories written and committed; refresh if that makes it due."""
        if not count:
            return
        if self.due is None:
            self.due = max(MIN_STORIES, int(stored_stories() * SHARE_OF_STORED))
        self.written += count
        if self.written >= self.due:
            self._refresh()
            self.due = self.written * 2

    @property
    def is_bulk_load(self) -> bool:
        """Whether this import has proved big beside what was stored (refreshed once)."""
        return self.refreshed is not None

    def batch_settings(self) -> None:
        """Set the current batch's transaction up for a bulk load, if this is one."""
        if self.is_bulk_load:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT set_config('gin_pending_list_limit', %s, true),"
                    " set_config('work_mem', %s, true)",
                    [BULK_PENDING_LIST, BULK_WORK_MEM],
                )

    def finished(self) -> None:
        """The import is over: refresh once more if it was big and wrote much since."""
        if self.is_bulk_load and self.written - self.refreshed >= MIN_STORIES:
            self._refresh()

    def _refresh(self) -> None:
        analyse()
        merge_pending_index_entries()
        self.refreshed = self.written


def stored_stories() -> int:
    """About how many stories are stored: the planner's own count, 0 before any."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::regclass",
            [Article._meta.db_table],
        )
        return cursor.fetchone()[0]


def analyse() -> None:
    with connection.cursor() as cursor:
        for model in (Article, Paragraph):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def merge_pending_index_entries() -> None:
    """Merge the search index's pending list into the index (``gin_clean_pending_list``).

    Only the index's owner may; a deployment whose importer connects as
    another role leaves it to autovacuum, with a warning.
    """
    index = next(i.name for i in Article._meta.indexes if i.fields == ["search_vector"])
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    except DatabaseError:
        logger.warning("Could not merge the pending entries of %s", index, exc_info=True)
