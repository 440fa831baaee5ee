"""The embedded PostgreSQL server a checkout uses when DATABASE_URL is unset.

A newcomer then needs no database server: ``pgserver`` ships PostgreSQL 16
binaries on PyPI. The settings only describe the server
(``embedded_database_config``); the entry points that need a database
(``manage.py``, ``newsportal/wsgi.py`` and ``asgi.py``, the test session in
``conftest.py``) call ``start_embedded_server`` before Django connects. The
server keeps running after the process that started it exits, so gunicorn's
workers, ``manage.py`` commands and the test run all share one server; its
data lives in ``.pgdata/`` inside the checkout (git-ignored), or wherever
EMBEDDED_DB_DIR says. Run as root, pgserver creates a ``pgserver`` system user
to own the server and opens the data folder's parents to it, which is why the
folder stays inside the checkout rather than in $HOME.
"""

import fcntl
import os
import shlex
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "newsportal"
# pgserver starts PostgreSQL without a port option, so on PostgreSQL's default
# one, and listening only on a Unix socket in the data folder, never on TCP.
SOCKET_PORT = 5432


def embedded_database_config(data_dir: Path) -> dict:
    """Return the DATABASES entry of the embedded server in ``data_dir``; start nothing."""
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(data_dir),
        "PORT": str(SOCKET_PORT),
    }


def start_embedded_server() -> None:
    """Start the embedded server the settings describe, unless DATABASE_URL is set or it runs.

    Also create its database if it is missing. Say on stderr how to stop the
    server, only when this call started it.
    """
    from django.conf import settings

    data_dir = settings.EMBEDDED_DB_DIR
    if data_dir is None:  # DATABASE_URL names the server
        return
    pgserver = _import_pgserver()
    from pgserver.utils import PostmasterInfo

    # One process at a time, so two gunicorn workers starting together neither
    # both announce the start nor both create the database.
    with _exclusive(data_dir.parent):
        info = PostmasterInfo.read_from_pgdata(data_dir)
        started = info is None or not info.is_running()
        if started:
            info = pgserver.get_server(data_dir, cleanup_mode=None).get_postmaster_info()
        if (info.socket_dir, info.port) != (data_dir, SOCKET_PORT):
            raise RuntimeError(
                f"The embedded PostgreSQL listens on {info.socket_path}, not in its data folder "
                f"{data_dir}: that path is too long for a Unix socket. Stop the server and set "
                "EMBEDDED_DB_DIR to a shorter path."
            )
        _create_database(data_dir)
    if started:
        print(
            f"Started the embedded PostgreSQL in {data_dir}; it keeps running for the next "
            f"commands. Stop it with:\n  {stop_command(data_dir)}",
            file=sys.stderr,
        )


def stop_command(data_dir: Path) -> str:
    """Return the shell command that stops the embedded server in ``data_dir``."""
    _import_pgserver()
    from pgserver.postgres_server import POSTGRES_BIN_PATH

    command = shlex.join([str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data_dir), "stop"])
    if os.geteuid() == 0:
        # Run as root, pgserver runs the server as its own system user.
        return shlex.join(["su", "pgserver", "-s", "/bin/sh", "-c", command])
    return command


def _import_pgserver():
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI)
            # and falls back to /tmp, which is what we want anyway.
            warnings.simplefilter("ignore")
            import pgserver
    except ImportError as error:  # pragma: no cover - depends on the install
        raise RuntimeError(
            "DATABASE_URL is not set and the embedded PostgreSQL (the pgserver "
            "package) is not installed: run `make run`, which installs it, or "
            "set DATABASE_URL=postgres://user:password@host:5432/dbname."
        ) from error
    return pgserver


@contextmanager
def _exclusive(folder: Path):
    # A lock on the folder itself leaves no lock file behind in the checkout.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _create_database(data_dir: Path) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(data_dir), port=SOCKET_PORT, user="postgres", dbname="postgres", autocommit=True
    ) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
