"""A worker's stop request, as the code in the middle of a poll sees it.

``manage.py ingest`` sets it on SIGTERM or SIGINT; a chunk of a folder's
files (articles/ingest/folders.py) then finishes the importer run in hand
and leaves the files it had not started claimed, queued again for another
worker (jobs.import_files_job), so a worker stops within seconds even with a
thousand files waiting. ``manage.py ingest --once`` and the tests never set it.
"""

import threading

_requested = threading.Event()


def request() -> None:
    """Ask every poll and import in this process to stop after the run in hand."""
    _requested.set()


def requested() -> bool:
    return _requested.is_set()


def clear() -> None:
    _requested.clear()
