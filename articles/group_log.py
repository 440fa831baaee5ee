"""GroupingLog: which stories each import grouped, in the order the imports committed.

An import groups its new stories against what is committed when it begins
(articles.story_groups.group_new), without waiting for anyone; other imports
running at the same time cannot see each other's stories until they commit.
So just before it commits, each import takes grouping's lock, reads here the
stories grouped by the imports that committed since it began (``grouped_since``),
compares its own with those alone (articles.group_settling), and adds its
own (``record``). Only that short step is one import at a time, where the
whole of an import's writes used to be.

Defined here and imported by ``articles.models`` (which is near the 500-line
bound); the model belongs to the ``articles`` app all the same. Nothing of ours is
imported: the model layer stays below the modules that use it.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models

# Entries kept: an import that began more than this many commits ago (a huge
# batch on a busy store) finds its entries gone (``grouped_since`` returns
# None) and compares its stories with the whole window instead.
KEPT_ENTRIES = 10_000
# One commit in this many clears the entries older than KEPT_ENTRIES.
PRUNE_EVERY = 100


class GroupingLog(models.Model):
    """The stories one import grouped or moved between groups, numbered as it committed."""

    epoch = models.BigAutoField(primary_key=True)
    article_ids = ArrayField(models.BigIntegerField())

    class Meta:
        verbose_name = "سجل تجميع"
        verbose_name_plural = "سجل التجميع"

    def __str__(self) -> str:
        return f"{self.epoch}: {len(self.article_ids)}"


def _table() -> str:
    return connection.ops.quote_name(GroupingLog._meta.db_table)


def latest_epoch() -> int:
    """The number of the last import that committed its grouping (0 before any)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(epoch), 0) FROM {_table()}")  # noqa: S608 - the model's table
        return cursor.fetchone()[0]


def grouped_since(epoch: int) -> set[int] | None:
    """The stories grouped by the imports committed after ``epoch``; None if those are gone.

    Call holding grouping's lock, so that every import that took it before has committed.
    """
    # Entries at or below a prune's latest epoch less KEPT_ENTRIES were cleared;
    # none above ``epoch`` was if ``epoch`` is within KEPT_ENTRIES of the latest.
    if epoch < latest_epoch() - KEPT_ENTRIES:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT unnest(article_ids) FROM {_table()} WHERE epoch > %s",  # noqa: S608
            [epoch],
        )
        return {row[0] for row in cursor.fetchall()}


def record(article_ids: list[int]) -> None:
    """Add this import's grouped stories to the log; now and then clear the oldest entries."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} (article_ids) VALUES (%s) RETURNING epoch",  # noqa: S608
            [sorted(set(article_ids))],
        )
        (epoch,) = cursor.fetchone()
        if epoch % PRUNE_EVERY == 0:
            cursor.execute(
                f"DELETE FROM {_table()} WHERE epoch <= %s",  # noqa: S608 - the model's table
                [epoch - KEPT_ENTRIES],
            )
