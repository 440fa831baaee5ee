"""How many stories a query will match, estimated before asking for them.

``articles.search.retrieval`` finds a rare query's matches all at once from
the GIN index, and a common one's span by span, newest first (see "Finding
the newest matches" there). To choose, it needs to know roughly how common
the query's words are before it runs, and PostgreSQL already knows: ANALYZE
keeps the most common lexemes of ``search_vector`` with the share of stories
that contain each (``pg_stats.most_common_elems``; migration 0005 keeps
10,000 of them), and the smallest of those shares bounds every lexeme that
is not among them.
These are read once and kept for ``MAX_AGE`` seconds in each process: the
estimate only picks a way to search, never what is found, so a few minutes'
lag (or no statistics at all, before the first ANALYZE) costs time, not
results.
"""

from __future__ import annotations

import bisect
import calendar
import dataclasses
import datetime
import time

from django.db import connection

from articles.models import Article
from articles.search.index import time_lexeme

MAX_AGE = 600

_STATS_SQL = """
SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
FROM pg_class c
LEFT JOIN pg_stats s
    ON s.schemaname = current_schema() AND s.tablename = c.relname
    AND s.attname = 'search_vector'
WHERE c.oid = %s::regclass
"""


@dataclasses.dataclass(frozen=True)
class LexemeStats:
    """The share of stories that contain each common lexeme, as ANALYZE last saw it."""

    lexemes: tuple[str, ...] = ()  # sorted, for prefixes
    shares: tuple[float, ...] = ()  # in the same order
    floor: float = 0.0  # no lexeme outside ``lexemes`` is in more stories than this
    stories: int = 0  # how many stories there were

    def share(self, lexeme: str) -> float:
        """At most what share of stories contain ``lexeme``."""
        index = bisect.bisect_left(self.lexemes, lexeme)
        if index < len(self.lexemes) and self.lexemes[index] == lexeme:
            return self.shares[index]
        return self.floor

    def prefix_share(self, prefix: str) -> float:
        """Roughly what share of stories contain a lexeme beginning with ``prefix``.

        The common lexemes' shares added up (a story with two of them counts
        twice), and ``floor`` once for all the others.
        """
        start = bisect.bisect_left(self.lexemes, prefix)
        end = bisect.bisect_left(self.lexemes, prefix + "\U0010ffff", lo=start)
        return min(1.0, sum(self.shares[start:end]) + self.floor)

    def daily_stories(self, day: datetime.date) -> float:
        """About how many stories a day there were in the month before ``day`` (UTC).

        From the share of that month's time lexeme (articles.search.index).
        """
        if day.year == 1 and day.month == 1:  # no month before it
            return 0.0
        month = (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        share = self.share(time_lexeme("m", month))
        return share * self.stories / calendar.monthrange(month.year, month.month)[1]


_cache: dict[str, tuple[float, LexemeStats]] = {}


def lexeme_stats() -> LexemeStats:
    """The statistics of the current database, read at most every ``MAX_AGE`` seconds."""
    key = connection.settings_dict["NAME"]
    read_at, stats = _cache.get(key, (float("-inf"), LexemeStats()))
    if time.monotonic() - read_at > MAX_AGE:
        stats = _read()
        _cache[key] = (time.monotonic(), stats)
    return stats


def forget() -> None:
    """Read the statistics again on next use (after an ANALYZE in the tests)."""
    _cache.clear()


def _read() -> LexemeStats:
    with connection.cursor() as cursor:
        cursor.execute(_STATS_SQL, [Article._meta.db_table])
        row = cursor.fetchone()
    if row is None or not row[0]:
        return LexemeStats()
    lexemes, shares, stories = row
    # After one share per lexeme, ANALYZE stores their minimum and maximum.
    pairs = sorted(zip(lexemes, shares[: len(lexemes)], strict=True))
    return LexemeStats(
        lexemes=tuple(lexeme for lexeme, _ in pairs),
        shares=tuple(share for _, share in pairs),
        floor=shares[len(lexemes)],
        stories=max(0, int(stories)),
    )
