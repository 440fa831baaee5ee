"""What an import reports: one outcome per story (or per file that could not be read).

The command prints them, the Import page shows them, and each one is a row of
the import log (``ImportRecord``), whose actions these are.
"""

from __future__ import annotations

import dataclasses

from articles.models import ImportRecord


class Action:
    """The outcomes, as the import log stores them."""

    CREATED = ImportRecord.Action.CREATED.value
    UPDATED = ImportRecord.Action.UPDATED.value
    PUBLISHED = ImportRecord.Action.PUBLISHED.value
    UNCHANGED = ImportRecord.Action.UNCHANGED.value
    CONFLICT = ImportRecord.Action.CONFLICT.value
    REFUSED = ImportRecord.Action.REFUSED.value
    FAILED = ImportRecord.Action.FAILED.value


ACTION_LABELS = dict(ImportRecord.Action.choices)
# What counts as a story that failed, and as one that changed, in a summary.
FAILURES = (Action.FAILED, Action.REFUSED)
UPDATES = (Action.UPDATED, Action.PUBLISHED)


@dataclasses.dataclass
class Outcome:
    """What happened to one story (or to a whole file that could not be read)."""

    action: str
    file: str
    message: str = ""
    line: int | None = None
    headline: str = ""
    article_id: int | None = None
    format: str = ""
    guid: str = ""
    version: int | None = None
    record_id: int | None = None

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    def __str__(self) -> str:
        """One line for a log: where, what happened, and why."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        detail = " — ".join(part for part in (self.headline, self.message) if part)
        detail = " ".join(detail.split())
        return f"{where}: {self.label}: {detail}" if detail else f"{where}: {self.label}"


@dataclasses.dataclass
class StoryCounts:
    """Stories by what became of them: created, updated (or published), failed (or refused)."""

    created: int = 0
    updated: int = 0
    failed: int = 0

    def count(self, outcome: Outcome) -> None:
        if outcome.action == Action.CREATED:
            self.created += 1
        elif outcome.action in UPDATES:
            self.updated += 1
        elif outcome.action in FAILURES:
            self.failed += 1
