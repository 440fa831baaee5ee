"""A PostgreSQL primary and its streaming replica of the tests' own, and the site pointed at them.

``StreamingCluster`` builds both with the machine's PostgreSQL 15 binaries
(``initdb``, ``pg_ctl``, ``pg_basebackup -R``), run as the ``postgres`` user
when the tests run as root, on free loopback ports in a temporary folder: a
physical copy of one cluster is the only way a replica can hold the very
database the site writes (the suite's own test database lives on another
server, which no replica of ours follows). ``site_on(cluster)`` points
Django's ``default`` connection at the primary and adds the alias
``replica_1`` for the replica, and puts both back afterwards.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
from django.contrib.contenttypes.models import ContentType
from django.db import connections

BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "newsportal_replicated"
REPLICA_ALIAS = "replica_1"
# Made for speed: nothing here must survive a crash.
SERVER_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{folder}'
fsync = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 40
wal_level = replica
max_wal_senders = 4
hot_standby = on
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command) -> subprocess.CompletedProcess:
    """Run a PostgreSQL binary, as the postgres user when we are root (initdb refuses root)."""
    command = [str(part) for part in command]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)


class StreamingCluster:
    """A primary and one streaming replica, started by ``start()``, removed by ``stop()``."""

    def __init__(self):
        self.folder: Path | None = None
        self.primary_port = free_port()
        self.replica_port = free_port()
        self.started: list[Path] = []

    @property
    def primary_dir(self) -> Path:
        return self.folder / "primary"

    @property
    def replica_dir(self) -> Path:
        return self.folder / "replica"

    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="newsportal-replica-"))
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        as_postgres(
            BIN / "initdb", "-D", self.primary_dir, "--auth=trust", "--username=postgres",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        self._configure(self.primary_dir, self.primary_port)
        self._pg_ctl_start(self.primary_dir)
        as_postgres(
            BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres",
            "-D", self.replica_dir, "-R", "-X", "stream", "--checkpoint=fast", "--no-sync",
        )  # fmt: skip
        self._configure(self.replica_dir, self.replica_port)
        self._pg_ctl_start(self.replica_dir)
        with self.connect("postgres", autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {DATABASE}")
        self.wait_for_replay()

    def _configure(self, data_dir: Path, port: int) -> None:
        settings = SERVER_SETTINGS.format(port=port, folder=self.folder)
        as_postgres("sh", "-c", f"cat >> '{data_dir}/postgresql.conf' <<'EOF'\n{settings}EOF\n")

    def _pg_ctl_start(self, data_dir: Path) -> None:
        as_postgres(BIN / "pg_ctl", "-D", data_dir, "-l", data_dir / "server.log", "-w", "start")
        self.started.append(data_dir)

    def stop(self) -> None:
        """Stop both servers and remove the folder; safe after a failed start."""
        for data_dir in reversed(self.started):
            subprocess.run(
                [*(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                 str(BIN / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "stop"],
                capture_output=True, timeout=60, check=False,
            )  # fmt: skip
        self.started.clear()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    # Talking to them directly ------------------------------------------------

    def connect(self, database: str = DATABASE, *, replica: bool = False, autocommit=True):
        port = self.replica_port if replica else self.primary_port
        return psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=database, autocommit=autocommit
        )

    def replica_sql(self, sql: str):
        # Its own database: the site's may not have reached the replica yet.
        with self.connect("postgres", replica=True) as connection:
            return connection.execute(sql).fetchone()

    def pause_replay(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_pause()")
        # Paused for sure (pg_get_wal_replay_pause_state() = 'paused') before going on.
        self._wait_until("SELECT pg_get_wal_replay_pause_state() = 'paused'")

    def resume_replay(self) -> None:
        self.replica_sql("SELECT pg_wal_replay_resume()")

    def wait_for_replay(self, timeout: float = 10.0) -> float:
        """Wait until the replica has replayed everything the primary wrote; the seconds it took."""
        with self.connect("postgres") as connection:
            (lsn,) = connection.execute("SELECT pg_current_wal_lsn()::text").fetchone()
        started = time.monotonic()
        self._wait_until(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn", timeout)
        return time.monotonic() - started

    def _wait_until(self, sql: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not self.replica_sql(sql)[0]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica never answered true to {sql}")
            time.sleep(0.005)


@contextmanager
def site_on(cluster: StreamingCluster):
    """Django's ``default`` on the cluster's primary, ``replica_1`` on its replica."""
    default = connections["default"]
    saved = dict(default.settings_dict)
    default.close()
    default.settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(cluster.primary_port),
        NAME=DATABASE,
        USER="postgres",
        PASSWORD="",
        OPTIONS={},
        CONN_MAX_AGE=0,
    )
    connections.settings[REPLICA_ALIAS] = {
        **default.settings_dict,
        "PORT": str(cluster.replica_port),
        "OPTIONS": {"connect_timeout": 2},
    }
    # Its ids are those of another database.
    ContentType.objects.clear_cache()
    try:
        yield
    finally:
        connections[REPLICA_ALIAS].close()
        del connections[REPLICA_ALIAS]
        del connections.settings[REPLICA_ALIAS]
        default.close()
        default.settings_dict.clear()
        default.settings_dict.update(saved)
        ContentType.objects.clear_cache()
