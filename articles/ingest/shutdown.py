"""A worker's stop request, as the code in the middle of a poll sees it.

``manage.py ingest`` sets it on SIGTERM or SIGINT; a chunk of a folder's
files (articles/ingest/folders.py) then finishes the importer run in hand
and leaves the files it had not started claimed, queued again for another
worker (jobs.import_files_job), so a worker stops within seconds even with a
thousand files waiting. A feed's answer still awaited is given up at once
(``on_request``, which articles/ingest/http_fetch.py uses to shut its
sockets). ``manage.py ingest --once`` and the tests never set it.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

logger = logging.getLogger(__name__)

_requested = threading.Event()
_lock = threading.Lock()
_callbacks: set[Callable[[], None]] = set()


def request() -> None:
    """Ask every poll and import in this process to stop after the run in hand."""
    with _lock:
        _requested.set()
        callbacks = list(_callbacks)
    for callback in callbacks:
        try:
            callback()
        except Exception:  # One that fails must not keep the others from hearing of it.
            logger.exception("A stop callback failed")


def requested() -> bool:
    return _requested.is_set()


def clear() -> None:
    _requested.clear()


@contextlib.contextmanager
def on_request(callback: Callable[[], None]) -> Iterator[None]:
    """Have ``callback`` called (from another thread) if a stop is asked while the block runs.

    For what waits where the flag is never looked at, such as a socket's
    read: the callback makes it return. Called at once if the stop was asked
    before the block began.
    """
    with _lock:
        already = _requested.is_set()
        if not already:
            _callbacks.add(callback)
    if already:
        callback()
    try:
        yield
    finally:
        with _lock:
            _callbacks.discard(callback)
