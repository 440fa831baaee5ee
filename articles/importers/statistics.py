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
100,000 stories on the 2-core machine of bench/search_bench.py.
"""

from __future__ import annotations

from django.db import connection

from articles.models import Article, Paragraph

# Analyse once this many stories are written, and this share of what was stored.
MIN_STORIES = 1000
SHARE_OF_STORED = 0.1


class FreshStatistics:
    """Counts the stories an import writes and analyses the tables when due."""

    def __init__(self) -> None:
        self.written = 0
        self.due: int | None = None

    def wrote(self, count: int) -> None:
        """Note ``count`` more stories written and committed; analyse if that makes it due."""
        if not count:
            return
        if self.due is None:
            self.due = max(MIN_STORIES, int(stored_stories() * SHARE_OF_STORED))
        self.written += count
        if self.written >= self.due:
            analyse()
            self.due = self.written * 2


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
