"""A drop folder's files claimed in chunks, so that any worker can import any chunk.

A poll (one at a time per source) moves the complete files into a claim
directory of their own, ``DIR/.claimed/<chunk-id>/``, by ``os.rename``: on
one filesystem a rename is atomic, so a file is in the folder or in exactly
one chunk, never in two, and two workers never take one file. The folder's
listing never enters hidden directories, so a claimed file is not listed
again. Each chunk is then imported by a job (articles/ingest/jobs.py,
``import_files_job``) that any worker may run, or in-process by
``manage.py ingest --once``; the import moves each file on to ``.done`` or
``.failed`` as before and removes the emptied claim directory.

A claim directory outlives its job only when something died: a poller killed
between the rename and the defer, or a chunk left half done by a file that
broke the importer. ``abandoned`` finds those (unchanged for
``ABANDONED_AFTER_SECONDS`` and with no job queued or running under the
chunk's lock) so the next poll takes them up; a file imported twice is found
"unchanged" by the importer's guid rules, so a retry doubles nothing.
A chunk whose worker was killed keeps its job, in "doing": procrastinate's
stalled-job recovery runs it again (jobs.recover_stalled_jobs).
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from pathlib import Path

from procrastinate.contrib.django.models import ProcrastinateJob

CLAIMED_DIR = ".claimed"
# Files a chunk holds: one run of the importer (folders.FILES_PER_RUN), small
# enough that a stopping worker finishes the chunk in hand in a second or two.
FILES_PER_CHUNK = 100
# A claim directory unchanged this long with no job is taken up again. Its
# time changes with every file moved in or out, so a chunk being imported is
# never this old; a chunk waiting in a busy queue has its job.
ABANDONED_AFTER_SECONDS = 60.0
_LIVE_JOB_STATUSES = ("todo", "doing")


def chunk_lock(chunk_dir: str | os.PathLike) -> str:
    """The procrastinate lock (and queueing lock) of the job importing ``chunk_dir``."""
    return f"ingest-chunk-{Path(chunk_dir).name}"


def folder_of(chunk_dir: str | os.PathLike) -> Path:
    """The drop folder a claim directory belongs to; ValueError if it is not one."""
    chunk_dir = Path(chunk_dir)
    if chunk_dir.parent.name != CLAIMED_DIR:
        raise ValueError(f"{chunk_dir} is not a claim directory (DIR/{CLAIMED_DIR}/<chunk-id>)")
    return chunk_dir.parent.parent


def claim(folder: str, paths: list[str], per_chunk: int | None = None) -> list[Path]:
    """Move ``paths`` (files under ``folder``) into new claim directories; return them.

    Each file keeps its path relative to ``folder`` inside its chunk, so two
    files of one name in two subfolders never meet. A file gone since the
    listing is skipped: nothing else renames files out of the folder but the
    source's one poller, and a sender may take back what it dropped.
    """
    per_chunk = per_chunk or FILES_PER_CHUNK
    chunks = []
    for start in range(0, len(paths), per_chunk):
        chunk_dir = Path(folder, CLAIMED_DIR, new_chunk_id())
        chunk_dir.mkdir(parents=True)
        claimed = 0
        for path in paths[start : start + per_chunk]:
            target = chunk_dir / os.path.relpath(path, folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.rename(path, target)
            except FileNotFoundError:
                continue
            claimed += 1
        if claimed:
            chunks.append(chunk_dir)
        else:
            remove_empty(chunk_dir)
    return chunks


def new_chunk_id() -> str:
    """A name no other chunk has: sortable by time, unique across machines."""
    return f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:12]}"


def claimed_files(chunk_dir: str | os.PathLike) -> list[str]:
    """The files still in a chunk, in name order; [] if it is gone."""
    found = []
    for root, dirs, files in os.walk(chunk_dir, followlinks=False):
        dirs.sort()
        found.extend(os.path.join(root, name) for name in sorted(files))
    return found


def remove_empty(chunk_dir: str | os.PathLike) -> bool:
    """Remove the chunk's directories if no file is left in them; return whether it is gone."""
    for root, _dirs, _files in os.walk(chunk_dir, topdown=False):
        # A file is left, or another worker removed it first.
        with contextlib.suppress(OSError):
            os.rmdir(root)
    return not os.path.exists(chunk_dir)


def release(chunk_dir: str | os.PathLike) -> list[str]:
    """Put a chunk's files back where they were dropped, for whoever polls the folder next.

    For a chunk whose source was deleted: its files would otherwise stay
    claimed in a folder nobody polls. A file whose name was dropped again
    meanwhile stays in the chunk, so neither is lost; its path is returned.
    """
    folder, kept = folder_of(chunk_dir), []
    for path in claimed_files(chunk_dir):
        target = folder / os.path.relpath(path, chunk_dir)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # link then unlink: never over a file of the same name.
            os.link(path, target)
            os.unlink(path)
        except OSError:
            kept.append(path)
    remove_empty(chunk_dir)
    return kept


def abandoned(folder: str, now: float | None = None) -> list[Path]:
    """The claim directories of ``folder`` no job will import: taken up by the next poll.

    Unchanged for ``ABANDONED_AFTER_SECONDS`` at ``now`` (seconds since the
    epoch) and with no job queued or running under the chunk's lock. Empty
    ones (a job that ended between its last move and its clean-up) are removed.
    """
    now = time.time() if now is None else now
    root = Path(folder, CLAIMED_DIR)
    if not root.is_dir():
        return []
    old = []
    for chunk_dir in sorted(root.iterdir()):
        try:
            changed = chunk_dir.stat().st_mtime
        except OSError:
            continue  # Removed by its job since the listing.
        if chunk_dir.is_dir() and now - changed >= ABANDONED_AFTER_SECONDS:
            old.append(chunk_dir)
    if not old:
        return []
    live = set(
        ProcrastinateJob.objects.filter(
            lock__in=[chunk_lock(chunk_dir) for chunk_dir in old], status__in=_LIVE_JOB_STATUSES
        ).values_list("lock", flat=True)
    )
    return [
        chunk_dir
        for chunk_dir in old
        if chunk_lock(chunk_dir) not in live and not remove_empty(chunk_dir)
    ]
