"""A worker's stop request, as the code in the middle of a poll sees it.

``manage.py ingest`` sets it on SIGTERM or SIGINT; a folder poll then
finishes the file in hand and leaves the others for the next poll (they stay
in the folder), so a worker stops within seconds even with a thousand files
waiting. ``manage.py ingest --once`` and the tests never set it.
"""

import threading

_requested = threading.Event()


def request() -> None:
    """Ask every poll in this process to stop after the file in hand."""
    _requested.set()


def requested() -> bool:
    return _requested.is_set()


def clear() -> None:
    _requested.clear()
