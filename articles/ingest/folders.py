"""One poll of a drop folder: claim the complete files in chunks, import each, move it aside.

A file is taken only once it is complete: names a sender is still writing
(``.part``, ``.tmp``, ``.crdownload``) or hides (a leading dot) are skipped,
and so is a file whose size or times changed in the last ``SETTLE_SECONDS``
(its ``st_ctime`` moves with every write, truncation, rename and ``utime``,
so one stat tells, without remembering sizes between polls).

A poll claims the complete files in chunks (claims.py: an atomic rename
into ``.claimed/<chunk-id>/``), so that any worker can import any chunk and
two workers share one busy folder. Each chunk goes through the project's one
importer, ``FILES_PER_RUN`` files a run, and each story's outcome names its
file. Then each file moves to ``.done/YYYY-MM-DD/`` or, if any of its
stories failed or was refused, to ``.failed/`` with ``NAME.error.txt``
beside it (the importer's Arabic messages). Nothing is deleted, nothing is
overwritten (a clash gets a ``-N`` suffix), and a file dropped again is
not imported twice: the importer's guid rules find its stories unchanged.
A file whose import raised (the database went away) stays claimed, and its
chunk is taken up again a minute later (claims.abandoned), which the
import's ``error`` says; what it imported before is counted. A worker asked
to stop (articles/ingest/shutdown.py) ends the chunk after the run in hand
(a second or two); the rest stay claimed for the chunk's next job.
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
from articles.importers.outcomes import FAILURES, Outcome, StoryCounts
from articles.ingest import claims, shutdown

SETTLE_SECONDS = 2.0
UNFINISHED_SUFFIXES = (".part", ".tmp", ".crdownload")
DONE_DIR = ".done"
FAILED_DIR = ".failed"
ERROR_SUFFIX = ".error.txt"
logger = logging.getLogger(__name__)


@dataclasses.dataclass
class FolderPoll(StoryCounts):
    """What one poll of a folder did: stories by outcome, and the files that failed."""

    files_done: int = 0
    failed_files: list[str] = dataclasses.field(default_factory=list)
    # Why the import stopped before the end (the file in hand stays claimed), or "".
    error: str = ""
    # Files were left claimed because the worker is stopping (or a run broke).
    stopped: bool = False
    # Chunks the poll queued for the workers instead of importing them itself.
    chunks_queued: int = 0


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
    folder: str,
    options: ImportOptions,
    *,
    clock: Callable[[], float] | None = None,
    dispatch: Callable[[list[Path]], None] | None = None,
) -> FolderPoll:
    """Claim the complete files in ``folder`` in chunks, then have each chunk imported.

    ``clock`` (the wall clock by default) says when now is, against the files'
    times. The files are claimed (articles/ingest/claims.py) with the chunks
    abandoned by a dead poller or a broken run; ``dispatch``, given by the
    worker's poll job, queues each chunk for any worker to import; without it
    (``manage.py ingest --once``) they are imported here, one after another,
    until one breaks or the worker is asked to stop (the rest stay claimed,
    taken up by a later poll).
    """
    result = FolderPoll()
    paths = list(complete_files(folder, (clock or wall_clock)()))
    chunks = claims.abandoned(folder) + claims.claim(folder, paths)
    if dispatch is not None:
        dispatch(chunks)
        result.chunks_queued = len(chunks)
        return result
    importer = Importer(options)
    for chunk_dir in chunks:
        if shutdown.requested() or result.error:
            result.stopped = True
            break
        _import_chunk(Path(folder), chunk_dir, importer, result)
    return result


def import_chunk(folder: str, chunk_dir: str, options: ImportOptions) -> FolderPoll:
    """Import the files claimed in ``chunk_dir`` (under ``folder``) with ``options``.

    Each moves to ``folder``'s ``.done`` or ``.failed`` as a file straight from
    the folder does; the emptied chunk is removed. Files left (a file broke
    the importer: ``error`` says which; the worker was asked to stop:
    ``stopped``) stay claimed for a retry. A chunk already gone imports nothing.
    """
    result = FolderPoll()
    _import_chunk(Path(folder), Path(chunk_dir), Importer(options), result)
    return result


def _import_chunk(folder: Path, chunk_dir: Path, importer: Importer, result: FolderPoll) -> None:
    _import_files(claims.claimed_files(chunk_dir), folder, importer, result)
    if not claims.remove_empty(chunk_dir) and not result.error:
        result.stopped = True


def _import_files(paths: list[str], folder: Path, importer: Importer, result: FolderPoll) -> None:
    """Import ``paths`` ``FILES_PER_RUN`` at a time; a run that raises is taken file by file.

    If a run raises (the database went away, or one file breaks the
    importer), its files are taken again one by one, so that the one to blame
    stays and the others go on; the first file that raises alone ends it.
    """
    for start in range(0, len(paths), FILES_PER_RUN):
        if shutdown.requested():
            return  # The worker is stopping: the files left wait for a retry.
        run = paths[start : start + FILES_PER_RUN]
        if len(run) > 1:
            try:
                _take(run, folder, importer, result)
                continue
            except Exception:
                logger.warning("Ingesting %d files at once failed: one by one", len(run))
        # What the failed run committed is found unchanged the second time.
        for path in run:
            if shutdown.requested():
                return
            try:
                _take([path], folder, importer, result)
            except Exception as error:  # The file stays; the poll's error says why.
                logger.exception("Ingesting %s failed", path)
                result.error = (
                    f"توقف الاستيراد عند الملف {os.path.basename(path)}: {error}؛ "
                    "بقي الملف في .claimed ويُعاد بعد دقيقة"
                )
                return


def _take(paths: list[str], folder: Path, importer: Importer, result: FolderPoll) -> None:
    """Import the files ``paths``, then move each to .done or, with its reasons, to .failed."""
    failures: dict[str, list[Outcome]] = {path: [] for path in paths}
    inputs = from_paths(paths, max_bytes=settings.IMPORT_MAX_FILE_BYTES)
    for outcome in importer.run(inputs):
        result.count(outcome)
        if outcome.action in FAILURES:
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
    file or its ``.error.txt``). Chunks of one folder are imported by several
    workers at once, so the file takes its new name by a hard link, which
    fails if the name exists (one linker wins), and then leaves the old one.
    A link costs what a rename does: creating an empty file to reserve the
    name, as this did, cost 0.9 ms of CPU a file on the benchmark's machine,
    nearly half of what a worker spent on each story (bench/ingest_bench.py).
    Where links are refused (some network file systems), the name is reserved
    by creating it exclusively (O_EXCL) and the file replaces the reservation.
    """
    directory.mkdir(parents=True, exist_ok=True)
    original = Path(path)
    stem, suffix = original.stem, original.suffix
    number = 0
    while True:
        target = directory / (f"{stem}-{number}{suffix}" if number else original.name)
        number += 1
        if target.with_name(target.name + ERROR_SUFFIX).exists():
            continue
        try:
            _take_name(original, target)
        except FileExistsError:
            continue
        return target


def _take_name(original: Path, target: Path) -> None:
    """Give ``original`` the name ``target``; FileExistsError, and nothing moved, if it is taken."""
    try:
        os.link(original, target)
    except OSError as error:
        if error.errno not in _NO_LINKS:
            raise
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        os.replace(original, target)
        return
    os.unlink(original)


# What a file system that has no hard links answers os.link.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
