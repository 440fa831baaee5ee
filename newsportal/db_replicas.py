"""Reads on PostgreSQL streaming replicas: the router, each replica's health, WAL positions.

``DATABASE_REPLICA_URLS`` names the replicas; settings.py makes each a
database alias (``replica_1``, ``replica_2``, ...) listed in
``DATABASE_REPLICAS``. With none, nothing here runs a query.

Reads go to the primary unless a request has been let onto a replica
(``reading_from``, called by ``articles.replica_reads`` for the anonymous
reads of reader pages): imports, ingest, the admin, migrations and management
commands never set one, so they read and write the primary, which is what
Django's own multiple-database docs call "primary/replica" routing with the
choice made per request rather than per query
(https://docs.djangoproject.com/en/5.2/topics/db/multi-db/#an-example).
A per-request choice keeps one page on one snapshot source: its queries never
mix a replica behind with the primary.

Health. Each process asks a replica how far it has replayed at most once
every ``DATABASE_REPLICA_CHECK_SECONDS`` (one tiny query, no table read); a
replica that does not answer, or whose replay is more than
``DATABASE_REPLICA_MAX_LAG_SECONDS`` behind, is skipped and reads go to
another or to the primary. Each change of a replica's state is logged once
(a warning when it is skipped, info when it is back), never raised: a
replica is an optimisation, the primary can always answer.

Positions. ``primary_lsn`` is the primary's WAL write position, read after a
change commits (so at or past its commit record); a replica whose replay
position has reached it shows the change. ``articles.page_cache`` files that
position with each generation, and stores a page rendered on a replica only
if the replica had replayed it before the page was rendered.
"""

from __future__ import annotations

import contextvars
import logging
import random
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

logger = logging.getLogger(__name__)

# A replica that did not answer is asked again after this long, not every
# check: with a host that drops packets each attempt costs the connect timeout
# (settings.py gives replicas a short one) to the request that makes it.
DOWN_RECHECK_SECONDS = 15.0

# One round trip. The lag is the time since the last transaction replayed,
# counted only while WAL received is still waiting to be replayed: a replica
# of an idle primary has replayed everything and is not behind, however old
# its last transaction. A server that is not in recovery (a replica URL that
# names the primary, or a promoted replica) is as current as it gets.
STATUS_SQL = """
SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
            ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn,
       CASE WHEN NOT pg_is_in_recovery()
              OR pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""
PRIMARY_LSN_SQL = "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"

# The request's attribute holding the ReplicaStatus of the replica its reads
# went to (set by articles.replica_reads; absent or None: the primary).
REQUEST_ATTRIBUTE = "read_replica"
# The alias the current request reads from; None: the primary (Django's default).
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "newsportal_read_alias", default=None
)


class ReplicaRouter:
    """Send reads to the replica the request was let onto, everything else to the primary."""

    def db_for_read(self, model, **hints):
        return _read_alias.get()

    def db_for_write(self, model, **hints):
        # Explicitly: Django would otherwise write an object read from a
        # replica back to where it came from (its _state.db).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas hold the primary's very rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas replay the primary's migrations; they cannot run their own.
        if db in settings.DATABASE_REPLICAS:
            return False
        return None


class reading_from:
    """Within the block, reads go to ``alias`` (None: the primary)."""

    def __init__(self, alias: str | None):
        self.alias = alias

    def __enter__(self):
        self._token = _read_alias.set(self.alias)
        return self

    def __exit__(self, *exc_info):
        _read_alias.reset(self._token)


def current_read_alias() -> str | None:
    """The replica reads go to now, None for the primary."""
    return _read_alias.get()


# Health ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplicaStatus:
    """What a replica said when last asked (``checked_at`` is ``time.monotonic()``)."""

    alias: str
    checked_at: float
    is_usable: bool
    replay_lsn: int | None = None
    lag_seconds: float | None = None
    reason: str = ""

    def is_due(self, now: float) -> bool:
        wait = settings.DATABASE_REPLICA_CHECK_SECONDS
        if not self.is_usable and self.replay_lsn is None:
            wait = max(wait, DOWN_RECHECK_SECONDS)
        return now - self.checked_at >= wait

    def has_replayed(self, lsn: int | None) -> bool:
        """Whether this replica had replayed the WAL up to ``lsn`` when asked."""
        return lsn is not None and self.replay_lsn is not None and self.replay_lsn >= lsn


# Per process: each worker asks for itself, at most once per check interval.
_statuses: dict[str, ReplicaStatus] = {}


def forget_statuses() -> None:
    """Ask every replica afresh on the next read (tests; a reconfigured site)."""
    _statuses.clear()


def check_replica(alias: str) -> ReplicaStatus:
    """Ask ``alias`` now how far it has replayed; log a change of its state."""
    now = time.monotonic()
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(STATUS_SQL)
            lsn, lag = cursor.fetchone()
    except DatabaseError as error:
        # A broken connection is not reused; the next check connects afresh.
        connections[alias].close()
        status = ReplicaStatus(alias, now, False, reason=f"unreachable ({error})".strip())
    else:
        lsn = int(lsn) if lsn is not None else None
        lag = float(lag or 0)
        if lag > settings.DATABASE_REPLICA_MAX_LAG_SECONDS:
            reason = f"{lag:.1f} s behind the primary"
            status = ReplicaStatus(alias, now, False, lsn, lag, reason)
        else:
            status = ReplicaStatus(alias, now, True, lsn, lag)
    _report(_statuses.get(alias), status)
    _statuses[alias] = status
    return status


def replica_status(alias: str) -> ReplicaStatus:
    """What ``alias`` said when last asked, asked again if that is older than the interval."""
    status = _statuses.get(alias)
    if status is None or status.is_due(time.monotonic()):
        status = check_replica(alias)
    return status


def _report(before: ReplicaStatus | None, after: ReplicaStatus) -> None:
    if not after.is_usable and (before is None or before.is_usable):
        logger.warning(
            "Database replica %s skipped, reads go to the primary or another replica: %s",
            after.alias,
            after.reason,
        )
    elif after.is_usable and before is not None and not before.is_usable:
        logger.info("Database replica %s is back: reads go to it again", after.alias)


def choose_replica(needed_lsn: int | None = None) -> ReplicaStatus | None:
    """A usable replica, picked at random among them (None: read the primary).

    With ``needed_lsn``, a replica whose last answer is behind it is asked
    again at once (one tiny query), so a page rendered just after a change
    can be kept by the page cache as soon as the replica has the change, not
    only at its next check.
    """
    aliases = list(settings.DATABASE_REPLICAS)
    random.shuffle(aliases)
    for alias in aliases:
        status = replica_status(alias)
        if status.is_usable and needed_lsn is not None and not status.has_replayed(needed_lsn):
            status = check_replica(alias)
        if status.is_usable:
            return status
    return None


def reads_include(request, lsn: int | None) -> bool:
    """Whether every read of ``request`` saw the WAL up to ``lsn`` (the primary's do).

    ``lsn`` None is a position not known: only the primary's reads are sure to include it.
    """
    status = getattr(request, REQUEST_ATTRIBUTE, None)
    return status is None or status.has_replayed(lsn)


def primary_lsn() -> int:
    """The primary's WAL write position now: past the commit of every change made so far."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(PRIMARY_LSN_SQL)
        return int(cursor.fetchone()[0])
