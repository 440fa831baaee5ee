"""One poll of a drop folder: take the complete files, import each, move it aside.

A file is taken only once it is complete: names a sender is still writing
(``.part``, ``.tmp``, ``.crdownload``) or hides (a leading dot) are skipped,
and so is a file whose size or times changed in the last ``SETTLE_SECONDS``
(its ``st_ctime`` moves with every write, truncation, rename and ``utime``,
so one stat tells, without remembering sizes between polls).

The files go through the project's one importer, ``FILES_PER_RUN`` at a
time, and each story's outcome names its file. Then each file moves to ``.done/YYYY-MM-DD/`` or, if any of its
stories failed or was refused, to ``.failed/`` with ``NAME.error.txt``
beside it (the importer's Arabic messages). Nothing is deleted, nothing is
overwritten (a clash gets a ``-N`` suffix), and a file dropped again is
not imported twice: the importer's guid rules find its stories unchanged.
A file whose import raised (the database went away) stays where it is
for the next poll, which the poll's ``error`` says; what it imported before
is counted. A worker asked to stop (articles/ingest/shutdown.py) ends the
poll after the run in hand (a second or two); the others wait in the folder.
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from articles.importers.inputs import from_paths, walk
from articles.importers.loader import Importer, ImportOptions
from articles.importers.outcomes import Action, Outcome
from articles.ingest import shutdown

SETTLE_SECONDS = 2.0
UNFINISHED_SUFFIXES = (".part", ".tmp", ".crdownload")
DONE_DIR = ".done"
FAILED_DIR = ".failed"
ERROR_SUFFIX = ".error.txt"
logger = logging.getLogger(__name__)
_FAILURES = (Action.FAILED, Action.REFUSED)
_UPDATES = (Action.UPDATED, Action.PUBLISHED)


@dataclasses.dataclass
class FolderPoll:
    """What one poll of a folder did: stories by outcome, and the files that failed."""

    created: int = 0
    updated: int = 0
    failed: int = 0
    files_done: int = 0
    failed_files: list[str] = dataclasses.field(default_factory=list)
    # Why the poll stopped before the end (the file in hand stays), or "".
    error: str = ""

    def count(self, outcome: Outcome) -> None:
        if outcome.action == Action.CREATED:
            self.created += 1
        elif outcome.action in _UPDATES:
            self.updated += 1
        elif outcome.action in _FAILURES:
            self.failed += 1


def is_unfinished_name(name: str) -> bool:
    """Whether a sender is still writing (or hiding) the file called ``name``."""
    return name.startswith(".") or name.lower().endswith(UNFINISHED_SUFFIXES)


def complete_files(folder: str, now: float) -> Iterator[str]:
    """Yield the files under ``folder`` that are complete at ``now`` (seconds since the epoch).

    Hidden folders (``.done``, ``.failed``) are never entered. A folder that
    is gone (an unmounted volume) raises FileNotFoundError: ``os.walk``
    alone would report it as empty.
    """
    if not os.path.isdir(folder):
        raise FileNotFoundError(errno.ENOENT, "لا يوجد مجلد بهذا المسار", folder)
    for path in walk(folder):
        if is_unfinished_name(os.path.basename(path)):
            continue
        try:
            info = os.stat(path)
        except OSError:
            continue  # Gone since the listing: another poll took it.
        if now - max(info.st_mtime, info.st_ctime) < SETTLE_SECONDS:
            continue
        yield path


def wall_clock() -> float:
    """Now, in seconds since the epoch, as file times count it."""
    return time.time()


# Files one run of the importer takes. Each run has its costs whatever it
# holds (a transaction, the grouping lock, the import log's statements), and
# a drop folder fed by a wire gets one story a file: in runs of this many,
# bench/ingest_bench.py stored four times as many stories a second as with a
# run per file. Small enough that a stopping worker finishes its run in a
# second or two.
FILES_PER_RUN = 100


def poll_folder(
    folder: str, options: ImportOptions, *, clock: Callable[[], float] | None = None
) -> FolderPoll:
    """Import the complete files in ``folder`` with ``options``, moving each aside once done.

    ``clock`` (the wall clock by default) says when now is, against the files' times.
    Files go to the importer ``FILES_PER_RUN`` at a time; if a run raises (the
    database went away, or one file breaks the importer), its files are taken
    again one by one, so that the one to blame stays and the others go on.
    """
    result = FolderPoll()
    importer = Importer(options)
    paths = list(complete_files(folder, (clock or wall_clock)()))
    for start in range(0, len(paths), FILES_PER_RUN):
        if shutdown.requested():
            break  # The worker is stopping: the files left wait for the next poll.
        run = paths[start : start + FILES_PER_RUN]
        if len(run) > 1:
            try:
                _take(run, Path(folder), importer, result)
                continue
            except Exception:
                logger.warning("Ingesting %d files at once failed: one by one", len(run))
        # What the failed run committed is found unchanged the second time.
        for path in run:
            if shutdown.requested():
                break
            try:
                _take([path], Path(folder), importer, result)
            except Exception as error:  # The file stays; the poll's error says why.
                logger.exception("Ingesting %s failed", path)
                result.error = (
                    f"توقف الاستطلاع عند الملف {os.path.basename(path)}: {error}؛ "
                    "بقي الملف مكانه ويُعاد في الاستطلاع التالي"
                )
                return result
    return result


def _take(paths: list[str], folder: Path, importer: Importer, result: FolderPoll) -> None:
    """Import the files ``paths``, then move each to .done or, with its reasons, to .failed."""
    failures: dict[str, list[Outcome]] = {path: [] for path in paths}
    inputs = from_paths(paths, max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    for outcome in importer.run(inputs):
        result.count(outcome)
        if outcome.action in _FAILURES:
            failures[_file_of(outcome, paths)].append(outcome)
    for path, failed in failures.items():
        if failed:
            moved = move_aside(path, folder / FAILED_DIR)
            error_file = moved.with_name(moved.name + ERROR_SUFFIX)
            error_file.write_text(error_text(failed), encoding="utf-8")
            result.failed_files.append(os.path.basename(path))
        else:
            move_aside(path, folder / DONE_DIR / timezone.localdate().isoformat())
            result.files_done += 1


def _file_of(outcome: Outcome, paths: list[str]) -> str:
    """The file of ``paths`` an outcome is about: the file itself, or a zip holding it."""
    if outcome.file in paths:
        return outcome.file
    # A zip archive's member is named "archive.zip:member" (importers.inputs).
    return next(path for path in paths if outcome.file.startswith(path + ":"))


def error_text(failures: list[Outcome]) -> str:
    """Why a file failed, one line per story, as the import log says it."""
    lines = []
    for outcome in failures:
        where = f"السطر {outcome.line}: " if outcome.line else ""
        detail = " — ".join(part for part in (outcome.headline, outcome.message) if part)
        lines.append(f"{where}{outcome.label}: {detail}")
    return "\n".join(lines) + "\n"


def move_aside(path: str, directory: Path) -> Path:
    """Move the file ``path`` into ``directory`` under a name nothing there has; return it.

    ``name.xml`` becomes ``name-1.xml``, ``name-2.xml``... on a clash (with a
    file or its ``.error.txt``). The lock per source keeps other polls away.
    """
    directory.mkdir(parents=True, exist_ok=True)
    original = Path(path)
    stem, suffix = original.stem, original.suffix
    target = directory / original.name
    number = 0
    while target.exists() or target.with_name(target.name + ERROR_SUFFIX).exists():
        number += 1
        target = directory / f"{stem}-{number}{suffix}"
    os.replace(original, target)
    return target
