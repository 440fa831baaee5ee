"""How many stories a query will match, estimated before asking for them.

``articles.search.retrieval`` finds a rare query's matches all at once from
the GIN index, and a common one's span by span, newest first (see "Finding
the newest matches" there). To choose, it needs to know roughly how common
the query's words are before it runs. The index's lexicon
(``articles.search.lexicon``, kept by the database's triggers,
``models.SearchLexeme``) says exactly
how many stories hold each lexeme, the time lexemes of each month included,
from the moment an import commits: no ANALYZE is needed, after a bulk load,
in a fresh database, a restored dump or on a replica. The counts cover
stories of every status; they pick a way to search, never what is found.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections.abc import Iterable

from django.db import connections, router

from articles.models import SearchLexeme
from articles.search.index import time_lexeme

# The lexicon's row that counts the stories themselves.
STORIES = ""


def story_counts(lexemes: Iterable[str]) -> dict[str, int]:
    """How many stories hold each of ``lexemes`` (unquoted); absent ones are left out."""
    wanted = list(dict.fromkeys(lexemes))
    if not wanted:
        return {}
    # Asked once or twice a search: SQL of our own rather than the ORM's
    # compiling, as lexicon.completions does.
    with connections[router.db_for_read(SearchLexeme)].cursor() as cursor:
        cursor.execute(_COUNTS_SQL, [wanted])
        return dict(cursor.fetchall())


_COUNTS_SQL = (
    f"SELECT lexeme, stories FROM {SearchLexeme._meta.db_table} "  # noqa: S608
    "WHERE lexeme = ANY(%s) AND stories > 0"
)


@dataclasses.dataclass
class LexemeStats:
    """The story counts of some lexemes; others are read when first asked."""

    counts: dict[str, int] = dataclasses.field(default_factory=dict)
    stories: int = 0

    def share(self, lexeme: str) -> float:
        """The share of stories that contain ``lexeme`` (unquoted)."""
        if lexeme not in self.counts:
            self.counts.update(dict.fromkeys([lexeme], 0) | story_counts([lexeme]))
        return self.counts[lexeme] / self.stories if self.stories else 0.0

    def daily_stories(self, day: datetime.date) -> float:
        """About how many stories a day there were in the month before ``day`` (UTC).

        From the count of that month's time lexeme (articles.search.index).
        """
        month = _month_before(day)
        if month is None:
            return 0.0
        share = self.share(time_lexeme("m", month))
        return share * self.stories / calendar.monthrange(month.year, month.month)[1]


def daily_lexemes(day: datetime.date) -> list[str]:
    """The lexemes ``LexemeStats.daily_stories(day)`` reads, to be counted with others."""
    month = _month_before(day)
    return [] if month is None else [time_lexeme("m", month)]


def _month_before(day: datetime.date) -> datetime.date | None:
    """The first day of the month before ``day``'s, if there is one."""
    if day.year == 1 and day.month == 1:
        return None
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def lexeme_stats(lexemes: list[str], known: LexemeStats | None = None) -> LexemeStats:
    """The counts of ``lexemes`` and of the stories, in one query.

    Counts already ``known`` (read for the same search a moment ago) are not
    read again; with all of them known, no query is made.
    """
    if known is None:
        counts = dict.fromkeys(lexemes, 0) | story_counts([STORIES, *lexemes])
        return LexemeStats(counts=counts, stories=counts.pop(STORIES, 0))
    missing = [lexeme for lexeme in lexemes if lexeme not in known.counts]
    counts = known.counts | dict.fromkeys(missing, 0) | story_counts(missing)
    return LexemeStats(counts=counts, stories=known.stories)
